"""The seed rounds: 市委第二轮巡察 (14 + 16 + 20, SEED-000) and 省委第六巡视组 巡视雨花区 (SEED-004)."""

import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from faker import Faker

from xuncha.accounts.models import User
from xuncha.core.actors import DEMO, Actor
from xuncha.core.models import Committee
from xuncha.core.workdays import add_working_days
from xuncha.demo.fieldwork import settle_required_interviews
from xuncha.demo.findings import seed_leads, seed_problems, transfer_seed_leads
from xuncha.orgs.choices import PostKind, Rank
from xuncha.orgs.models import Organization, Person
from xuncha.orgs.services import person_save, position_save
from xuncha.planning.choices import ASSIGNMENT_TRANSITIONS, ORDER, AssignmentState, CandidateReason, PoolKind, TeamRole
from xuncha.planning.models import Assignment, PoolMember, Round
from xuncha.planning.services.assignments import assignment_authorize, assignment_create, assignment_transition
from xuncha.planning.services.formation import formation_apply, formation_execute, formation_request
from xuncha.planning.services.plans import (
    annual_plan_create,
    approval_transition,
    coverage_plan_create,
    plan_candidate_add,
    round_create,
    round_file,
)
from xuncha.planning.services.pools import pool_member_link_user
from xuncha.planning.services.teams import pool_member_save, team_create, team_member_add

REGULAR_2022 = ["CS-SYJT", "CS-GDJT", "CS-CTJT", "CS-GJJT", "CS-JTJ", "CS-WLJ", "CS-ZRZYJ", "CS-NYJ", "CS-MZJ",
                "CS-RSJ", "CS-YBJ", "CS-JYJ", "CS-WJW", "CS-ZJJ"]  # fmt: skip
VILLAGES = (
    [f"YH-TMZ-C{i:02d}" for i in range(1, 7)] + ["YH-TMZ-S01", "YL-LFSQ"] + [f"YL-LHZ-C{i:02d}" for i in range(1, 9)]
)
EARLIER = ["CS-CZJ", "CS-SJJ", "CS-GZW", "CS-FGW", "CS-SWJ", "CS-KJJ", "CS-GXJ", "CS-SLJ", "CS-LYJ", "CS-SCJGJ",
           "CS-YJJ", "CS-CGJ", "CS-TYJ", "CS-TJJ", "CS-JGSWJ", "CS-GJJ", "CS-CFJT", "CS-XDJT", "CS-XJJT", "CS-ZZB"]  # fmt: skip
FOCUS_2022 = "紧扣“三个聚焦”，持续深化政治巡察，精准聚焦监督重点，深入基层解剖麻雀，坚持与被巡察党组织“一起做工作”。"


def _org(code: str) -> Organization:
    return Organization.objects.get(org_code=code)


def approve_scheme(round_or_plan: Any, users: Mapping[str, Actor], filing_no: str = "") -> None:
    """Submit, 领导小组审议, 常委会审定: dated before the round starts (a plan: early in its year), not today."""
    start = getattr(round_or_plan, "start_date", None) or date(round_or_plan.year, 2, 20)
    start = min(start, timezone.localdate())
    for action, actor, opinion, days in (("submit", "office", "", 30), ("group_approve", "leading", "同意。", 25),
                                         ("committee_approve", "committee", "同意。", 21)):  # fmt: skip
        approval_transition(actor=users[actor], subject=round_or_plan, action=action, opinion=opinion,
                            on=start - timedelta(days=days))  # fmt: skip
    if filing_no:
        filed = timezone.make_aware(datetime.combine(round_or_plan.start_date - timedelta(days=20), time(10)))
        round_file(actor=users["office"], round_=round_or_plan, filing_no=filing_no, filed_at=filed)


