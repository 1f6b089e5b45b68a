"""问题底稿 and 立行立改: written by the team, reviewed author → 组务会 → 组长 → 巡察办 on the engine, read by the
office, never by the inspected unit; an immediate fix is signed for by the unit's top leader, reported on and
verified; petitions used as a problem open the working paper in the same transaction; the report waits for
every problem to be approved."""

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from xuncha.core.models import StateChange
from xuncha.core.roles import Role
from xuncha.findings.models import FixStatus, Problem, ProblemStatus, ProblemTrack
from xuncha.findings.problems.services import (
    immediate_fix_issue,
    immediate_fix_transition,
    problem_create,
    problem_transition,
    problem_update,
)
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory
from xuncha.planning.services.assignments import assignment_transition

TEXT = {
    "phenomenon": "2023年3月至12月，该集团财务部违规向职工发放交通补贴共计18.6万元。",
    "qualification": "违反《党政机关厉行节约反对浪费条例》第二十条。",
    "responsibility_text": "集团党委负主体责任，财务部负责人负直接责任。",
}


def _problem(world, **extra):
    fields = {"title": "违规发放津补贴", "category": "focus_grassroots_corruption", **TEXT, **extra}
    return problem_create(actor=world["member"], assignment=world["assignment"], **fields)


@pytest.fixture
def unit_leader(make_user, orgs):
    return make_user("syjt_top", Role.UNIT_LEADER, None, orgs["syjt"])


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_working_paper_goes_through_the_group_the_leader_and_the_office(team_world, personas):
    p = _problem(team_world)
    assert p.number == "[2024]长巡1-1组-01号" and p.status == ProblemStatus.DRAFT
    with pytest.raises(PermissionDenied, match="巡察组组长"):
        problem_transition(actor=team_world["member"], problem=p, code="group_review")
    problem_transition(actor=team_world["leader"], problem=p, code="group_review", reason="组务会同意")
    with pytest.raises(ValidationError, match="不能修改"):
        problem_update(actor=team_world["member"], problem=p, title="改")
    problem_transition(actor=team_world["leader"], problem=p, code="sign")
    with pytest.raises(PermissionDenied):
        problem_transition(actor=team_world["leader"], problem=p, code="approve")
    problem_transition(actor=personas["city_office"], problem=p, code="return", reason="定性依据不准确")
    problem_update(actor=team_world["member"], problem=p, qualification="违反《中国共产党纪律处分条例》第一百零三条。")
    for actor, code in ((team_world["leader"], "group_review"), (team_world["leader"], "sign"),
                        (personas["city_office"], "approve")):  # fmt: skip
        problem_transition(actor=actor, problem=p, code=code)
    p.refresh_from_db()
    assert p.status == ProblemStatus.APPROVED
    trail = list(
        StateChange.objects.filter(machine="findings.problem", object_id=p.pk).values_list("transition", flat=True)
    )
    assert trail == ["group_review", "sign", "return", "group_review", "sign", "approve"]
    with pytest.raises(PermissionDenied, match="巡察组撰写"):
        problem_create(actor=team_world["other_team"], assignment=team_world["assignment"], title="某",
                       category="focus_policy")  # fmt: skip


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_only_the_team_the_office_and_the_group_see_a_working_paper(team_world, personas, login, unit_leader):
    p = _problem(team_world)
    url = f"/findings/problems/{p.pk}/"
    for name in ("leader", "member", "petition_officer", "city_office", "city_admin"):
        assert TEXT["phenomenon"] in login(personas[name]).get(url).content.decode(), name
    for name in ("other_team", "yuhua_office", "discipline", "org_dept", "sec_auditor", "sys_admin", "no_role"):
        assert login(personas[name]).get(url).status_code in {403, 404}, name
        listing = login(personas[name]).get("/findings/problems/")
        assert p.number not in listing.content.decode(), name
    assert login(unit_leader).get(url).status_code in {403, 404}
    assert p.number not in login(unit_leader).get("/findings/fixes/").content.decode()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_an_immediate_fix_is_signed_for_by_the_top_leader_reported_and_verified(
    team_world, personas, login, make_user, orgs, unit_leader
):
    p = _problem(team_world, track=ProblemTrack.IMMEDIATE)
    with pytest.raises(PermissionDenied, match="组长下发"):
        immediate_fix_issue(
            actor=team_world["member"], problem=p, requirement="立即停止发放", due_on=date(2024, 10, 30)
        )
    with pytest.raises(ValidationError, match="进驻结束"):
        immediate_fix_issue(actor=team_world["leader"], problem=p, requirement="立即停止发放", due_on=date(2025, 6, 1))
    fix = immediate_fix_issue(
        actor=team_world["leader"], problem=p, requirement="立即停止发放并清退", due_on=date(2024, 10, 30)
    )
    liaison = make_user("syjt_liaison2", Role.UNIT_LIAISON, None, orgs["syjt"])
    with pytest.raises(PermissionDenied, match="主要负责人"):
        immediate_fix_transition(actor=liaison, fix=fix, code="sign")
    page = login(unit_leader).get("/findings/fixes/").content.decode()
    assert fix.notice_no in page and "立即停止发放并清退" in page and TEXT["phenomenon"] not in page
    login(unit_leader).post(f"/findings/fixes/{fix.pk}/act/", {"code": "sign"})
    login(liaison).post(f"/findings/fixes/{fix.pk}/act/", {"code": "report", "text": "已停止发放，清退 18.6 万元。"})
    immediate_fix_transition(actor=team_world["leader"], fix=fix, code="verify", text="经核实已整改到位")
    fix.refresh_from_db()
    assert fix.status == FixStatus.VERIFIED and fix.signed_by == unit_leader and "清退" in fix.report
    notice = Document(io.BytesIO(login(unit_leader).get(f"/findings/fixes/{fix.pk}/notice.docx").content))
    text = "\n".join(par.text for par in notice.paragraphs)
    assert "立行立改通知书" in text and "立即停止发放并清退" in text and fix.notice_no in text
    counts = login(personas["city_office"]).get("/findings/problems/").content.decode()
    assert "其中立行立改 1 个（已核实整改 1 个）" in counts


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_petition_used_as_a_problem_or_a_fix_opens_its_working_paper_and_shows_it(team_world, login):
    used = PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"], problem=True)
    fixed = PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"], immediate_fix=True)
    first, second = Problem.objects.get(petition=used), Problem.objects.get(petition=fixed)
    assert first.track == ProblemTrack.REPORT and second.track == ProblemTrack.IMMEDIATE
    assert first.discipline == "integrity" and used.number in first.title
    page = login(team_world["leader"]).get(f"/petitions/{used.pk}/").content.decode()
    assert f"问题底稿 {first.number}" in page
    # The reporter's words stay sealed in the petition: the working paper is written by the team.
    assert "违规报销差旅费" not in first.title + first.phenomenon


