"""Wrong passwords slow an attacker down without letting a stranger keep the owner out (docs/adr/0012).

Failures are counted per (user name, client address): at `login_max_failures` that pair is paused for
`login_lockout_minutes`, even for the right password, while the owner signing in from anywhere else
is not affected. An account-wide count (all addresses) only adds a delay, once it passes a much higher
threshold, to every attempt at that name: a spread-out guesser is slowed, the owner still gets in.
Names that do not exist are counted and answered exactly like names that do.
"""

import hashlib
import time
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from xuncha.accounts.models import SignInFailures
from xuncha.core.clients import client_address
from xuncha.core.params import param_value

# The account-wide count: past this many times the pair limit within the window, each attempt waits.
ACCOUNT_FACTOR = 10
ACCOUNT_WINDOW = timedelta(hours=24)
ACCOUNT_DELAY_SECONDS = 2.0


def policy() -> tuple[int, int]:
    """(failures that pause a pair, minutes of the pause)."""
    return int(param_value("login_max_failures")), int(param_value("login_lockout_minutes"))


@cache
def _key() -> bytes:
    return hashlib.sha256(b"xuncha-signin:" + settings.SECRET_KEY.encode()).digest()


def _hashed(kind: str, value: str) -> str:
    return hashlib.blake2b(f"{kind}:{value}".encode(), key=_key(), digest_size=16).hexdigest()


def account_key(username: str) -> str:
    """The counter name of a user name, as typed (trimmed, case-folded): existing or not."""
    return _hashed("account", username.strip().casefold())


def _address_key(request: HttpRequest | None) -> str:
    return _hashed("address", client_address(request) if request is not None else "")


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def slow_down(username: str) -> None:
    """Wait before checking, when the name has drawn many failures from everywhere lately."""
    max_failures, _ = policy()
    row = SignInFailures.objects.filter(account=account_key(username), address="").first()
    if row and row.window_start > timezone.now() - ACCOUNT_WINDOW and row.failures >= max_failures * ACCOUNT_FACTOR:
        _sleep(ACCOUNT_DELAY_SECONDS)


def pair_locked(username: str, request: HttpRequest | None) -> bool:
    """True while this client address is paused for this name."""
    now = timezone.now()
    return SignInFailures.objects.filter(
        account=account_key(username), address=_address_key(request), locked_until__gt=now
    ).exists()


def _count(account: str, address: str, window: timedelta) -> SignInFailures:
    now = timezone.now()
    row, _ = SignInFailures.objects.select_for_update().get_or_create(
        account=account, address=address, defaults={"window_start": now}
    )
    if row.window_start <= now - window and not (row.locked_until and row.locked_until > now):
        row.failures, row.window_start, row.locked_until = 0, now, None
    row.failures += 1
    return row


def record_failure(username: str, request: HttpRequest | None) -> bool:
    """Count a wrong password for the pair and the name (committed though the caller then refuses);
    returns True when this failure paused the pair."""
    max_failures, minutes = policy()
    account = account_key(username)
    with transaction.atomic():
        pair = _count(account, _address_key(request), timedelta(minutes=minutes))
        paused = pair.failures >= max_failures
        if paused:
            pair.locked_until = timezone.now() + timedelta(minutes=minutes)
            pair.failures = 0
            pair.window_start = timezone.now()
        pair.save()
        _count(account, "", ACCOUNT_WINDOW).save()
    return paused


def record_success(username: str, request: HttpRequest | None) -> None:
    """A right password clears its pair's count (the account-wide count runs out with its window)."""
    SignInFailures.objects.filter(account=account_key(username), address=_address_key(request)).delete()


def forget(username: str) -> None:
    """Clear every count for a name (the system administrator lifts a lock-out)."""
    SignInFailures.objects.filter(account=account_key(username)).delete()