def advance(
    assignment: Assignment,
    target: str,
    dates: dict[str, date],
    while_on_site: Callable[[Assignment], None] | None = None,
) -> None:
    """Walk an assignment along the canonical path up to `target` (as the system), each step on the
    given date or, by default, on the date its own calendar puts it."""
    path = [t for t in ASSIGNMENT_TRANSITIONS.values() if t.code not in {"cancel", "return_report"}]
    while assignment.state != target and ORDER.index(assignment.state) < ORDER.index(target):
        step = next(t for t in path if assignment.state in t.sources)
        a = assignment
        default = {
            "prepare": a.notice_due - timedelta(days=14),
            "notify": a.notice_due,
            "enter": a.planned_entry,
            "start_onsite": a.planned_entry,
            "close_onsite": a.onsite_end,
            "draft_report": a.onsite_end,
            "review_report": a.report_due - timedelta(days=7),
            "approve_report": a.report_due,
            "feedback": a.feedback_due,
            "rectify": a.feedback_on or a.feedback_due,
            "report_rectification": a.rect_report_due,
            "continue_rectification": a.rect_report_due,
        }.get(step.code, a.rect_report_due)
        if step.code == "close_onsite":
            settle_required_interviews(a)  # leaving needs the 必谈 list settled, for the demo too
        assignment = assignment_transition(
            actor=DEMO, assignment=a, code=step.code, effective_on=dates.get(step.code) or default
        )
        if while_on_site is not None and assignment.state == AssignmentState.ON_SITE:
            while_on_site(assignment)  # what the team found there, before it leaves


def _sequence(start: date, days: int, count: int, committee: Committee) -> list[tuple[date, date]]:
    """`count` back-to-back periods of `days` calendar days, each starting on a working day of `committee`."""
    periods = []
    for _ in range(count):
        end = start + timedelta(days=days - 1)
        periods.append((start, end))
        start = add_working_days(end, 1, committee=committee)
    return periods


def earlier_round(committees: dict[str, Committee], pool: list[Person], users: dict[str, User]) -> Round:
    """市委第一轮巡察 (2022 spring): the 20 units whose rectification the second round supervises."""
    city = committees["中共长沙市委"]
    round_ = round_create(
        actor=users["office"],
        committee=city,
        year=2022,
        seq_no=1,
        start_date=date(2022, 3, 7),
        end_date=date(2022, 6, 30),
        focus=FOCUS_2022,
    )
    leaders = [p for p in pool[:30]]
    talent = pool[30:]
    for i in range(10):
        team = team_create(actor=DEMO, round_=round_)
        team_member_add(actor=DEMO, team=team, person=leaders[i], role=TeamRole.LEADER)
        team_member_add(actor=DEMO, team=team, person=talent[i * 4], role=TeamRole.DEPUTY)
        for k in range(1, 4):
            team_member_add(actor=DEMO, team=team, person=talent[i * 4 + k], role=TeamRole.MEMBER)
        for wave, (start, end) in enumerate(_sequence(date(2022, 3, 7), 40, 2, round_.committee)):
            code = EARLIER[i * 2 + wave]
            assignment_create(
                actor=DEMO,
                round_=round_,
                organization=_org(code),
                inspection_type="regular",
                planned_entry=start,
                planned_end=end,
                team=team,
            )
    approve_scheme(round_, users)
    for a in round_.assignments.all():
        assignment_authorize(actor=DEMO, assignment=a, doc_no="长巡授〔2022〕1号", on=a.notice_due)
        advance(a, "rectifying_continuous", {"feedback": date(2022, 7, 20)})
    return round_


