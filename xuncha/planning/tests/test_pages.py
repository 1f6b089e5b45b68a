"""Planning pages against every persona: who gets in, who is refused or finds nothing, and that refusal changes nothing."""

from datetime import date

import pytest

from xuncha.core.tests.setup import SETUP
from xuncha.planning.choices import ApprovalStatus, AssignmentState
from xuncha.planning.models import AssignmentEvent, FormationRun, PoolMember, TeamMember
from xuncha.planning.services.assignments import assignment_authorize, assignment_create, assignment_set_team
from xuncha.planning.services.plans import annual_plan_create, coverage_plan_create, round_file
from xuncha.planning.services.teams import team_create, team_member_add
from xuncha.planning.tests.conftest import link_account, pool_add
from xuncha.planning.tests.factories import approve, assignment_advance

CITY_READERS = {
    "city_admin",
    "city_office",
    "city_director",
    "leading_group",
    "discipline",
    "org_dept",
    "committee_member",
}
READERS = CITY_READERS | {"province_office", "province_discipline", "yuhua_office", "yuelu_office"}
OFFICES = {"city_admin", "city_office", "city_director", "province_office", "yuhua_office", "yuelu_office"}
TEAM = {"team_leader", "other_team"}


@pytest.fixture
def world(personas, committees, orgs, make_person, make_user, city_round, syjt_assignment):
    """Two teams in the city round: one on 市水业集团 (led by `team_leader`), one on 雨花区."""
    city = committees["city"]
    other = assignment_create(
        actor=SETUP,
        round_=city_round,
        organization=orgs["yh"],
        inspection_type="regular",
        planned_entry=date(2024, 10, 8),
    )
    people = {}
    for key, account in [("leader", "team_leader"), ("other", "other_team")]:
        person = make_person(f"{key}人", orgs["cs"])
        pool_add(city, person, "leader", ("discipline",))
        personas[account] = link_account(personas["city_admin"], person, account)
        people[key] = person
    member = make_person("组员人", orgs["cs"])
    pool_add(city, member, "talent", ("finance",))
    team1, team2 = team_create(actor=SETUP, round_=city_round), team_create(actor=SETUP, round_=city_round)
    team_member_add(actor=SETUP, team=team1, person=people["leader"], role="leader")
    team_member_add(actor=SETUP, team=team1, person=member, role="member")
    team_member_add(actor=SETUP, team=team2, person=people["other"], role="leader")
    assignment_set_team(actor=SETUP, assignment=syjt_assignment, team=team1)
    assignment_set_team(actor=SETUP, assignment=other, team=team2)
    # 一次一授权: a team capacity needs the assignment's authorisation (ADR 0014).
    assignment_authorize(actor=SETUP, assignment=syjt_assignment, doc_no="长巡授〔2024〕1号", on=date(2024, 9, 1))
    assignment_authorize(actor=SETUP, assignment=other, doc_no="长巡授〔2024〕2号", on=date(2024, 9, 1))
    coverage = coverage_plan_create(
        actor=SETUP, committee=city, term="本届", start_date=date(2022, 1, 1), end_date=date(2026, 12, 31)
    )
    annual = annual_plan_create(actor=SETUP, committee=city, year=2024)
    pool_entry = PoolMember.objects.get(person=member)
    return {
        "round": city_round,
        "a": syjt_assignment,
        "team": team1,
        "coverage": coverage,
        "annual": annual,
        "pool": pool_entry,
    }


def _pages(w):
    r, a, t = w["round"].pk, w["a"].pk, w["team"].pk
    city_404 = {"province_office": 404, "yuhua_office": 404, "yuelu_office": 404}
    reader_404 = {**city_404, "province_discipline": 404}  # a reader elsewhere: past the rule, not this object
    return [
        ("/planning/coverage/", dict.fromkeys(READERS, 200)),
        ("/planning/coverage/new/", dict.fromkeys(OFFICES, 200)),
        (f"/planning/coverage/{w['coverage'].pk}/", {**dict.fromkeys(CITY_READERS, 200), **reader_404}),
        ("/planning/annual/", dict.fromkeys(READERS, 200)),
        ("/planning/annual/new/", dict.fromkeys(OFFICES, 200)),
        (f"/planning/annual/{w['annual'].pk}/", {**dict.fromkeys(CITY_READERS, 200), **reader_404}),
        ("/planning/rounds/", dict.fromkeys(READERS | TEAM, 200)),
        ("/planning/rounds/new/", dict.fromkeys(OFFICES, 200)),
        (f"/planning/rounds/{r}/", {**dict.fromkeys(CITY_READERS | TEAM, 200), **reader_404}),
        (f"/planning/rounds/{r}/assignments/new/", {"city_admin": 200, "city_office": 200, "city_director": 200, **city_404}),
        (f"/planning/rounds/{r}/formation/", {"city_admin": 200, "city_office": 200, "city_director": 200, **city_404}),
        (f"/planning/rounds/{r}/work-plan.docx", {**dict.fromkeys(CITY_READERS, 200), **reader_404}),
        (f"/planning/rounds/{r}/team-notice.docx", {**dict.fromkeys(CITY_READERS, 200), **reader_404}),
        (f"/planning/teams/{t}/", {**dict.fromkeys(CITY_READERS | {"team_leader"}, 200), **reader_404, "other_team": 404}),
        ("/planning/assignments/", dict.fromkeys(READERS | TEAM | {"unit_leader", "unit_liaison"}, 200)),
        (f"/planning/assignments/{a}/", {**dict.fromkeys(CITY_READERS | {"team_leader"}, 200), **reader_404, "other_team": 404, "unit_leader": 404, "unit_liaison": 404}),
        ("/planning/pools/", dict.fromkeys(OFFICES | {"leading_group", "org_dept"}, 200)),
        ("/planning/pools/new/", dict.fromkeys(OFFICES, 200)),
        (f"/planning/pools/{w['pool'].pk}/", {**dict.fromkeys({"city_admin", "city_office", "city_director", "province_office", "leading_group", "org_dept"}, 200), "yuhua_office": 404, "yuelu_office": 404}),
        (f"/planning/pools/{w['pool'].pk}/account/", {**dict.fromkeys({"city_admin", "city_office", "city_director", "province_office"}, 200), "yuhua_office": 404, "yuelu_office": 404}),
    ]  # fmt: skip