@time_machine.travel("2024-12-20 10:00:00+08:00", tick=False)
def test_the_report_is_drafted_only_when_every_problem_is_approved(team_world, personas):
    with time_machine.travel(ON_SITE_DAY, tick=False):
        p = _problem(team_world)
    a = assignment_transition(actor=team_world["leader"], assignment=team_world["assignment"], code="close_onsite",
                              reason="了解工作完成", effective_on=date(2024, 12, 6))  # fmt: skip
    with pytest.raises(ValidationError, match="还有 1 个问题底稿未经巡察办审核通过"):
        assignment_transition(actor=team_world["leader"], assignment=a, code="draft_report")
    for actor, code in ((team_world["leader"], "group_review"), (team_world["leader"], "sign"),
                        (personas["city_office"], "approve")):  # fmt: skip
        problem_transition(actor=actor, problem=p, code=code)
    assert (
        assignment_transition(actor=team_world["leader"], assignment=a, code="draft_report").state == "report_drafting"
    )


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_office_and_the_unit_find_their_turn_on_the_home_page(team_world, personas, login, unit_leader):
    p = _problem(team_world, track=ProblemTrack.IMMEDIATE)
    problem_transition(actor=team_world["leader"], problem=p, code="group_review")
    problem_transition(actor=team_world["leader"], problem=p, code="sign")
    assert "1 个问题底稿待巡察办审核" in login(personas["city_office"]).get("/").content.decode()
    assert "问题底稿待巡察办审核" not in login(personas["yuhua_office"]).get("/").content.decode()
    immediate_fix_issue(actor=team_world["leader"], problem=p, requirement="立即清退", due_on=date(2024, 10, 30))
    assert "1 份立行立改通知书待签收" in login(unit_leader).get("/").content.decode()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_weekly_report_counts_problems_by_the_rounds_categories(team_world):
    from xuncha.fieldwork.weekly import week_of, weekly_counts

    _problem(team_world)
    _problem(team_world, category="focus_policy")
    counts = dict(weekly_counts(team_world["assignment"], week_of(date(2024, 10, 15))))
    assert counts["发现问题（个）"] == {
        "聚焦贯彻落实党的理论路线方针政策和党中央决策部署": 1,
        "聚焦群众身边腐败问题和不正之风": 1,
        "聚焦基层党组织领导班子和干部队伍建设": 0,
    }


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_responsibilities_name_people_of_the_inspected_units_roster(team_world, login, orgs, make_person):
    import re

    p = _problem(team_world)
    cfo = make_person("刘芳芳", orgs["syjt"], "财务部部长")
    outsider = make_person("欧阳外人", orgs["yh"], "科员")
    client = login(team_world["member"])
    suggested = client.get(f"/findings/problems/{p.pk}/roster/", {"field": "person_code", "person_code": "刘"})
    assert cfo.person_code in suggested.content.decode()
    assert outsider.person_code not in client.get(f"/findings/problems/{p.pk}/roster/", {"q": "欧阳"}).content.decode()
    client.post(f"/findings/problems/{p.pk}/responsibilities/", {"person_code": outsider.person_code, "kind": "direct"})
    client.post(f"/findings/problems/{p.pk}/responsibilities/", {"person_code": cfo.person_code, "kind": "direct"})
    assert [(r.person, r.kind) for r in p.responsibilities.all()] == [(cfo, "direct")]
    page = client.get(f"/findings/problems/{p.pk}/").content.decode()
    assert "刘芳芳：直接责任" in page and re.search(r'hx-get="/findings/problems/\d+/roster/"', page)
