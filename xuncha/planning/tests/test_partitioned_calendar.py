"""Assignments' due dates follow their own committee's calendar and parameters (ADR 0016)."""

from datetime import date

import pytest

from xuncha.core.models.calendar import DayKind
from xuncha.core.params import param_set
from xuncha.core.roles import Role
from xuncha.core.services import calendar_day_set
from xuncha.core.tests.setup import SETUP
from xuncha.planning import schedule
from xuncha.planning.models import Assignment
from xuncha.planning.services.assignments import assignment_create
from xuncha.planning.services.plans import round_create

ENTRY = date(2024, 10, 8)


@pytest.fixture
def world(committees, orgs, make_user, syjt_assignment):
    """The city's assignment to 市水业集团 and 雨花区's and 岳麓区's to a unit of their own, all entering 2024-10-08."""
    rounds = {
        name: round_create(
            actor=SETUP,
            committee=committees[name],
            year=2024,
            seq_no=1,
            start_date=ENTRY,
            end_date=date(2024, 12, 31),
        )
        for name in ("yuhua", "yuelu")
    }
    return {
        "city": syjt_assignment,
        "yuhua": assignment_create(
            actor=SETUP, round_=rounds["yuhua"], organization=orgs["tiaoma"], inspection_type="regular",
            planned_entry=ENTRY,
        ),
        "yuelu": assignment_create(
            actor=SETUP, round_=rounds["yuelu"], organization=orgs["yljd"], inspection_type="regular",
            planned_entry=ENTRY,
        ),
        "yuhua_admin": make_user("yuhua_admin", Role.OFFICE_ADMIN, committees["yuhua"]),
        "province_admin": make_user("province_admin", Role.OFFICE_ADMIN, committees["province"]),
    }  # fmt: skip


def _notice(world, name):
    return Assignment.objects.get(pk=world[name].pk).notice_due


def test_a_district_swap_day_moves_the_district_s_due_dates_and_not_the_city_s(world, committees):
    # Nationally: 10 working days before 2024-10-08 across National Day is 2024-09-18.
    assert {_notice(world, n) for n in ("city", "yuhua", "yuelu")} == {date(2024, 9, 18)}
    calendar_day_set(
        actor=world["yuhua_admin"],
        committee=committees["yuhua"],
        day=date(2024, 9, 21),  # a Saturday
        kind=DayKind.WORKDAY,
        name="区内调休上班",
    )
    assert _notice(world, "yuhua") == date(2024, 9, 19)
    assert _notice(world, "city") == date(2024, 9, 18)
    assert _notice(world, "yuelu") == date(2024, 9, 18)


def test_the_city_calendar_reaches_both_districts_unless_one_overrides_it(world, committees, personas):
    city_admin = personas["city_admin"]
    calendar_day_set(actor=city_admin, committee=committees["city"], day=date(2024, 9, 20), kind="holiday", name="市内")
    assert {_notice(world, n) for n in ("city", "yuhua", "yuelu")} == {
        date(2024, 9, 14)
    }  # back over 9-20 to the 调休 Saturday
    calendar_day_set(
        actor=world["yuhua_admin"], committee=committees["yuhua"], day=date(2024, 9, 20), kind="workday", name="照常"
    )
    assert _notice(world, "yuhua") == date(2024, 9, 18)
    assert _notice(world, "yuelu") == date(2024, 9, 14)


def test_the_top_changes_the_national_calendar_and_every_assignment_follows(world):
    calendar_day_set(actor=world["province_admin"], committee=None, day=date(2024, 9, 20), kind="holiday", name="全国")
    assert {_notice(world, n) for n in ("city", "yuhua", "yuelu")} == {date(2024, 9, 14)}


def test_the_listener_recomputes_only_the_committees_affected(world, committees, personas, monkeypatch):
    seen = []
    real = schedule.recompute_calendars
    monkeypatch.setattr(schedule, "recompute_calendars", lambda ids: seen.append(ids) or real(ids))
    param_set(actor=world["yuhua_admin"], key="notice_lead_days", committee=committees["yuhua"], value=12)
    param_set(actor=personas["city_admin"], key="notice_lead_days", committee=committees["city"], value=5)
    calendar_day_set(actor=world["yuhua_admin"], committee=committees["yuhua"], day=date(2024, 9, 21), kind="workday",
                     name="调休")  # fmt: skip
    calendar_day_set(actor=world["province_admin"], committee=None, day=date(2024, 9, 20), kind="holiday", name="全国")
    c = committees
    assert seen == [{c["yuhua"].pk}, {c["city"].pk, c["yuelu"].pk}, {c["yuhua"].pk}, None]
    # 雨花区 keeps its own 12 days; the city's 5 reach the city and 岳麓区.
    assert _notice(world, "city") == date(2024, 9, 25) and _notice(world, "yuelu") == date(2024, 9, 25)
