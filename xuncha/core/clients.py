"""The client's address, as audit and throttling both read it."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Behind N trusted reverse proxies, the N-th address from the right of X-Forwarded-For (what the
    outermost proxy saw); otherwise the socket's peer. Addresses further left are the client's own claim."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS or 0
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if hops and len(forwarded) >= hops:
        address = forwarded[-hops]
    return str(address)
