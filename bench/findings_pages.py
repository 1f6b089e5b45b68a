"""Benchmark: the office's problem list (with filters) and the lead pages on a province-sized store.

Builds a separate PostgreSQL database (default `xuncha_bench_findings`): 40 committees (a province, 13
cities, 26 counties), an assignment per committee and unit, 30,000 problems spread over them and
3,000 users (office staff of every committee, unit users), then times through the production selectors
and paginator, as a city office's staff member sees them:
- the problem list (first page, a deep page), filtered by status and track, by assignment;
- the floor, in the same run: a primary-key page of the same size.
Each case prints p50/p95 and the number of queries per page (constant whatever N is).

Target (issue 12): each p95 ≤ 150 ms.

    .venv/bin/python bench/findings_pages.py [--n 30000] [--users 3000] [--repeat 40] [--reuse]
"""

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _database import bench_database, time_pages

CITIES, COUNTIES_PER_CITY, UNITS_PER_COMMITTEE = 13, 2, 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30_000)
    parser.add_argument("--users", type=int, default=3_000)
    parser.add_argument("--leads", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--db", default="xuncha_bench_findings")
    parser.add_argument("--reuse", action="store_true", help="keep an already populated database")
    args = parser.parse_args()
    bench_database(args.db, reuse=args.reuse)
    from django.core.paginator import Paginator
    from django.db import connection

    from xuncha.findings.leads.selectors import lead_inbox, lead_list
    from xuncha.findings.models import Lead, Problem
    from xuncha.findings.problems.selectors import problem_list

    rng = random.Random(20221128)
    city_id, assignment_ids = _world()
    user = _users(args.users, city_id)
    if Problem.objects.count() < args.n:
        populate(args.n - Problem.objects.count(), assignment_ids, rng)
    if Lead.objects.count() < args.leads:
        populate_leads(args.leads - Lead.objects.count(), assignment_ids)
    director, discipline = _lead_users(city_id)
    own = list(
        Problem.objects.filter(assignment__round__committee_id=city_id)
        .values_list("assignment_id", flat=True)
        .distinct()
    )
    print(f"stored problems: {Problem.objects.count()}, in the city office's sight: "
          f"{problem_list(user=user, filters={}).count()}, users: {_count_users()}")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute("SELECT SUM(pg_prewarm(c.oid::regclass)) FROM pg_class c WHERE c.relname LIKE 'findings_%%'")

    def page_of(filters: dict[str, str], number: int = 1) -> int:
        page = Paginator(problem_list(user=user, filters=filters), 50).get_page(number)
        return len([(p.number, p.assignment.organization.name, p.get_status_display()) for p in page])

    def floor() -> int:
        start = rng.randint(1, max(1, args.n - 60))
        qs = Problem.objects.filter(pk__gte=start).select_related("assignment__organization").order_by("pk")
        return len([(p.number, p.assignment.organization.name, p.get_status_display()) for p in qs[:50]])

    def leads_page(rows: Any) -> int:
        return len([(x.pk, str(x)) for x in Paginator(rows, 50).get_page(1)])

    cases = [
        ("floor: primary-key page", floor),
        ("problems, first page", lambda: page_of({})),
        ("problems, page 10", lambda: page_of({}, 10)),
        ("filtered (status signed, track)", lambda: page_of({"status": "signed", "track": "immediate"})),
        ("filtered (one assignment)", lambda: page_of({"assignment": str(own[0])})),
        ("leads, the director's list", lambda: leads_page(lead_list(user=director))),
        ("leads, filtered (transferred)", lambda: leads_page(lead_list(user=director, status="transferred"))),
        ("lead inbox of the 纪委监委", lambda: leads_page(lead_inbox(user=discipline))),
    ]
    time_pages(cases, args.repeat)


def _count_users() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.count()


def _world() -> tuple[int, list[int]]:
    """40 committees, a round each, UNITS_PER_COMMITTEE assignments each; returns the first city and all ids."""
    from datetime import date

    from xuncha.core.actors import COMMAND_LINE
    from xuncha.core.models import Committee
    from xuncha.core.models.committee import CommitteeLevel
    from xuncha.core.services import committee_create
    from xuncha.orgs.choices import OrgLevel, PartyOrgType
    from xuncha.orgs.services import organization_save
    from xuncha.planning.models import Assignment
    from xuncha.planning.services.assignments import assignment_create
    from xuncha.planning.services.plans import round_create

    if Assignment.objects.exists():
        city = Committee.objects.filter(level=CommitteeLevel.CITY).order_by("pk").first()
        assert city is not None
        return city.pk, list(Assignment.objects.order_by("pk").values_list("pk", flat=True))
    province = committee_create(actor=COMMAND_LINE, name="中共基准省委", short_name="基准省委",
                                level=CommitteeLevel.PROVINCE)  # fmt: skip
    committees = [province]
    for c in range(CITIES):
        city = committee_create(actor=COMMAND_LINE, name=f"中共基准{c:02d}市委", short_name=f"基准{c:02d}市委",
                                level=CommitteeLevel.CITY, parent=province)  # fmt: skip
        committees.append(city)
        for k in range(COUNTIES_PER_CITY):
            committees.append(committee_create(actor=COMMAND_LINE, name=f"中共基准{c:02d}市{k}县委",
                                               short_name=f"基准{c:02d}市{k}县委", level=CommitteeLevel.COUNTY,
                                               parent=city))  # fmt: skip
    ids = []
    for n, committee in enumerate(committees):
        round_ = round_create(actor=COMMAND_LINE, committee=committee, year=2024, seq_no=1,
                              start_date=date(2024, 3, 1), end_date=date(2024, 12, 31))  # fmt: skip
        for u in range(UNITS_PER_COMMITTEE):
            org, _ = organization_save(actor=COMMAND_LINE, org_code=f"F{n:02d}{u}", name=f"基准单位{n:02d}-{u}",
                                       level=OrgLevel.SOE, party_org_type=PartyOrgType.COMMITTEE,
                                       managed_by=committee)  # fmt: skip
            ids.append(assignment_create(actor=COMMAND_LINE, round_=round_, organization=org,
                                         inspection_type="regular", planned_entry=date(2024, 3, 1)).pk)  # fmt: skip
    return committees[1].pk, ids


def _users(n: int, city_id: int) -> Any:
    """n users: office staff spread over the committees (one is the measured city office member), unit users."""
    from django.contrib.auth import get_user_model

    from xuncha.accounts.models import RoleGrant
    from xuncha.core.models import Committee
    from xuncha.orgs.models import Organization

    User = get_user_model()
    if not User.objects.filter(username="bench_city_office").exists():
        committees = list(Committee.objects.values_list("pk", flat=True))
        orgs = list(Organization.objects.values_list("pk", flat=True))
        users = User.objects.bulk_create(
            User(username="bench_city_office" if i == 0 else f"bench{i:05d}", full_name=f"用户{i}", password="!")
            for i in range(n)
        )
        RoleGrant.objects.bulk_create(
            RoleGrant(user=u, role="office_staff", committee_id=city_id if i == 0 else committees[i % len(committees)])
            if i % 10 == 0
            else RoleGrant(user=u, role="unit_liaison", organization_id=orgs[i % len(orgs)])
            for i, u in enumerate(users)
        )
    return User.objects.get(username="bench_city_office")


def _lead_users(city_id: int) -> tuple[Any, Any]:
    """The city's office director and its discipline commission's user (the lead pages' readers)."""
    from django.contrib.auth import get_user_model

    from xuncha.accounts.models import RoleGrant

    User = get_user_model()
    found = []
    for username, role in (("bench_director", "office_director"), ("bench_discipline", "discipline_org")):
        user, made = User.objects.get_or_create(username=username, defaults={"full_name": username, "password": "!"})
        if made:
            RoleGrant.objects.create(user=user, role=role, committee_id=city_id)
        found.append(user)
    return found[0], found[1]


def populate_leads(n: int, assignment_ids: list[int]) -> None:
    """`n` sealed leads, one transfer (移交函) per five to the committee's own 纪委监委 (bulk, same columns)."""
    from datetime import date, timedelta

    from xuncha.findings.models import Lead, LeadTransfer
    from xuncha.planning.models import Assignment

    committee_of = dict(Assignment.objects.values_list("pk", "round__committee_id"))
    start, t0 = Lead.objects.count(), time.perf_counter()
    transfers: dict[int, LeadTransfer] = {}
    leads = []
    for i in range(start, start + n):
        a = assignment_ids[i % len(assignment_ids)]
        c = committee_of[a]
        if i % 5 == 0 or c not in transfers:
            transfers[c] = LeadTransfer.objects.create(
                committee_id=c, destination="discipline", receiver_committee_id=c, receiver_role="discipline_org",
                receiver_name="纪委监委", letter_no=f"基移〔2024〕{i}号", transferred_on=date(2024, 5, 1),
                sealed_materials={"items": ["谈话记录摘要"]},
            )  # fmt: skip
        leads.append(Lead(
            assignment_id=a, committee_id=c, year=2024, seq=i + 1, source="interview", status="transferred",
            sealed_content={"text": f"反映某局长违规收受礼金（第{i}条）"}, sealed_subjects={"people": ["某局长"]},
            transfer=transfers[c], feedback_due=date(2024, 5, 1) + timedelta(days=90), category="integrity",
        ))  # fmt: skip
    Lead.objects.bulk_create(leads, batch_size=1000)
    print(f"  stored {n} leads ({time.perf_counter() - t0:.0f} s)", flush=True)


def populate(n: int, assignment_ids: list[int], rng: random.Random) -> None:
    """`n` problems over the assignments, as the teams' services leave them (bulk, same columns)."""
    from datetime import date, timedelta

    from xuncha.findings.models import Problem

    start = Problem.objects.count()
    statuses = ["draft", "group_reviewed", "signed", "approved", "returned"]
    categories = ["focus_policy", "focus_grassroots_corruption", "focus_grassroots_org"]
    t0 = time.perf_counter()
    batch: list[Problem] = []
    for i in range(start, start + n):
        a = assignment_ids[i % len(assignment_ids)]
        batch.append(Problem(
            assignment_id=a, seq=i // len(assignment_ids) + 1, number=f"[2024]基巡1-{a}组-{i:05d}号",
            title=f"问题{i}：违规发放津补贴", phenomenon="经查阅有关资料发现……", category=categories[i % 3],
            status=statuses[(i // 7) % 5], track="immediate" if i % 4 == 0 else "report",
            severity=["general", "serious", "grave"][i % 3], discovered_on=date(2024, 3, 1) + timedelta(days=i % 60),
        ))  # fmt: skip
        if len(batch) == 5000:
            Problem.objects.bulk_create(batch)
            batch = []
    Problem.objects.bulk_create(batch)
    print(f"  stored {n} problems ({time.perf_counter() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
