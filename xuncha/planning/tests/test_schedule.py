"""Each assignment's calendar comes from configuration on the working-day calendar and follows its changes."""

from datetime import date

import time_machine

from xuncha.core.params import param_reset, param_set
from xuncha.core.services import calendar_day_set
from xuncha.core.tests.setup import SETUP
from xuncha.planning.choices import AssignmentState
from xuncha.planning.models import Assignment
from xuncha.planning.schedule import compute_calendar
from xuncha.planning.services.assignments import assignment_create
from xuncha.planning.tests.factories import assignment_advance
from xuncha.planning.todos import planning_todos


def test_a_regular_inspection_after_national_day(committees):
    cal = compute_calendar(
        committee=committees["city"], inspection_type="regular", org_level="soe", planned_entry=date(2024, 10, 8)
    )
    # 10 working days before 2024-10-08, across National Day: 9-30, 9-29 (调休 Sunday), 9-27 … 9-18.
    assert cal.notice_due == date(2024, 9, 18)
    # 60 days on site: 2024-12-07 is a Saturday, so the end moves back to Friday 12-06.
    assert cal.onsite_end == date(2024, 12, 6)
    assert cal.petition_cutoff == date(2024, 11, 29)
    assert cal.report_due == date(2025, 1, 6)  # 30 days after → Sunday 01-05 → Monday
    assert cal.feedback_due == date(2025, 1, 21)


def test_villages_and_supervisions_have_their_own_lengths_and_a_fixed_end_wins(committees):
    village = compute_calendar(
        committee=committees["city"], inspection_type="regular", org_level="village", planned_entry=date(2023, 9, 4)
    )
    assert village.onsite_end == date(2023, 9, 19)
    supervision = compute_calendar(
        committee=committees["city"],
        inspection_type="rect_supervision",
        org_level="department",
        planned_entry=date(2023, 9, 4),
    )
    assert supervision.onsite_end == date(2023, 9, 14)
    fixed = compute_calendar(
        committee=committees["province"], inspection_type="regular", org_level="county",
        planned_entry=date(2023, 9, 7), planned_end=date(2023, 11, 7),
    )  # fmt: skip
    assert (fixed.onsite_end, fixed.petition_cutoff) == (date(2023, 11, 7), date(2023, 10, 31))


def test_a_configuration_change_moves_the_due_dates_of_open_assignments(syjt_assignment, committees, orgs, city_round):
    closed = assignment_create(
        actor=SETUP,
        round_=city_round,
        organization=orgs["yh"],
        inspection_type="regular",
        planned_entry=date(2024, 10, 8),
    )
    assignment_advance(closed, AssignmentState.CLOSED)
    before = Assignment.objects.get(pk=syjt_assignment.pk)
    assert before.notice_due == date(2024, 9, 18)

    param_set(actor=SETUP, key="notice_lead_days", committee=committees["city"], value=5)
    param_set(actor=SETUP, key="onsite_days.regular", committee=committees["province"], value=45)
    after = Assignment.objects.get(pk=syjt_assignment.pk)
    assert after.notice_due == date(2024, 9, 25)  # 5 working days: 9-30, 9-29 (调休), 9-27, 9-26, 9-25
    assert after.onsite_end == date(2024, 11, 22)  # inherited from the province: 45 days
    assert after.petition_cutoff == date(2024, 11, 15)
    assert Assignment.objects.get(pk=closed.pk).notice_due == before.notice_due  # closed ones keep their history

    param_reset(actor=SETUP, key="notice_lead_days", committee=committees["city"])
    assert Assignment.objects.get(pk=syjt_assignment.pk).notice_due == date(2024, 9, 18)


def test_a_new_holiday_moves_the_dates_too(syjt_assignment):
    calendar_day_set(actor=SETUP, committee=None, day=date(2024, 12, 6), kind="holiday", name="测试假日")
    assert Assignment.objects.get(pk=syjt_assignment.pk).onsite_end == date(2024, 12, 5)


def test_a_lower_committee_override_does_not_touch_the_city(syjt_assignment, committees):
    param_set(actor=SETUP, key="notice_lead_days", committee=committees["yuhua"], value=20)
    assert Assignment.objects.get(pk=syjt_assignment.pk).notice_due == date(2024, 9, 18)


def test_the_office_is_reminded_of_notices_due_within_a_week(syjt_assignment, make_user, committees):
    from xuncha.core.roles import Role

    office = make_user("office", Role.OFFICE_STAFF, committees["city"])
    with time_machine.travel(date(2024, 9, 5), tick=False):
        assert planning_todos(office) == []
    with time_machine.travel(date(2024, 9, 12), tick=False):
        [todo] = planning_todos(office)
        assert todo.title == "1 项巡察任务的巡察通知应在 7 日内（或已逾期）印发"