def seed_round(committees: dict[str, Committee], users: dict[str, User]) -> Round:
    """市委第二轮巡察: 14 常规巡察 + 16 村（社区）提级交叉巡察 + 20 巡察整改督查, teams formed by the solver."""
    city = committees["中共长沙市委"]
    plan = annual_plan_create(
        actor=users["office"], committee=city, year=2022, summary="全年安排两轮巡察，推进本届巡察全覆盖。"
    )
    for code in REGULAR_2022:
        plan_candidate_add(actor=users["office"], plan=plan, organization=_org(code), inspection_type="regular",
                           reasons=[CandidateReason.COVERAGE, CandidateReason.HIGH_RISK])  # fmt: skip
    approve_scheme(plan, users)
    round_ = round_create(
        actor=users["office"],
        committee=city,
        year=2022,
        seq_no=2,
        start_date=date(2022, 8, 29),
        end_date=date(2022, 11, 28),
        focus=FOCUS_2022,
        annual_plan=plan,
    )
    entry = date(2022, 8, 29)
    for code in REGULAR_2022:
        assignment_create(
            actor=DEMO, round_=round_, organization=_org(code), inspection_type="regular", planned_entry=entry
        )
    for i, code in enumerate(VILLAGES):
        start, end = _sequence(entry, 15, 4, round_.committee)[i // 4]
        assignment_create(
            actor=DEMO,
            round_=round_,
            organization=_org(code),
            inspection_type="regular",
            flags=["elevated", "cross"],
            planned_entry=start,
            planned_end=end,
        )
    for i, code in enumerate(EARLIER):
        start, end = _sequence(entry, 10, 5, round_.committee)[i // 4]
        assignment_create(
            actor=DEMO,
            round_=round_,
            organization=_org(code),
            inspection_type="rect_supervision",
            planned_entry=start,
            planned_end=end,
        )
    run = formation_request(actor=users["office"], round_=round_, options={"team_count": 22, "time_limit": 20})
    run = formation_execute(run.pk)
    formation_apply(actor=users["office"], run=run)
    approve_scheme(round_, users, filing_no="长巡办报〔2022〕5号")
    for index, a in enumerate(round_.assignments.select_related("team").order_by("pk")):
        assignment_authorize(actor=DEMO, assignment=a, doc_no="长巡授〔2022〕2号", on=a.notice_due)
        advance(a, "rectifying_concentrated", {"approve_report": date(2022, 11, 28), "feedback": date(2022, 12, 20)},
                while_on_site=functools.partial(_found, index=index))  # fmt: skip
    transfer_seed_leads(round_)
    return round_


def _found(assignment: Assignment, *, index: int) -> None:
    seed_problems(assignment, index)
    seed_leads(assignment, index)


def provincial_round(committees: dict[str, Committee], users: dict[str, User], fake: Faker) -> Assignment:
    """省委第六巡视组 巡视长沙市雨花区, 2023-09-07 — 2023-11-07, 组长 万中学, 副组长 马昌松."""
    province = committees["中共湖南省委"]
    office = _org("HN-XSB")
    people = []
    for n, (name, title) in enumerate(
        [("万中学", "省委第六巡视组组长"), ("马昌松", "省委第六巡视组副组长")]
        + [(fake.name(), "省委巡视办干部") for _ in range(4)],
        start=1,
    ):
        person, _ = person_save(
            actor=DEMO, person_code=f"P-HN-XS6-{n:02d}", name=name, gender="", political_status="中共党员"
        )
        position_save(
            actor=DEMO,
            person=person,
            organization=office,
            title=title,
            post_kind=PostKind.STAFF,
            rank=Rank.BUREAU,
            start_date=date(2021, 1, 1),
        )
        skills = ["discipline"] if n in {1, 3} else ["finance", "audit"] if n == 4 else ["organization"]
        pool_member_save(
            actor=DEMO,
            committee=province,
            person=person,
            kind=PoolKind.LEADER if n <= 2 else PoolKind.TALENT,
            skills=skills,
        )
        people.append(person)
    round_ = round_create(actor=DEMO, committee=province, year=2023, seq_no=2, start_date=date(2023, 9, 7), end_date=date(2023, 11, 7),
                          focus="着力查找落实党的二十大精神和党中央重大决策部署、省委工作要求方面的突出问题。")  # fmt: skip
    team = team_create(actor=DEMO, round_=round_, seq=6, name="省委第六巡视组")
    for person, role in zip(
        people,
        [TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.LIAISON, TeamRole.MEMBER, TeamRole.MEMBER, TeamRole.MEMBER],
        strict=True,
    ):
        team_member_add(actor=DEMO, team=team, person=person, role=role)
    assignment = assignment_create(
        actor=DEMO,
        round_=round_,
        organization=_org("YH"),
        inspection_type="regular",
        planned_entry=date(2023, 9, 7),
        planned_end=date(2023, 11, 7),
        team=team,
    )
    assignment_authorize(actor=DEMO, assignment=assignment, doc_no="湘巡授〔2023〕6号", on=assignment.notice_due)
    approve_scheme(round_, dict.fromkeys(("office", "leading", "committee"), DEMO))  # the province's own bodies
    advance(assignment, "feedback_done", {"approve_report": date(2023, 12, 20), "feedback": date(2024, 1, 10)})
    return assignment


def linked_city_round(committees: dict[str, Committee], users: dict[str, User], provincial: Assignment) -> Round:
    """市委提级巡察组 inspects 雨花区's 纪委监委机关, 组织部门 and 巡察机构 alongside the province (巡视带巡察)."""
    city = committees["中共长沙市委"]
    round_ = round_create(actor=users["office"], committee=city, year=2023, seq_no=3, name="长沙市委2023年第三轮巡察（提级巡察）",
                          start_date=date(2023, 9, 7), end_date=date(2023, 11, 7), focus="省委巡视带市委提级巡察，同步对雨花区纪委监委机关、区委组织部、区委巡察机构开展提级巡察。")  # fmt: skip
    team = team_create(actor=DEMO, round_=round_, name="市委提级巡察组")
    busy = set(
        PoolMember.objects.filter(person__team_memberships__team__round__year=2022).values_list("person_id", flat=True)
    )
    free = list(PoolMember.objects.filter(committee=city).exclude(person_id__in=busy).order_by("person__person_code"))
    leader = next(
        m for m in PoolMember.objects.filter(committee=city, kind=PoolKind.LEADER).order_by("person__person_code")
    )
    team_member_add(actor=DEMO, team=team, person=leader.person, role=TeamRole.LEADER)
    for m, role in zip(
        [m for m in free if m.person_id != leader.person_id][:5],
        [TeamRole.DEPUTY, TeamRole.LIAISON, TeamRole.MEMBER, TeamRole.MEMBER, TeamRole.MEMBER],
        strict=True,
    ):
        team_member_add(actor=DEMO, team=team, person=m.person, role=role)
    assignment = assignment_create(actor=DEMO, round_=round_, organization=_org("YH-JW"), extra_orgs=[_org("YH-ZZB"), _org("YH-XCB")],
                                   inspection_type="regular", flags=["elevated", "linked"], planned_entry=date(2023, 9, 7),
                                   planned_end=date(2023, 11, 7), team=team, linked_to=provincial,
                                   note="与省委第六巡视组巡视雨花区同步开展（省委巡视带市委提级巡察）")  # fmt: skip
    approve_scheme(round_, users, filing_no="长巡办报〔2023〕3号")
    assignment_authorize(actor=DEMO, assignment=assignment, doc_no="长巡授〔2023〕3号", on=assignment.notice_due)
    advance(assignment, "report_approved", {"approve_report": date(2023, 12, 15)})
    return round_


def upcoming_round(committees: dict[str, Committee], users: dict[str, User]) -> Round:
    """A draft round for the coming weeks, without teams: the place to try automatic formation."""
    city = committees["中共长沙市委"]
    round_ = round_create(
        actor=users["office"],
        committee=city,
        year=2026,
        seq_no=4,
        start_date=date(2026, 12, 14),
        end_date=date(2027, 3, 31),
        focus=FOCUS_2022,
    )
    for code in ["CS-JW", "YL", "CS-CZJ", "CS-SJJ", "CS-GZW", "CS-FGW", "CS-KJJ", "CS-GXJ"]:
        assignment_create(
            actor=DEMO,
            round_=round_,
            organization=_org(code),
            inspection_type="regular",
            planned_entry=date(2026, 12, 14),
        )
    return round_


def coverage(committees: dict[str, Committee], users: dict[str, User]) -> None:
    coverage_plan_create(actor=users["office"], committee=committees["中共长沙市委"], term="本届（2022—2026年）",
                         start_date=date(2022, 1, 1), end_date=date(2026, 12, 31), note="本届任期内对市委管理的党组织实现巡察全覆盖。")  # fmt: skip


def team_accounts(round_: Round, users: dict[str, User]) -> None:
    """Link demo log-ins to the leader of the team that inspected 市水业集团, and to 万中学."""
    syjt = round_.assignments.get(organization__org_code="CS-SYJT")
    leader = syjt.team.members.get(role=TeamRole.LEADER)  # type: ignore[union-attr]
    link_demo_account(actor=users["office"], person=leader.person, user=users["team_leader"])
    provincial = Person.objects.get(person_code="P-HN-XS6-01")
    link_demo_account(actor=User.objects.get(username="hn_office"), person=provincial, user=users["hn_team_leader"])


def link_demo_account(*, actor: User, person: Person, user: User) -> None:
    """A demo log-in signs in for a pool person: it takes the person's name (the link rule of ADR 0014
    matches the account's name to the person's), then the office links it through the one service."""
    if user.full_name != person.name:
        User.objects.filter(pk=user.pk).update(full_name=person.name)
        user.full_name = person.name
    member = PoolMember.objects.filter(person=person).order_by("pk").first()
    if member is not None and member.user_id != user.pk:
        pool_member_link_user(actor=actor, member=member, user=user)
