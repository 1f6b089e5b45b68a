"""个别谈话: the 必谈 list from the rosters, the sealed record, and the gate on leaving the site."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from xuncha.core.models import AuditEvent
from xuncha.fieldwork.choices import InterviewBasis, InterviewStatus
from xuncha.fieldwork.interviews import (
    interview_list_generate,
    interview_record,
    interview_record_open,
    interview_reinstate,
    interview_subject_add,
    interview_waive,
)
from xuncha.fieldwork.models import InterviewRecord, InterviewSubject
from xuncha.fieldwork.tests.onsite_world import roster, team_persons
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.planning.choices import AssignmentState
from xuncha.planning.services.assignments import assignment_transition


@pytest.fixture(autouse=True)
def _on_site_day():
    with time_machine.travel(ON_SITE_DAY, tick=False):
        yield


TEXT = "谈到集团工程招标中存在围标串标的反映，涉及某副总经理。"


@pytest.fixture
def world(team_world, make_person, orgs):
    return {**team_world, **roster(make_person, orgs), "team": team_persons(team_world["assignment"])}


def _generate(world):
    return interview_list_generate(actor=world["leader"], assignment=world["assignment"], on=date(2024, 10, 8))


def test_the_required_list_comes_from_the_rosters(world):
    added = {s.name: s.basis for s in _generate(world)}
    assert added == {
        "李建国": InterviewBasis.LEADERSHIP,
        "王副总": InterviewBasis.LEADERSHIP,
        "赵纪检": InterviewBasis.LEADERSHIP,
        "钱财务": InterviewBasis.KEY_POST,
        "孙退休": InterviewBasis.RETIRED_LEADER,
    }  # 周早退 left more than two years ago; staff and the subsidiary's head are not 必谈
    assert _generate(world) == []  # a second run adds nothing


def test_only_the_team_leader_generates_and_only_the_team_adds_optional_interviews(world, personas):
    with pytest.raises(PermissionDenied, match="组长"):
        interview_list_generate(actor=world["member"], assignment=world["assignment"], on=date(2024, 10, 8))
    for outsider in ("other_team", "city_office", "unit_leader", "discipline", "sec_auditor"):
        with pytest.raises(PermissionDenied):
            interview_subject_add(actor=personas[outsider], assignment=world["assignment"], name="某", title="某")
    subject = interview_subject_add(actor=world["member"], assignment=world["assignment"], name="冯", title="供应商")
    assert subject.get_kind_display() == "选谈"


def test_an_interview_needs_two_inspectors_of_the_team_one_recording(world):
    subject = _generate(world)[0]
    a, b, c = world["team"]
    base = {
        "actor": world["member"],
        "subject": subject,
        "held_on": date(2024, 10, 10),
        "text": TEXT,
        "confirmed": True,
    }
    with pytest.raises(ValidationError, match="两名以上"):
        interview_record(**base, interviewers=[a], recorder=a)
    with pytest.raises(ValidationError, match="记录人"):
        interview_record(**base, interviewers=[a, b], recorder=c)
    with pytest.raises(ValidationError, match="本组巡察人员"):
        interview_record(**base, interviewers=[a, world["head"]], recorder=a)
    assert not InterviewRecord.objects.exists()
    record = interview_record(**base, interviewers=[a, b], recorder=b)
    subject.refresh_from_db()
    assert subject.status == InterviewStatus.RECORDED and record.confirmed


def test_the_record_is_sealed_and_opening_it_is_audited_for_the_team_and_the_office_only(world, personas):
    subject = _generate(world)[0]
    a, b, _ = world["team"]
    record = interview_record(
        actor=world["member"], subject=subject, held_on=date(2024, 10, 10), interviewers=[a, b], recorder=a,
        text=TEXT, confirmed=False,
    )  # fmt: skip
    stored = bytes(InterviewRecord.objects.get(pk=record.pk).sealed_record)
    assert TEXT.encode() not in stored and "围标".encode() not in stored
    before = AuditEvent.objects.filter(action="fieldwork.interview_open").count()
    assert interview_record_open(actor=personas["city_office"], record=record) == TEXT
    assert interview_record_open(actor=world["member"], record=record) == TEXT
    assert AuditEvent.objects.filter(action="fieldwork.interview_open").count() == before + 2
    for outsider in ("other_team", "unit_leader", "unit_liaison", "discipline", "org_dept", "sec_auditor", "sys_admin"):
        with pytest.raises(PermissionDenied):
            interview_record_open(actor=personas[outsider], record=record)
    assert AuditEvent.objects.filter(action="fieldwork.interview_open").count() == before + 2


def test_leaving_the_site_needs_the_required_interviews_recorded_or_waived_with_a_reason(world):
    leader, assignment = world["leader"], world["assignment"]
    with pytest.raises(ValidationError, match="尚未生成必谈名单"):
        assignment_transition(actor=leader, assignment=assignment, code="close_onsite", reason="完成")
    subjects = _generate(world)
    with pytest.raises(ValidationError, match="还有5名必谈对象"):
        assignment_transition(actor=leader, assignment=assignment, code="close_onsite", reason="完成")
    a, b, _ = world["team"]
    interview_record(
        actor=leader, subject=subjects[0], held_on=date(2024, 10, 9), interviewers=[a, b], recorder=a, text=TEXT,
        confirmed=True,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="说明理由"):
        interview_waive(actor=leader, subject=subjects[1], reason="  ")
    with pytest.raises(PermissionDenied):
        interview_waive(actor=world["member"], subject=subjects[1], reason="出差")
    for s in subjects[1:]:
        interview_waive(actor=leader, subject=s, reason="长期病休，经组务会研究不再谈话")
    interview_reinstate(actor=leader, subject=subjects[4], reason="已返岗")
    with pytest.raises(ValidationError, match="还有1名必谈对象"):
        assignment_transition(actor=leader, assignment=assignment, code="close_onsite", reason="完成")
    interview_waive(actor=leader, subject=subjects[4], reason="又病休")
    done = assignment_transition(actor=leader, assignment=assignment, code="close_onsite", reason="完成")
    assert done.state == AssignmentState.ON_SITE_CLOSED
    assert InterviewSubject.objects.get(pk=subjects[1].pk).waiver_reason.startswith("长期病休")
    # After leaving, nothing more is recorded.
    with pytest.raises(ValidationError, match="已撤离"):
        interview_subject_add(actor=leader, assignment=assignment, name="某", title="某")


def test_a_unit_without_anyone_to_interview_leaves_without_a_list(team_world):
    done = assignment_transition(
        actor=team_world["leader"], assignment=team_world["assignment"], code="close_onsite", reason="完成"
    )
    assert done.state == AssignmentState.ON_SITE_CLOSED
