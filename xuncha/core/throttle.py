"""Flood control for the public channel: small budgets per device and larger ones per address, in the
cache, never a lock-out.

Many real reporters share one address: a unit's internet exit, a carrier's NAT, the venue Wi-Fi of a
mobilisation meeting where a whole hall fills in the 民主测评 at once. So the fine budget is per
device — a random cookie the public pages set, kept 30 days, never stored with a report and only
ever counted as a hash that expires with its window — and the address budget is a ceiling many
devices share. Only accepted submissions spend the submit budget, so a reporter whose form comes
back with an error is not counted; a generous attempt ceiling per address bounds the work a flood of
invalid posts can cause. When a budget is spent the page asks to wait a few minutes.
"""

import hashlib
import secrets
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import cache as counters
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse

from xuncha.core.clients import client_address

DEVICE_COOKIE = "xuncha_device"
DEVICE_SECONDS = 30 * 24 * 3600
WINDOW = 600
# Per action: (per device, per address) within WINDOW seconds; None means no such budget.
LIMITS: dict[str, tuple[int | None, int | None]] = {
    "attempt": (None, 300),
    "submit": (5, 60),
    "receipt": (20, 200),
    "add": (10, 100),
    "survey": (None, 400),
}
# Look-ups by a secret the client presents (the receipt code): a right one's own budget within WINDOW,
# counted under a keyed hash of the secret; wrong ones spend the action's LIMITS above (see allow_lookup).
SECRET_LIMITS: dict[str, int] = {"receipt": 30}


def _device(request: HttpRequest) -> str:
    """The device cookie's value; a client without one shares its address's budget of cookie-less clients."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if 16 <= len(value) <= 64 else "no-cookie:" + client_address(request)


def _hashed(kind: str, value: str) -> str:
    """A keyed hash: without the server's secret a cache key names no address (IPv4 is small enough
    to try every one against a plain hash)."""
    return hashlib.blake2b(f"{kind}:{value}".encode(), key=_key(), digest_size=16).hexdigest()


@cache
def _key() -> bytes:
    return hashlib.sha256(b"xuncha-throttle:" + settings.SECRET_KEY.encode()).digest()


def _budgets(request: HttpRequest, action: str) -> list[tuple[str, int]]:
    per_device, per_address = LIMITS[action]
    keys = []
    if per_device is not None:
        keys.append((f"throttle:{action}:d:{_hashed('device', _device(request))}", per_device))
    if per_address is not None:
        keys.append((f"throttle:{action}:a:{_hashed('address', client_address(request))}", per_address))
    return keys


def _counter_script() -> Any | None:
    """The counting script on the cache's server, when the cache is Redis: then a check is one command
    (Django's cache API makes several per count, each with a new client)."""
    if not isinstance(caches["default"], RedisCache):
        return None
    location = settings.CACHES["default"]["LOCATION"]
    # Several servers: writes go to the first, as Django's own client does.
    return _script(str(location[0] if isinstance(location, list | tuple) else location))


def _raw(key: str) -> str:
    """The counter's name in Redis, under the cache's own key prefix."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:xuncha:{key}" if prefix else f"xuncha:{key}"


# Every counter of a request in one command: a window opens with a counter's first use and closes
# WINDOW seconds later (the expiry is set only when the counter is created). A refund whose window has
# closed meanwhile gives back nothing (it must not open a window below zero); a delta of 0 only reads.
# ARGV: the delta of every key, the window, then optionally each key's own delta.
_COUNT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local delta = tonumber(ARGV[2 + i] or ARGV[1])
  if delta <= 0 and redis.call('EXISTS', key) == 0 then
    counts[i] = 0
  else
    redis.call('SET', key, 0, 'EX', ARGV[2], 'NX')
    counts[i] = redis.call('INCRBY', key, delta)
  end
end
return counts
"""


@cache
def _script(location: str) -> Any:
    """The counting script, sent by its digest (and loaded again when the server has forgotten it)."""
    import redis

    return redis.Redis.from_url(location).register_script(_COUNT)


def _counted(keys: list[str], delta: int | list[int]) -> list[int]:
    """Add `delta` (one for all, or one per key; 0 reads) to each counter and return the new counts."""
    deltas = delta if isinstance(delta, list) else [delta] * len(keys)
    script = _counter_script()
    if script is None:
        return [_add(key, d) for key, d in zip(keys, deltas, strict=True)]
    args = [deltas[0] if deltas else 0, WINDOW, *deltas] if isinstance(delta, list) else [delta, WINDOW]
    return [int(n) for n in script(keys=[_raw(key) for key in keys], args=args)]


def _add(key: str, delta: int) -> int:
    if delta == 0:
        return int(counters.get(key, 0))
    if delta < 0:
        try:
            return counters.incr(key, delta)
        except ValueError:  # the window closed: nothing to give back
            return 0
    if counters.add(key, delta, WINDOW):
        return delta
    try:
        return counters.incr(key, delta)
    except ValueError:  # expired between add and incr
        counters.add(key, delta, WINDOW)
        return delta


def allow(request: HttpRequest, *actions: str) -> bool:
    """Count one use of each action by this device and its address; False when any budget is spent.
    Every budget is counted, so a spent device budget cannot be dodged at the address's expense."""
    budgets = [b for action in actions for b in _budgets(request, action)]
    counts = _counted([key for key, _ in budgets], 1)
    return all(n <= limit for n, (_, limit) in zip(counts, budgets, strict=True))


def allow_lookup(request: HttpRequest, action: str, secret: str, found: bool) -> bool:
    """Count one look-up by a secret (the receipt code), in one command; False when a budget is spent.

    A wrong secret spends the device's budget and, more loosely, the address's (LIMITS). A right one
    spends only its own (SECRET_LIMITS, under a keyed hash of the secret) and reads the device's: a
    crowd's wrong guesses behind one NAT address never lock out the holder of a right code on another
    device, while a device that has spent its budget on wrong guesses is refused even a right one (it
    learns nothing from further guesses until its window closes)."""
    per_device, per_address = LIMITS[action]
    device = f"throttle:{action}:d:{_hashed('device', _device(request))}"
    budgets: list[tuple[str, int | None, int]]
    if found:
        budgets = [
            (f"throttle:{action}:s:{_hashed('secret', secret)}", SECRET_LIMITS[action], 1),
            (device, per_device, 0),
        ]
    else:
        address = f"throttle:{action}:a:{_hashed('address', client_address(request))}"
        budgets = [(device, per_device, 1), (address, per_address, 1)]
    budgets = [b for b in budgets if b[1] is not None]
    counts = _counted([key for key, _, _ in budgets], [delta for _, _, delta in budgets])
    return all(n <= limit for n, (_, limit, _) in zip(counts, budgets, strict=True) if limit is not None)


def refund(request: HttpRequest, action: str) -> None:
    """Give back a use counted in advance that did not happen (a report refused after all)."""
    _counted([key for key, _ in _budgets(request, action)], -1)


def remember_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give a device without one its random cookie (HttpOnly, same-site, secure over TLS)."""
    if DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(18),
            max_age=DEVICE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
