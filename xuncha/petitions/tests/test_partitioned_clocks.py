"""The SLA clocks run on the calendar of the assignment's committee, with a frozen clock across a
statutory holiday and a 调休 working Saturday (ADR 0016)."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from xuncha.core.models.calendar import DayKind
from xuncha.core.roles import Role
from xuncha.core.services import calendar_day_set
from xuncha.core.tests.setup import SETUP
from xuncha.petitions.decisions.clocks import deadlines
from xuncha.planning.services.assignments import assignment_create
from xuncha.planning.services.plans import round_create


@pytest.fixture
def yuhua_assignment(committees, orgs):
    round_ = round_create(
        actor=SETUP, committee=committees["yuhua"], year=2024, seq_no=1,
        start_date=date(2024, 9, 2), end_date=date(2024, 12, 31),
    )  # fmt: skip
    return assignment_create(
        actor=SETUP, round_=round_, organization=orgs["tiaoma"], inspection_type="regular",
        planned_entry=date(2024, 9, 2),
    )  # fmt: skip


@time_machine.travel("2024-09-27 10:00:00+08:00", tick=False)  # Friday before National Day
def test_sign_and_ack_clocks_cross_national_day_and_its_swap_days(yuhua_assignment, committees, make_user):
    now = timezone.now()
    # Nationally: 9-29 (调休 Sunday), 9-30, then 10-01…10-07 off, 10-08, 10-09, 10-10 → 5 working days.
    assert deadlines(yuhua_assignment, now, named=True)["sign_due"] == date(2024, 10, 10)
    # 15 working days also count the 调休 Saturday 10-12.
    assert deadlines(yuhua_assignment, now, named=True)["ack_due"] == date(2024, 10, 23)

    admin = make_user("yuhua_admin", Role.OFFICE_ADMIN, committees["yuhua"])
    calendar_day_set(
        actor=admin, committee=committees["yuhua"], day=date(2024, 9, 30), kind=DayKind.HOLIDAY, name="区内放假"
    )
    assert deadlines(yuhua_assignment, now, named=True)["sign_due"] == date(2024, 10, 11)
    assert deadlines(yuhua_assignment, now, named=True)["ack_due"] == date(2024, 10, 24)


@time_machine.travel("2024-09-27 10:00:00+08:00", tick=False)
def test_a_district_calendar_does_not_move_the_city_s_clocks(yuhua_assignment, syjt_assignment, committees, make_user):
    admin = make_user("yuhua_admin", Role.OFFICE_ADMIN, committees["yuhua"])
    calendar_day_set(
        actor=admin, committee=committees["yuhua"], day=date(2024, 9, 30), kind=DayKind.HOLIDAY, name="区内放假"
    )
    now = timezone.now()
    assert deadlines(syjt_assignment, now, named=False)["sign_due"] == date(2024, 10, 10)
    assert deadlines(yuhua_assignment, now, named=False)["sign_due"] == date(2024, 10, 11)
