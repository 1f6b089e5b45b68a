"""Entry meetings, document requests, other methods, weekly and urgent reports, the documents read back,
the workspace pages across personas, and the "四不" rule."""

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from xuncha.fieldwork.choices import AttendeeGroup
from xuncha.fieldwork.documents import document_list_docx, interview_record_docx
from xuncha.fieldwork.entry import attendance_generate, meeting_save
from xuncha.fieldwork.interviews import interview_list_generate, interview_record
from xuncha.fieldwork.models import DocumentRequest, UrgentReport, WorkActivity
from xuncha.fieldwork.records import activity_record, document_give_back, document_hand_over, document_request_create
from xuncha.fieldwork.tests.onsite_world import roster, team_persons
from xuncha.fieldwork.views.onsite import ACTIONS
from xuncha.fieldwork.weekly import (
    urgent_answer,
    urgent_report_open,
    urgent_report_send,
    weekly_due,
    weekly_report_submit,
)
from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.tests.conftest import ON_SITE_DAY


@pytest.fixture(autouse=True)
def _on_site_day():
    with time_machine.travel(ON_SITE_DAY, tick=False):
        yield


@pytest.fixture
def world(team_world, make_person, orgs):
    return {**team_world, **roster(make_person, orgs), "team": team_persons(team_world["assignment"])}


def _text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_mobilization_list_follows_seed_004s_groups(world):
    meeting = meeting_save(
        actor=world["leader"], assignment=world["assignment"], kind="mobilization", held_on=date(2024, 10, 8),
        chair="李建国", speakers="巡察组组长、李建国",
    )  # fmt: skip
    groups = {a.person.name: a.group for a in attendance_generate(actor=world["leader"], meeting=meeting)}
    assert groups == {
        "李建国": AttendeeGroup.LEADERSHIP,
        "王副总": AttendeeGroup.LEADERSHIP,
        "赵纪检": AttendeeGroup.LEADERSHIP,
        "郑经理": AttendeeGroup.NEXT_LEVEL_HEAD,
        "孙退休": AttendeeGroup.RETIRED_LEADER,
    }
    with pytest.raises(PermissionDenied):
        attendance_generate(actor=world["member"], meeting=meeting)
    with pytest.raises(ValidationError, match="进驻动员会"):
        pre = meeting_save(actor=world["leader"], assignment=world["assignment"], kind="pre_meeting",
                           held_on=date(2024, 10, 8), chair="巡察组组长")  # fmt: skip
        attendance_generate(actor=world["leader"], meeting=pre)


