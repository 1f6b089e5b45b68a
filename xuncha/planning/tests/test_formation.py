"""Automatic formation: proposals confirmed by an independent checker; infeasibility explained in words."""

from datetime import date

import pytest

from xuncha.core.roles import Role
from xuncha.core.tests.setup import SETUP
from xuncha.orgs.choices import PostKind, RelationKind, RelationSource
from xuncha.orgs.services import relationship_add
from xuncha.planning.choices import RunStatus
from xuncha.planning.models import FormationRun, Team
from xuncha.planning.services.assignments import assignment_create
from xuncha.planning.services.formation import formation_apply, formation_execute, formation_request
from xuncha.planning.services.plans import round_create
from xuncha.planning.services.teams import team_create, team_member_add
from xuncha.planning.tests.conftest import pool_add
from xuncha.planning.tests.formation_checker import check_round

SKILLS = [("discipline",), ("finance",), ("audit",), ("organization",), ("law",), ("petition",)]


@pytest.fixture
def scene(committees, orgs, make_person, city_round, syjt_head):
    """A pool of 4 leaders and 16 others with traps for every rule; four assignments in two waves."""
    city = committees["city"]
    people = {}
    for i in range(4):
        people[f"L{i}"] = make_person(f"组长{i}", orgs["cs"], "二级巡视员")
        pool_add(city, people[f"L{i}"], "leader", ("discipline",) if i % 2 else ("organization",))
    for i in range(16):
        home = orgs["tiaoma"] if i == 5 else orgs["cs"]
        people[f"T{i}"] = make_person(f"组员{i}", home)
        pool_add(city, people[f"T{i}"], "talent", SKILLS[i % len(SKILLS)])
    # Traps: a spouse of the 水业 chairman, an ex-employee, a 跳马镇 cadre (cross inspection of its village).
    relationship_add(
        actor=SETUP, person_a=people["T1"], person_b=syjt_head, kind=RelationKind.SPOUSE, source=RelationSource.VERIFIED
    )
    from xuncha.orgs.services import position_save

    position_save(
        actor=SETUP,
        person=people["T2"],
        organization=orgs["syjt"],
        title="会计",
        post_kind=PostKind.STAFF,
        start_date=date(2022, 1, 1),
        end_date=date(2023, 12, 31),
    )
    # 三个不固定: L0 led the last inspection of 市水业集团.
    earlier = round_create(
        actor=SETUP, committee=city, year=2021, seq_no=1, start_date=date(2021, 3, 1), end_date=date(2021, 6, 1)
    )
    old_team = team_create(actor=SETUP, round_=earlier)
    team_member_add(actor=SETUP, team=old_team, person=people["L0"], role="leader")
    team_member_add(actor=SETUP, team=old_team, person=people["T3"], role="member")
    team_member_add(actor=SETUP, team=old_team, person=people["T4"], role="member")
    assignment_create(
        actor=SETUP,
        round_=earlier,
        organization=orgs["syjt"],
        inspection_type="regular",
        planned_entry=date(2021, 3, 1),
        team=old_team,
    )
    for org in (orgs["syjt"], orgs["yl"]):
        assignment_create(
            actor=SETUP,
            round_=city_round,
            organization=org,
            inspection_type="regular",
            planned_entry=date(2024, 10, 8),
            planned_end=date(2024, 11, 8),
        )
    for org in (orgs["village"], orgs["yljd"]):
        flags = ["elevated", "cross"] if org == orgs["village"] else ["elevated"]
        assignment_create(
            actor=SETUP,
            round_=city_round,
            organization=org,
            inspection_type="regular",
            flags=flags,
            planned_entry=date(2024, 11, 18),
        )
    return people


def _run(round_, **options):
    run = formation_request(actor=SETUP, round_=round_, options={"team_count": 2, **options})
    return formation_execute(run.pk)


def test_the_proposal_passes_the_independent_checker(scene, city_round):
    run = _run(city_round)
    assert run.status == RunStatus.DONE and run.optimal, run.messages
    formation_apply(actor=SETUP, run=run)
    assert check_round(city_round) == []
    teams = list(Team.objects.filter(round=city_round))
    assert [t.name for t in teams] == ["第一巡察组", "第二巡察组"]
    assert sum(t.assignments.count() for t in teams) == 4
    # The previous leader of 市水业集团 may serve, but not lead that team.
    syjt_team = city_round.assignments.get(organization__org_code="CS-SYJT").team
    assert not syjt_team.members.filter(person=scene["L0"], role="leader").exists()
    # Those who served together before are not paired again when others are free.
    assert (
        not Team.objects.filter(round=city_round, members__person=scene["T3"])
        .filter(members__person=scene["T4"])
        .exists()
    )


def test_pins_and_exclusions_hold(scene, city_round):
    t5, l2 = scene["T5"], scene["L2"]
    run = _run(city_round, pinned_people={str(t5.pk): 1}, pinned_leaders={"0": l2.pk}, excluded=[scene["T6"].pk])
    assert run.status == RunStatus.DONE, run.messages
    formation_apply(actor=SETUP, run=run)
    assert check_round(city_round, pins={"people": {t5.pk: 2}}) == []
    assert Team.objects.get(round=city_round, seq=1).members.get(role="leader").person == l2
    assert not Team.objects.filter(round=city_round, members__person=scene["T6"]).exists()


def test_too_few_leaders_is_explained(scene, city_round):
    run = _run(city_round, team_count=5)
    assert run.status == RunStatus.INFEASIBLE
    assert "组长库中可调用的组长只有 4 人，少于需要组建的 5 个巡察组。" in run.messages


def test_an_impossible_pin_names_the_clashing_constraints(scene, city_round):
    spouse = scene["T1"]
    run = _run(
        city_round,
        pinned_people={str(spouse.pk): 0},
        pinned_slots={str(city_round.assignments.get(organization__org_code="CS-SYJT").pk): 0},
    )
    assert run.status == RunStatus.INFEASIBLE
    [message] = run.messages
    assert message.startswith("以下条件不能同时满足：")
    assert f"固定{spouse.name}编入第一巡察组" in message
    assert "固定长沙市水业集团有限公司由第一巡察组承担" in message
    assert "回避规则“与被巡察单位人员有亲属关系”" in message


def test_the_formation_page_queues_a_run_and_adopts_it(scene, city_round, make_user, committees, login):
    office = make_user("office", Role.OFFICE_STAFF, committees["city"])
    client = login(office)
    response = client.post(
        f"/planning/rounds/{city_round.pk}/formation/",
        {"team_count": 2, "time_limit": 10, "pinned_people": "不存在的编号=1"},
    )
    assert "固定人员第 1 行：组长库、人才库中没有“不存在的编号”。" in response.content.decode()
    assert not FormationRun.objects.exists()
    response = client.post(f"/planning/rounds/{city_round.pk}/formation/", {"team_count": 2, "time_limit": 10})
    run = FormationRun.objects.get()
    assert response.status_code == 302 and run.status == RunStatus.DONE  # the immediate task backend ran it
    page = client.get(f"/planning/rounds/{city_round.pk}/formation/{run.pk}/").content.decode()
    assert "已证明为最优方案" in page and "采用此方案" in page
    client.post(f"/planning/rounds/{city_round.pk}/formation/{run.pk}/apply/")
    assert check_round(city_round) == []
    run.refresh_from_db()
    assert run.status == RunStatus.APPLIED
