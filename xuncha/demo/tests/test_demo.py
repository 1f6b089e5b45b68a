"""The demo loads once for the whole suite's worth of checks: the Changsha registry, the seed rounds
(14 + 16 + 20 and the provincial inspection of 雨花区) and the petitions of seed 004; a second run
changes nothing."""

from datetime import date
from io import StringIO

import pyotp
from django.core.management import call_command
from django.test import Client

from xuncha.accounts.models import RoleGrant, User
from xuncha.core.models import AuditEvent, Committee
from xuncha.core.roles import Role
from xuncha.demo.registry_demo import DEMO_PASSWORD, demo_totp_secret
from xuncha.fieldwork.announcements import intake_state
from xuncha.fieldwork.models import Announcement
from xuncha.findings.models import ImmediateFix, Lead, Problem
from xuncha.orgs.models import Organization, Position
from xuncha.petitions.models import Petition
from xuncha.planning.models import ApprovalStep, Assignment, FormationRun, PoolMember, Round, TeamMember
from xuncha.planning.selectors import round_mix
from xuncha.planning.tests.formation_checker import check_round


def _registry() -> None:
    assert Organization.objects.filter(name="长沙市水业集团有限公司").exists()
    tiaoma = Organization.objects.get(name="雨花区跳马镇")
    assert tiaoma.managed_by.name == "中共雨花区委"
    assert Organization.objects.filter(parent=tiaoma, level="village").count() >= 5
    assert Committee.objects.get(name="中共雨花区委").parent.name == "中共长沙市委"
    assert Committee.objects.get(name="中共长沙市委").parent.name == "中共湖南省委"
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert Position.objects.filter(organization__name="长沙市水业集团有限公司", post_kind="top_leader").count() == 1


def _planning() -> None:
    seed = Round.objects.get(committee__name="中共长沙市委", year=2022, seq_no=2)
    assert dict(round_mix(seed)) == {"常规巡察": 14, "提级交叉巡察": 16, "巡察整改督查": 20}
    assert seed.assignments.filter(organization__org_code="CS-SYJT").exists()
    assert seed.filed_at is not None and seed.teams.count() == 22
    run = FormationRun.objects.get(round=seed)
    assert run.optimal
    assert check_round(seed) == []

    provincial = Assignment.objects.get(round__committee__name="中共湖南省委", organization__org_code="YH")
    assert (provincial.planned_entry, provincial.onsite_end) == (date(2023, 9, 7), date(2023, 11, 7))
    assert provincial.team.name == "省委第六巡视组"
    roles = dict(provincial.team.members.values_list("person__name", "role"))
    assert roles["万中学"] == "leader" and roles["马昌松"] == "deputy"
    linked = provincial.linked_assignments.get()
    assert linked.organization.org_code == "YH-JW"
    assert set(linked.extra_orgs.values_list("org_code", flat=True)) == {"YH-ZZB", "YH-XCB"}
    assert {"elevated", "linked"} <= set(linked.flags)

    # Seed 000's figures, counted from the records the teams left: 665 problems, 175 fixed on the spot.
    seed_problems = Problem.objects.filter(assignment__round=seed)
    assert seed_problems.count() == 665 and seed_problems.filter(track="immediate").count() == 175
    assert not seed_problems.exclude(status="approved").exists()
    assert ImmediateFix.objects.filter(problem__in=seed_problems, status="verified").count() == 175
    assert set(seed_problems.values_list("category", flat=True)) == {
        "focus_policy", "focus_grassroots_corruption", "focus_grassroots_org",
    }  # fmt: skip

    # Leads: transferred to the 市纪委监委 and the 市委组织部, signed for, part reported back.
    leads = Lead.objects.filter(assignment__round=seed)
    assert leads.count() == 12 and not leads.exclude(transfer__isnull=False).exists()
    roles = set(leads.values_list("transfer__receiver_role", flat=True))
    assert roles == {"discipline_org", "org_dept"}
    assert leads.filter(status="concluded").exists() and leads.exclude(status="concluded").exists()
    assert leads.filter(assignment__organization__org_code="CS-SYJT").exists()

    # What a new user saw wrong: records dated today for 2022, a scheme in draft with its unit on site,
    # two rounds with one name, another committee's cadres leading city teams.
    for step in ApprovalStep.objects.filter(round__year__lt=2024).select_related("round"):
        assert step.decided_on is not None and step.decided_on.year == step.round.year, step.round.name
    noticed = Assignment.objects.exclude(state__in=["planned", "preparing", "cancelled"])
    assert not noticed.exclude(round__status="approved").exists()
    names = list(Round.objects.values_list("committee_id", "year", "name"))
    assert len(names) == len(set(names)) and len({(c, n) for c, _, n in names}) == len(names)
    for member in TeamMember.objects.filter(team__round=seed, role__in=["leader", "deputy"]):
        assert PoolMember.objects.filter(person=member.person, committee=seed.committee).exists(), member


def _petitions(out: str) -> None:
    notice = Announcement.objects.get(
        assignment__organization__org_code="YH", assignment__round__committee__name="中共湖南省委"
    )
    assert (notice.hotline, notice.po_box, notice.issuer) == ("0731—82186945", "长沙市A271号信箱", "省委第六巡视组")
    assert (notice.period_start, notice.period_end) == (date(2023, 9, 7), date(2023, 11, 7))
    assert notice.reception_hours["ranges"] == [["09:00", "12:00"], ["13:30", "17:30"]]
    assert intake_state(notice)[0] is False
    current = Announcement.objects.get(assignment__organization__org_code="CS-JTJ")
    assert intake_state(current)[0] is True
    queue = Petition.objects.filter(assignment=current.assignment)
    assert queue.count() == 4
    assert queue.get(channel="referral_in").incoming.source_office == "省委巡视办"
    assert queue.get(status="referred").referral.receiver == "市住房和城乡建设局"
    assert f"/p/{current.token}/" in out


def _team_sign_ins() -> None:
    """Team leaders and the petition officer may reveal reporters: they sign in with the demo's fixed TOTP."""
    for username in ("cs_team_leader", "hn_team_leader", "cs_petition", "cs_office"):
        client = Client()
        step = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert step["Location"] == "/accounts/login/verify/", username
        code = pyotp.TOTP(demo_totp_secret(username)).now()
        assert client.post("/accounts/login/verify/", {"code": code})["Location"] == "/", username
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)


def _counts() -> tuple[int, ...]:
    return (
        Organization.objects.count(),
        Position.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
        Round.objects.count(),
        Petition.objects.count(),
        AuditEvent.objects.count(),
    )


def test_one_command_loads_the_whole_demo_and_a_second_run_changes_nothing(db: object) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "cs_office" in text and "巡察计划演示数据就绪" in text
    _registry()
    _planning()
    _petitions(text)
    _team_sign_ins()

    counts = _counts()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert _counts() == counts
    assert "未重复加载" in again.getvalue()
