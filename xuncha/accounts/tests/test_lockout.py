"""Sign-in gives no oracle for user names, and a stranger's failures never keep the owner out."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone

from xuncha.accounts import lockout
from xuncha.accounts.models import SignInFailures, User
from xuncha.accounts.services import user_unlock
from xuncha.conftest import PASSWORD, bind_totp

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.20"


def _attempt(username: str, password: str, address: str) -> object:
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


def _errors(response: object) -> str:
    """The messages the page shows (the rest differs only by its CSRF token and the typed name)."""
    return "".join(re.findall(r'<ul class="errorlist"[^>]*>.*?</ul>', response.content.decode(), re.S))  # type: ignore[attr-defined]


def test_known_and_unknown_names_get_the_same_answers_after_the_same_hash_work(personas) -> None:
    _attempt("warm_up", "x", ATTACKER)  # the dummy hash is made once; count the steady state
    answers = {}
    for name in ("unit_liaison", "no_such_user"):
        with mock.patch.object(MD5PasswordHasher, "verify", autospec=True, return_value=False) as verify:
            responses = [_attempt(name, "wrong-password", ATTACKER) for _ in range(6)]
        answers[name] = ([r.status_code for r in responses], [_errors(r) for r in responses], verify.call_count)
    known, unknown = answers["unit_liaison"], answers["no_such_user"]
    assert known[2] == unknown[2] == 6  # one password check per attempt, for a user or not
    assert known[0] == unknown[0]
    assert known[1] == unknown[1]
    assert "用户名或密码不正确" in known[1][0]
    assert "本地址已暂停登录该账号" in known[1][4]  # the fifth failure pauses the pair, known or not
    assert "暂停登录该账号" in unknown[1][5]


def test_a_stranger_failing_many_times_does_not_keep_the_owner_out(personas, all_personas) -> None:
    for _ in range(12):
        _attempt("unit_liaison", "wrong-password", ATTACKER)
    # The attacker's address is paused for this name, even with the right password…
    paused = _attempt("unit_liaison", PASSWORD, ATTACKER)
    assert paused.status_code == 200 and "暂停登录该账号" in paused.content.decode()
    # …while the owner signs in from their own address.
    owner = Client(REMOTE_ADDR=OWNER)
    response = owner.post("/accounts/login/", {"username": "unit_liaison", "password": PASSWORD})
    assert response.status_code == 302 and owner.session["_auth_user_id"] == str(personas["unit_liaison"].pk)
    assert not User.objects.get(username="unit_liaison").is_locked


def test_the_pause_ends_after_the_lock_out_period_or_when_the_administrator_lifts_it(personas, all_personas) -> None:
    for _ in range(5):
        _attempt("unit_liaison", "wrong-password", ATTACKER)
    assert "暂停" in _attempt("unit_liaison", PASSWORD, ATTACKER).content.decode()
    SignInFailures.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _attempt("unit_liaison", PASSWORD, ATTACKER).status_code == 302
    for _ in range(5):
        _attempt("unit_liaison", "wrong-password", ATTACKER)
    user_unlock(actor=personas["sys_admin"], user=personas["unit_liaison"])
    assert _attempt("unit_liaison", PASSWORD, ATTACKER).status_code == 302


def test_failures_spread_over_many_addresses_add_a_delay_not_a_lock(personas, all_personas) -> None:
    max_failures, _ = lockout.policy()
    threshold = max_failures * lockout.ACCOUNT_FACTOR
    for n in range(threshold):
        _attempt("unit_liaison", "wrong-password", f"192.0.2.{n % 250}" if n < 250 else f"10.0.{n}.1")
    with mock.patch.object(lockout, "_sleep") as sleep:
        response = _attempt("unit_liaison", PASSWORD, OWNER)
    assert response.status_code == 302  # still signs in…
    sleep.assert_called_once_with(lockout.ACCOUNT_DELAY_SECONDS)  # …after the delay
    with mock.patch.object(lockout, "_sleep") as sleep:
        _attempt("no_such_user", "wrong-password", OWNER)
    sleep.assert_not_called()


def test_no_counter_names_the_typed_user_name_or_the_address(personas) -> None:
    _attempt("Secret-Typed-Into-Name", "x", ATTACKER)
    rows = list(SignInFailures.objects.values_list("account", "address"))
    assert rows and all("Secret" not in a and ATTACKER not in b for a, b in rows)


def test_wrong_totp_codes_still_lock_the_account_that_gave_the_right_password(personas) -> None:
    bind_totp(personas["city_office"])
    client = Client(REMOTE_ADDR=ATTACKER)
    client.post("/accounts/login/", {"username": "city_office", "password": PASSWORD})
    for _ in range(5):
        response = client.post("/accounts/login/verify/", {"code": "000000"})
    assert "账号已锁定" in response.content.decode()
    assert User.objects.get(username="city_office").is_locked
    # The lock is told only after a right password: a wrong one still gets the generic answer.
    assert "用户名或密码不正确" in _attempt("city_office", "wrong-password", OWNER).content.decode()
    assert "动态口令验证失败" in _attempt("city_office", PASSWORD, OWNER).content.decode()


@pytest.mark.parametrize("name", ["unit_liaison", "no_such_user"])
def test_a_paused_pair_does_the_same_hash_work(personas, name: str) -> None:
    for _ in range(5):
        _attempt(name, "wrong-password", ATTACKER)
    with mock.patch.object(MD5PasswordHasher, "verify", autospec=True, return_value=False) as verify:
        _attempt(name, "wrong-password", ATTACKER)
    assert verify.call_count == 1


def test_the_parameters_and_the_login_page_describe_the_pause_per_address(db, client) -> None:
    from xuncha.core.models import ConfigParam

    param = ConfigParam.objects.get(key="login_max_failures")
    assert param.label == "登录失败暂停次数" and "其他地址仍可登录" in param.description
    assert "该地址将暂停登录此账号" in client.get("/accounts/login/").content.decode()
