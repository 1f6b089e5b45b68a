"""Flood control for the public channel: small per-client budgets in the cache, never a lock-out.

A client (an address, hashed — addresses are not stored) may submit a few reports and try a few
receipt codes per window; when the budget is spent the page asks to wait a few minutes. A real
reporter who submits once and checks back now and then never meets the limit.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

LIMITS = {"submit": (5, 600), "receipt": (20, 600), "add": (10, 600), "survey": (3, 600)}


def _client(request: HttpRequest) -> str:
    """The client's address: behind N trusted reverse proxies, the N-th address from the right of
    X-Forwarded-For (what the outermost proxy saw); otherwise the socket's peer."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if hops and len(forwarded) >= hops:
        address = forwarded[-hops]
    return hashlib.sha256(f"xuncha-throttle:{address}".encode()).hexdigest()[:24]


def allow(request: HttpRequest, action: str) -> bool:
    """Count one use of `action` by this client; False when its budget for the window is spent."""
    limit, window = LIMITS[action]
    key = f"throttle:{action}:{_client(request)}"
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return True
    return count <= limit
