"""Receipt-code look-ups (ADR 0010): wrong guesses spend the device's and, more loosely, the address's
budget; a right code spends only its own, so a crowd guessing behind one address never locks out the
reporter who has the code, while one device guessing many codes is still slowed."""

import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from xuncha.core import throttle
from xuncha.petitions.models import PetitionMessage
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.test_intake import REPORT, redis_counters, redis_socket  # noqa: F401

NAT = "10.9.0.1"  # one carrier NAT address in front of everyone here
WRONG = "AAAA-BBBB-CCCC-DDDD-EEEE"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def small_budgets(monkeypatch):
    """Per device 3 wrong guesses, per address 5, per code 4 look-ups (so a test needs few requests)."""
    monkeypatch.setitem(throttle.LIMITS, "receipt", (3, 5))
    monkeypatch.setitem(throttle.SECRET_LIMITS, "receipt", 4)


def _device(address: str = NAT) -> Client:
    """A phone that opened the status page once (and so holds its device cookie)."""
    phone = Client()
    phone.get("/p/status/", REMOTE_ADDR=address)
    return phone


def _code(team_world) -> str:
    page = Client().post(f"/p/{team_world['announcement'].token}/", REPORT, REMOTE_ADDR="10.1.0.1")
    return re.search(r'id="receipt-code">([A-Z0-9-]+)<', page.content.decode()).group(1)


def _look_up(phone: Client, code: str, address: str = NAT, **extra) -> int:
    return phone.post("/p/status/", {"code": code, **extra}, REMOTE_ADDR=address).status_code


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_crowds_wrong_guesses_behind_one_address_do_not_lock_out_the_reporter(team_world, small_budgets):
    code = _code(team_world)
    crowd = [_look_up(_device(), WRONG) for _ in range(8)]
    assert crowd == [200] * 5 + [429] * 3  # the address's budget for wrong codes is spent
    assert _look_up(_device(), WRONG) == 429
    reporter = _device()
    page = reporter.post("/p/status/", {"code": code, "addition": "补充：时间是周五晚上。"}, REMOTE_ADDR=NAT)
    assert page.status_code == 200 and "已收到您的补充材料" in page.content.decode()
    assert PetitionMessage.objects.filter(from_reporter=True).count() == 1


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_one_device_guessing_codes_is_slowed_even_when_it_finally_guesses_right(team_world, small_budgets):
    code = _code(team_world)
    guesser = _device("10.9.0.2")
    statuses = [_look_up(guesser, f"AAAA-BBBB-CCCC-DDDD-EEE{c}", "10.9.0.2") for c in "ABCDE"]
    assert statuses == [200] * 3 + [429] * 2
    assert _look_up(guesser, code, "10.9.0.2") == 429  # no oracle for a device over its budget
    assert _look_up(guesser, code, "10.9.0.3") == 429  # whichever address it comes from
    assert _look_up(_device("10.9.0.2"), code, "10.9.0.2") == 200  # the code's holder on another device


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_right_code_has_a_budget_of_its_own(team_world, small_budgets):
    code = _code(team_world)
    statuses = [_look_up(_device(f"10.9.1.{i}"), code, f"10.9.1.{i}") for i in range(6)]
    assert statuses == [200] * 4 + [429] * 2
    assert _look_up(_device(), WRONG) == 200  # another code's budget is untouched: a plain wrong guess


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_with_redis_a_look_up_is_one_command_and_names_neither_code_nor_address(
    team_world,
    small_budgets,
    redis_counters,  # noqa: F811
):
    code = _code(team_world)
    phone = _device()
    redis_counters.config_resetstat()
    assert [_look_up(phone, WRONG) for _ in range(4)] == [200] * 3 + [429]
    assert _look_up(_device(), code) == 200
    stats = redis_counters.info("commandstats")
    assert stats["cmdstat_evalsha"]["calls"] - stats["cmdstat_evalsha"]["failed_calls"] == 5
    keys = [k.decode() for k in redis_counters.keys("xuncha:throttle:receipt:*")]
    # The guesser's device and the address (wrong codes), the code (right one); the reporter's device was only read.
    assert sorted(k.split(":")[3] for k in keys) == ["a", "d", "s"]
    assert not any(NAT in k or code.replace("-", "") in k for k in keys)