def test_a_document_request_is_handed_over_and_returned_and_reads_back(world, personas):
    a, b, _ = world["team"]
    request = document_request_create(
        actor=world["member"], assignment=world["assignment"], provider="党委办公室",
        items=[("2023年党委会会议记录", 2, True), ("三重一大事项台账", 1, False)], requested_on=date(2024, 10, 9),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        document_hand_over(actor=personas["unit_liaison"], request=request, on=date(2024, 10, 10), handed_by="某",
                           received_by=a)  # fmt: skip
    with pytest.raises(ValidationError, match="归还"):  # not yet handed over: nothing to return
        document_give_back(actor=world["member"], request=request, on=date(2024, 10, 11), returned_by=a,
                           taken_back_by="某")  # fmt: skip
    document_hand_over(actor=world["member"], request=request, on=date(2024, 10, 10), handed_by="陈秘书", received_by=a)
    document_give_back(actor=world["member"], request=request, on=date(2024, 10, 14), returned_by=b,
                       taken_back_by="陈秘书")  # fmt: skip
    request = DocumentRequest.objects.get(pk=request.pk)
    assert request.get_status_display() == "已归还"
    text = _text(document_list_docx(request))
    assert "2023年党委会会议记录" in text and "原件" in text and "第1号" in text
    assert f"移交人：陈秘书    接收人：{a.name}" in text and f"归还人：{b.name}" in text


def test_the_interview_record_document_reads_back(world):
    interview_list_generate(actor=world["leader"], assignment=world["assignment"], on=date(2024, 10, 8))
    a, b, _ = world["team"]
    subject = world["assignment"].interviewees.get(name="李建国")
    record = interview_record(actor=world["leader"], subject=subject, held_on=date(2024, 10, 9), interviewers=[a, b],
                              recorder=b, text="第一段。\n第二段。", confirmed=True, place="集团小会议室")  # fmt: skip
    text = _text(interview_record_docx(record, "第一段。\n第二段。"))
    assert "谈话记录" in text and "李建国" in text and "必谈" in text and f"{a.name}、{b.name}" in text
    assert "第二段。" in text and "以上记录经本人核对无误。" in text and "集团小会议室" in text


def test_activities_check_the_team_and_the_four_no_two_direct_flag(world, personas):
    a, b, _ = world["team"]
    with pytest.raises(ValidationError, match="四不两直"):
        activity_record(actor=world["member"], assignment=world["assignment"], method="symposium",
                        held_on=date(2024, 10, 10), counterpart="中层干部", participants=[a], summary="某",
                        unannounced=True)  # fmt: skip
    with pytest.raises(PermissionDenied):
        activity_record(actor=personas["city_office"], assignment=world["assignment"], method="briefing",
                        held_on=date(2024, 10, 10), counterpart="某", participants=[a], summary="某")  # fmt: skip
    activity_record(actor=world["member"], assignment=world["assignment"], method="field_visit",
                    held_on=date(2024, 10, 11), counterpart="二水厂", participants=[a, b], summary="直奔现场查看。",
                    unannounced=True)  # fmt: skip
    assert WorkActivity.objects.get().unannounced


def test_the_weekly_report_counts_the_records_and_the_petitions_and_is_due_by_the_parameter(world):
    a, b, _ = world["team"]
    assignment = world["assignment"]
    interview_list_generate(actor=world["leader"], assignment=assignment, on=date(2024, 10, 8))
    for s in assignment.interviewees.all()[:2]:
        interview_record(actor=world["leader"], subject=s, held_on=date(2024, 10, 14), interviewers=[a, b],
                         recorder=a, text="某", confirmed=True)  # fmt: skip
    activity_record(actor=world["member"], assignment=assignment, method="field_visit", held_on=date(2024, 10, 14),
                    counterpart="二水厂", participants=[a], summary="某")  # fmt: skip
    request = document_request_create(actor=world["member"], assignment=assignment, provider="财务部",
                                      items=[("凭证", 12, False)], requested_on=date(2024, 10, 14))  # fmt: skip
    document_hand_over(actor=world["member"], request=request, on=date(2024, 10, 15), handed_by="某", received_by=a)
    petition_register(actor=world["leader"], assignment=assignment, channel="letter", content={"what": "反映某事。"})
    with pytest.raises(PermissionDenied):
        weekly_report_submit(actor=world["member"], assignment=assignment, week_start=date(2024, 10, 14),
                             next_week_plan="某")  # fmt: skip
    report = weekly_report_submit(actor=world["leader"], assignment=assignment, week_start=date(2024, 10, 16),
                                  next_week_plan="继续个别谈话。")  # fmt: skip
    counts = dict(map(tuple, report.counts))
    assert report.week_start == date(2024, 10, 14)
    assert counts["个别谈话（人次）"] == 2 and counts["调阅资料（份、册）"] == 12
    assert counts["下沉走访（次）"] == 1 and counts["受理信访（件）"] == 1
    with pytest.raises(ValidationError, match="已报送"):
        weekly_report_submit(actor=world["leader"], assignment=assignment, week_start=date(2024, 10, 14),
                             next_week_plan="再报")  # fmt: skip
    # Due on Friday by default; the week of 国庆 (Friday 4 October a holiday) moves it to the next working day.
    assert weekly_due(assignment, date(2024, 10, 14)) == date(2024, 10, 18)
    assert weekly_due(assignment, date(2024, 9, 30)) == date(2024, 10, 8)


def test_an_urgent_report_is_sealed_and_answered_by_the_office_or_the_leading_group(world, personas):
    with pytest.raises(PermissionDenied):
        urgent_report_send(actor=world["member"], assignment=world["assignment"], matter="serious_violation",
                           addressee="leading_group", content="某")  # fmt: skip
    report = urgent_report_send(actor=world["leader"], assignment=world["assignment"], matter="serious_violation",
                                addressee="leading_group", content="发现集团主要负责人涉嫌严重违纪。")  # fmt: skip
    assert "违纪".encode() not in bytes(UrgentReport.objects.get(pk=report.pk).sealed_content)
    for outsider in ("other_team", "unit_leader", "discipline", "sec_auditor"):
        with pytest.raises(PermissionDenied):
            urgent_report_open(actor=personas[outsider], report=report)
    with pytest.raises(PermissionDenied):
        urgent_answer(actor=world["leader"], report=report, answer="同意")
    urgent_answer(actor=personas["leading_group"], report=report, answer="立即向书记报告。")
    assert urgent_report_open(actor=personas["city_office"], report=report) == (
        "发现集团主要负责人涉嫌严重违纪。",
        "立即向书记报告。",
    )


def test_the_workspace_is_the_teams_and_the_offices_only(world, personas, login):
    url = reverse("fieldwork:workspace_page", args=[world["assignment"].pk])
    page = login(world["member"]).get(url)
    assert page.status_code == 200 and "录入谈话记录" in page.content.decode()
    office = login(personas["city_office"]).get(url).content.decode()
    assert "（只读）" in office and "录入谈话记录" not in office
    assert login(world["other_team"]).get(url).status_code == 404
    for name in ("unit_leader", "unit_liaison", "discipline", "org_dept", "sec_auditor", "sys_admin", "yuhua_office"):
        assert login(personas[name]).get(url).status_code in {403, 404}, name


def test_a_workspace_form_goes_through_its_service(world, login):
    client = login(world["member"])
    url = reverse("fieldwork:workspace_action", args=[world["assignment"].pk, "document_request"])
    response = client.post(url, {"provider": "党委办公室", "requested_on": "2024-10-15",
                                 "items": "2023年党委会会议记录，2册（原件）\n工程台账"})  # fmt: skip
    assert response.status_code == 302
    items = [(i.title, i.copies, i.original) for i in DocumentRequest.objects.get().items.all()]
    assert items == [("2023年党委会会议记录", 2, True), ("工程台账", 1, False)]
    refused = client.post(reverse("fieldwork:workspace_action", args=[world["assignment"].pk, "urgent"]),
                          {"matter": "other", "addressee": "leading_group", "content": "某"})  # fmt: skip
    assert refused.status_code == 403 and not UrgentReport.objects.exists()


CASE_HANDLING = ("立案", "调查", "处分", "审查", "留置", "查办", "处理具体问题")


def test_no_team_role_is_offered_case_handling_actions(world, login):
    """ "四不": no 立案/调查/处分 action anywhere for team roles (domain.md §4.4)."""
    from xuncha.core.transitions import Machine
    from xuncha.fieldwork import machines

    offered = [done for _, _, done in ACTIONS.values()]
    for machine in (v for v in vars(machines).values() if isinstance(v, Machine)):
        offered += [t.label for t in machine.transitions.values()]
    assert not [label for label in offered if any(word in label for word in CASE_HANDLING)]
    page = login(world["leader"]).get(reverse("fieldwork:workspace_page", args=[world["assignment"].pk]))
    buttons = [chunk.split("</button>")[0] for chunk in page.content.decode().split("<button")[1:]]
    assert buttons and not [b for b in buttons if any(word in b for word in CASE_HANDLING)]
