"""The assignment state machine and the plan/round approval flow: legal moves recorded, illegal ones refused."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from xuncha.core.audit import audit_verify
from xuncha.core.models import AuditEvent
from xuncha.core.roles import Role
from xuncha.core.tests.setup import SETUP
from xuncha.planning.choices import ApprovalStatus, AssignmentState
from xuncha.planning.models import AssignmentEvent
from xuncha.planning.permissions import rounds_visible
from xuncha.planning.services.assignments import assignment_authorize, assignment_set_team, assignment_transition
from xuncha.planning.services.plans import approval_transition, round_file
from xuncha.planning.services.teams import team_create, team_member_add
from xuncha.planning.tests.conftest import pool_add
from xuncha.planning.tests.factories import approve, assignment_advance


@pytest.fixture
def office(make_user, committees):
    return make_user("office", Role.OFFICE_STAFF, committees["city"])


def _staff_team(assignment, make_person, orgs, committees):
    leader = make_person("组长甲", orgs["cs"])
    deputy = make_person("副组长乙", orgs["cs"])
    pool_add(committees["city"], leader, "leader", ("discipline",))
    pool_add(committees["city"], deputy, "talent", ("finance",))
    team = team_create(actor=SETUP, round_=assignment.round)
    team_member_add(actor=SETUP, team=team, person=leader, role="leader")
    team_member_add(actor=SETUP, team=team, person=deputy, role="deputy")
    assignment_set_team(actor=SETUP, assignment=assignment, team=team)
    return team


def test_an_illegal_transition_is_refused_with_a_clear_message(syjt_assignment, office):
    with pytest.raises(ValidationError) as exc:
        assignment_transition(actor=office, assignment=syjt_assignment, code="enter")
    assert exc.value.messages == [
        "“长沙市水业集团有限公司”当前处于“列入计划”，不能执行“召开进驻动员会”（仅在“已印发巡察通知”时可以）。"
    ]
    syjt_assignment.refresh_from_db()
    assert syjt_assignment.state == AssignmentState.PLANNED
    assert not AssignmentEvent.objects.exists()


def test_the_notice_needs_a_team_leader_authorised_for_this_assignment(
    syjt_assignment, office, make_person, orgs, committees
):
    assignment_transition(actor=office, assignment=syjt_assignment, code="prepare", effective_on=date(2024, 9, 1))
    with pytest.raises(ValidationError, match="尚未确定巡察组"):
        assignment_transition(actor=office, assignment=syjt_assignment, code="notify")
    _staff_team(syjt_assignment, make_person, orgs, committees)
    with pytest.raises(ValidationError, match="组长组长甲尚未获得本次巡察授权（一次一授权）"):
        assignment_transition(actor=office, assignment=syjt_assignment, code="notify")
    assignment_authorize(actor=office, assignment=syjt_assignment, doc_no="长巡授〔2024〕1号")
    done = assignment_transition(
        actor=office, assignment=syjt_assignment, code="notify", effective_on=date(2024, 9, 20), reason="印发通知"
    )
    assert done.state == AssignmentState.NOTIFIED and done.notice_sent_on == date(2024, 9, 20)
    event = AssignmentEvent.objects.get(transition="notify")
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        office,
        "preparing",
        "notified",
        "印发通知",
    )
    assert AuditEvent.objects.filter(action="planning.assignment_notify", actor=office).exists()
    assert audit_verify()[1] is None


def test_who_may_perform_a_transition_is_data_too(syjt_assignment, make_user, committees, orgs):
    discipline = make_user("jw", Role.DISCIPLINE_ORG, committees["city"])
    yuhua = make_user("yh", Role.OFFICE_STAFF, committees["yuhua"])
    for actor in (discipline, yuhua):
        with pytest.raises(PermissionDenied, match="由巡察办办理"):
            assignment_transition(actor=actor, assignment=syjt_assignment, code="prepare")
    syjt_assignment.refresh_from_db()
    assert syjt_assignment.state == AssignmentState.PLANNED


def test_cancelling_needs_a_reason_and_ends_the_lifecycle(syjt_assignment, office):
    with pytest.raises(ValidationError, match="必须说明理由"):
        assignment_transition(actor=office, assignment=syjt_assignment, code="cancel")
    assignment_transition(actor=office, assignment=syjt_assignment, code="cancel", reason="领导小组调整巡察对象")
    with pytest.raises(ValidationError, match="当前处于“已取消”"):
        assignment_transition(actor=office, assignment=syjt_assignment, code="prepare")


@time_machine.travel("2025-03-10 10:00:00+08:00", tick=False)
def test_the_whole_path_records_actual_dates_and_moves_later_deadlines(
    syjt_assignment, office, make_person, orgs, committees
):
    _staff_team(syjt_assignment, make_person, orgs, committees)
    assignment_authorize(actor=office, assignment=syjt_assignment, doc_no="长巡授〔2024〕1号", on=date(2024, 9, 1))
    planned_plan_due = syjt_assignment.rect_plan_due
    steps = {
        "prepare": date(2024, 9, 2), "notify": date(2024, 9, 20), "enter": date(2024, 10, 8),
        "start_onsite": date(2024, 10, 8), "close_onsite": date(2024, 12, 2), "draft_report": date(2024, 12, 3),
        "review_report": date(2024, 12, 20),
    }  # fmt: skip
    a = syjt_assignment
    for code, on in steps.items():
        a = assignment_transition(actor=SETUP, assignment=a, code=code, effective_on=on, reason="测试")
    a = assignment_transition(
        actor=SETUP,
        assignment=a,
        code="return_report",
        reason="问题定性不准，退回修改",
        effective_on=date(2024, 12, 23),
    )
    assert a.state == AssignmentState.REPORT_DRAFTING
    for code in ["review_report", "approve_report"]:
        a = assignment_transition(actor=SETUP, assignment=a, code=code, effective_on=date(2025, 1, 10))
    a = assignment_transition(actor=SETUP, assignment=a, code="feedback", effective_on=date(2025, 3, 3))
    assert a.onsite_closed_on == date(2024, 12, 2) and a.feedback_on == date(2025, 3, 3)
    # 整改方案 due 15 working days after the actual feedback, not the planned one.
    assert a.rect_plan_due == date(2025, 3, 24) != planned_plan_due
    assert a.rect_report_due == date(2025, 6, 3)
    assert list(a.events.values_list("transition", flat=True))[-3:] == ["review_report", "approve_report", "feedback"]


def _on_site(syjt_assignment, office, make_person, orgs, committees):
    _staff_team(syjt_assignment, make_person, orgs, committees)
    assignment_authorize(actor=office, assignment=syjt_assignment, doc_no="长巡授〔2024〕1号", on=date(2024, 9, 1))
    a = syjt_assignment
    for code, on in (("prepare", date(2024, 9, 2)), ("notify", date(2024, 9, 20)), ("enter", date(2024, 10, 8)),
                     ("start_onsite", date(2024, 10, 8))):  # fmt: skip
        a = assignment_transition(actor=office, assignment=a, code=code, effective_on=on)
    return a


@time_machine.travel("2024-10-20 10:00:00+08:00", tick=False)
def test_no_step_is_dated_before_the_one_it_follows_nor_in_the_future(
    syjt_assignment, office, make_person, orgs, committees
):
    a = _on_site(syjt_assignment, office, make_person, orgs, committees)
    with pytest.raises(ValidationError, match="不能早于上一步“开展了解工作”的日期（2024年10月08日）"):
        assignment_transition(
            actor=office, assignment=a, code="close_onsite", effective_on=date(2024, 10, 1), reason="提前"
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        assignment_transition(actor=office, assignment=a, code="close_onsite", effective_on=date(2024, 12, 20))
    a.refresh_from_db()
    assert a.state == AssignmentState.ON_SITE and a.onsite_closed_on is None


@time_machine.travel("2024-10-20 10:00:00+08:00", tick=False)
def test_leaving_before_the_planned_end_of_the_on_site_stage_needs_a_reason(
    syjt_assignment, office, make_person, orgs, committees
):
    a = _on_site(syjt_assignment, office, make_person, orgs, committees)
    assert a.onsite_end > date(2024, 10, 20)
    with pytest.raises(ValidationError, match="提前结束进驻须说明理由"):
        assignment_transition(actor=office, assignment=a, code="close_onsite")
    a = assignment_transition(actor=office, assignment=a, code="close_onsite", reason="领导小组决定提前结束")
    assert a.state == AssignmentState.ON_SITE_CLOSED
    assert a.events.get(transition="close_onsite").reason == "领导小组决定提前结束"


@time_machine.travel("2024-10-01 10:00:00+08:00", tick=False)
def test_entering_before_the_planned_day_needs_a_reason(syjt_assignment, office, make_person, orgs, committees):
    _staff_team(syjt_assignment, make_person, orgs, committees)
    assignment_authorize(actor=office, assignment=syjt_assignment, doc_no="长巡授〔2024〕1号", on=date(2024, 9, 1))
    a = assignment_transition(actor=office, assignment=syjt_assignment, code="prepare", effective_on=date(2024, 9, 2))
    a = assignment_transition(actor=office, assignment=a, code="notify", effective_on=date(2024, 9, 20))
    with pytest.raises(ValidationError, match="计划日期为2024年10月08日，提前进驻须说明理由"):
        assignment_transition(actor=office, assignment=a, code="enter")


def test_only_the_committee_approves_the_report(syjt_assignment, make_user, committees):
    """书记专题会审定 is the standing committee's act: the leading group hears the report, it does not approve it."""
    from xuncha.planning.machines import ASSIGNMENT_MACHINE

    approve = ASSIGNMENT_MACHINE.get("approve_report")
    assert approve.actors == ("committee",)
    group = make_user("lg", Role.LEADING_GROUP, committees["city"])
    member = make_user("cm", Role.COMMITTEE_MEMBER, committees["city"])
    reviewed = assignment_advance(syjt_assignment, AssignmentState.REPORT_REVIEWED, entered_on=date(2024, 10, 8))
    with pytest.raises(PermissionDenied, match="由党委常委会办理"):
        assignment_transition(actor=group, assignment=reviewed, code="approve_report")
    done = assignment_transition(actor=member, assignment=reviewed, code="approve_report")
    assert done.state == AssignmentState.REPORT_APPROVED


