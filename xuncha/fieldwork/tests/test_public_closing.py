"""The public channel closes with the on-site stage: after 结束进驻 (and in every later or cancelled state)
the report form and the survey refuse, the page says why and names the regular channels, and a page
cached a moment before the close does not let a submission through."""

import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from xuncha.fieldwork.models import Announcement, SurveyResponse
from xuncha.fieldwork.selectors import announcement_by_token
from xuncha.fieldwork.survey import QUESTIONS, survey_submit
from xuncha.petitions.intake.services import petition_submit
from xuncha.petitions.models import Petition
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.planning.choices import AssignmentState
from xuncha.planning.services.assignments import assignment_transition
from xuncha.planning.tests.factories import assignment_advance

SHEET = {code: "较好" for code, _ in QUESTIONS}
REPORT = {"what": "反映水业集团某部长违规插手工程招标，收受好处费。", "anonymous": "on"}


def _close_onsite(team_world):
    return assignment_transition(
        actor=team_world["leader"], assignment=team_world["assignment"], code="close_onsite", reason="了解工作已完成"
    )


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_after_the_team_leaves_the_report_form_and_the_survey_refuse(team_world):
    cache.clear()
    token = team_world["announcement"].token
    assert "感谢参与" in Client().post(f"/p/{token}/survey/", SHEET, REMOTE_ADDR="10.3.0.1").content.decode()
    cached = announcement_by_token(token)  # what a page rendered just before the close holds
    before = Petition.objects.count()

    _close_onsite(team_world)
    assert Announcement.objects.get(pk=team_world["announcement"].pk).closed_on.isoformat() == "2024-10-15"

    for page in (f"/p/{token}/", f"/p/{token}/survey/"):
        shown = Client().get(page, REMOTE_ADDR="10.3.0.2").content.decode()
        assert "结束进驻" in shown and "12388" in shown and "信访部门" in shown, page
    posted = Client().post(f"/p/{token}/", REPORT, REMOTE_ADDR="10.3.0.3").content.decode()
    assert "receipt-code" not in posted and "网上信访受理已关闭" in posted
    Client().post(f"/p/{token}/survey/", SHEET, REMOTE_ADDR="10.3.0.4")
    assert Petition.objects.count() == before and SurveyResponse.objects.count() == 1

    # The services refuse on the stored row, even when handed the copy cached before the close.
    try:
        petition_submit(announcement=cached, content=REPORT)
    except ValidationError as exc:
        assert "网上信访受理已关闭" in exc.messages[0]
    else:
        raise AssertionError("a report was taken after the close")
    try:
        survey_submit(announcement=cached, answers=SHEET)
    except ValidationError as exc:
        assert "12388" in exc.messages[0]
    else:
        raise AssertionError("a survey sheet was taken after the close")
    assert Petition.objects.count() == before and SurveyResponse.objects.count() == 1


@time_machine.travel("2024-12-30 10:00:00+08:00", tick=False)
def test_an_archived_assignment_keeps_its_page_closed(team_world):
    cache.clear()
    assignment = assignment_advance(team_world["assignment"], AssignmentState.REPORT_DRAFTING)
    assert assignment.state == AssignmentState.REPORT_DRAFTING
    token = team_world["announcement"].token
    page = Client().get(f"/p/{token}/", REMOTE_ADDR="10.3.1.1").content.decode()
    assert "网上信访受理已关闭" in page and 'name="what"' not in page


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_other_assignments_page_stays_open(team_world):
    cache.clear()
    _close_onsite(team_world)
    other = team_world["other_announcement"]
    assert Announcement.objects.get(pk=other.pk).closed_on is None
    page = Client().get(f"/p/{other.token}/", REMOTE_ADDR="10.3.2.1").content.decode()
    assert 'name="what"' in page and "网上信访受理已关闭" not in page