def test_planning_pages_by_persona(world, personas, login):
    for url, expected in _pages(world):
        for name, user in personas.items():
            status = login(user).get(url).status_code
            assert status == expected.get(name, 403), f"{name} → {url}: {status}"


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    for url, _ in _pages(world):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_filing_opens_the_round_to_the_province_office(world, personas, login):
    approve(world["round"])
    round_file(actor=SETUP, round_=world["round"], filing_no="长巡办报〔2024〕1号")
    client = login(personas["province_office"])
    assert client.get(f"/planning/rounds/{world['round'].pk}/").status_code == 200
    assert client.get(f"/planning/assignments/{world['a'].pk}/").status_code == 200
    assert client.get(f"/planning/rounds/{world['round'].pk}/formation/").status_code == 403  # reads, does not manage
    assert login(personas["yuhua_office"]).get(f"/planning/rounds/{world['round'].pk}/").status_code == 404


def test_the_unit_sees_its_notice_with_only_the_leaders_names(world, personas, login):
    assignment_advance(world["a"], AssignmentState.NOTIFIED)
    page = login(personas["unit_liaison"]).get(f"/planning/assignments/{world['a'].pk}/").content.decode()
    assert "组长：leader人" in page
    assert "组员人" not in page and "回避" not in page and "进程记录" not in page
    listing = login(personas["unit_liaison"]).get("/planning/assignments/").content.decode()
    assert "长沙市水业集团有限公司" in listing and "长沙市雨花区" not in listing


def test_a_team_sees_only_its_own_assignment(world, personas, login):
    mine = login(personas["other_team"]).get("/planning/assignments/").content.decode()
    assert "长沙市雨花区" in mine and "长沙市水业集团有限公司" not in mine


def test_refused_writes_change_nothing(world, personas, login):
    r, a, t = world["round"], world["a"], world["team"]
    members = TeamMember.objects.count()
    authorized = sorted(a.authorizations.values_list("person_id", "doc_no"))
    links = sorted(PoolMember.objects.values_list("pk", "user_id"))
    for name in set(personas) - {"city_admin", "city_office", "city_director"}:
        client = login(personas[name])
        client.post(f"/planning/assignments/{a.pk}/transition/", {"code": "prepare"})
        client.post(f"/planning/rounds/{r.pk}/formation/", {"team_count": 2, "time_limit": 5})
        client.post(f"/planning/teams/{t.pk}/", {"person_code": "T-0001", "role": "member"})
        client.post(f"/planning/rounds/{r.pk}/file/", {"filing_no": "x"})
        client.post(f"/planning/assignments/{a.pk}/authorize/", {"doc_no": "x"})
        if name != "province_office":
            client.post(f"/planning/pools/{world['pool'].pk}/account/", {"username": name})
            client.post(f"/planning/pools/{PoolMember.objects.get(user=personas['team_leader']).pk}/account/", {})
        if name not in {"leading_group"}:
            client.post(f"/planning/rounds/{r.pk}/approve/", {"action": "group_approve"})
    a.refresh_from_db()
    r.refresh_from_db()
    assert a.state == AssignmentState.PLANNED and not AssignmentEvent.objects.exists()
    assert r.status == ApprovalStatus.DRAFT and r.filed_at is None
    assert not FormationRun.objects.exists() and TeamMember.objects.count() == members
    assert sorted(a.authorizations.values_list("person_id", "doc_no")) == authorized
    assert sorted(PoolMember.objects.values_list("pk", "user_id")) == links