def test_round_approval_goes_office_then_leading_group_then_committee(
    city_round, syjt_assignment, make_user, committees
):
    office = make_user("o", Role.OFFICE_STAFF, committees["city"])
    group = make_user("g", Role.LEADING_GROUP, committees["city"])
    secretary = make_user("s", Role.COMMITTEE_MEMBER, committees["city"])
    with pytest.raises(PermissionDenied):
        approval_transition(actor=office, subject=city_round, action="group_approve")
    with pytest.raises(ValidationError, match="当前处于“巡察办起草”，不能执行“常委会审定”"):
        approval_transition(actor=secretary, subject=city_round, action="committee_approve")
    approval_transition(actor=office, subject=city_round, action="submit")
    with pytest.raises(ValidationError, match="“退回修改”必须说明理由"):
        approval_transition(actor=group, subject=city_round, action="return")
    approval_transition(actor=group, subject=city_round, action="return", opinion="补充整改督查对象。")
    approval_transition(actor=office, subject=city_round, action="submit")
    approval_transition(actor=group, subject=city_round, action="group_approve", opinion="同意。")
    with pytest.raises(PermissionDenied):
        approval_transition(actor=group, subject=city_round, action="committee_approve")
    approval_transition(actor=secretary, subject=city_round, action="committee_approve", opinion="同意。")
    city_round.refresh_from_db()
    assert city_round.status == ApprovalStatus.APPROVED
    trail = list(city_round.approval_steps.values_list("action", "actor__username", "opinion"))
    assert trail == [
        ("submit", "o", ""),
        ("return", "g", "补充整改督查对象。"),
        ("submit", "o", ""),
        ("group_approve", "g", "同意。"),
        ("committee_approve", "s", "同意。"),
    ]


def test_filing_shows_the_round_to_the_upper_office_and_no_one_sideways(
    city_round, syjt_assignment, make_user, committees
):
    province = make_user("p", Role.OFFICE_STAFF, committees["province"])
    yuhua = make_user("y", Role.OFFICE_STAFF, committees["yuhua"])
    office = make_user("o", Role.OFFICE_STAFF, committees["city"])
    assert not rounds_visible(province).exists()
    with pytest.raises(ValidationError, match="审定后方可报备"):
        round_file(actor=office, round_=city_round, filing_no="长巡办报〔2024〕1号")
    approve(city_round)
    round_file(actor=office, round_=city_round, filing_no="长巡办报〔2024〕1号")
    assert list(rounds_visible(province)) == [city_round]
    assert not rounds_visible(yuhua).exists()
    with pytest.raises(ValidationError, match="已于"):
        round_file(actor=office, round_=city_round, filing_no="again")
