"""Benchmark: the petition queue's pages with 200,000 petitions under one committee and 3,000 users.

Builds a separate PostgreSQL database (default `xuncha_bench_pages`), stores N sealed petitions over
20 assignments of one committee with their blind search terms (search.py computes the same values),
and 3,000 users (office staff of the committee and unit users), then times, through the production
selector and paginator and the row mapping that opens each shown row's summary:
- the list (first page and a deep page), a filtered list (status and channel), and searches for a
  rare word and for a common phrase;
- the floor, in the same run: a primary-key page of the same size with the same row mapping.
Each case prints p50/p95 and the number of queries per page (constant whatever N is).

Target (issue 10): each p95 ≤ 150 ms.

    .venv/bin/python bench/petition_pages.py [--n 200000] [--users 3000] [--repeat 40] [--reuse]
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _database import time_pages

ASSIGNMENTS = 20
RARE = "欧阳某某"  # written into one petition in 2,000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--db", default="xuncha_bench_pages")
    parser.add_argument("--reuse", action="store_true", help="keep an already populated database")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("XUNCHA_TLS", "0")
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone()
        if exists and not args.reuse:
            admin.execute(f'DROP DATABASE "{args.db}"')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{args.db}"')

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from xuncha.core.paging import SEARCH_COUNT_CAP, CappedPaginator
    from xuncha.petitions.models import Petition
    from xuncha.petitions.selectors import petition_search, row

    rng = random.Random(20241015)
    committee_id, assignment_ids = _world()
    user = _users(committee_id, args.users)
    stored = Petition.objects.count()
    if stored < args.n:
        populate(args.n - stored, assignment_ids, rng)
    print(f"stored petitions: {Petition.objects.count()}, users: {_user_count()}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum keeps up to date on a server: the planner's statistics
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            "SELECT SUM(pg_prewarm(c.oid::regclass)) FROM pg_class c "
            "WHERE c.relname LIKE 'petitions_petition%%' OR c.relname LIKE 'petition_%%'"
        )

    def page_of(filters: dict[str, str], number: int = 1) -> int:
        cap = SEARCH_COUNT_CAP if filters.get("query") else None  # as the queue's view counts
        page = CappedPaginator(petition_search(user=user, **filters), 50, cap=cap).get_page(number)
        rows = [row(p) for p in page]
        assert page.paginator.count >= 0
        return len(rows)

    def floor() -> int:
        start = rng.randint(1, max(1, args.n - 60))
        qs = Petition.objects.filter(pk__gte=start).select_related("assignment__organization").order_by("pk")
        return len([row(p) for p in qs[:50]])

    cases = [
        ("floor: primary-key page", floor),
        ("list, first page", lambda: page_of({})),
        ("list, page 40", lambda: page_of({}, 40)),
        ("filtered (status, channel)", lambda: page_of({"status": "under_review", "channel": "letter"})),
        ("filtered (assignment, named)", lambda: page_of({"assignment": str(assignment_ids[3]), "named": "1"})),
        (f"search, rare word “{RARE}”", lambda: page_of({"query": RARE})),
        ("search, common phrase “利用职务之便”", lambda: page_of({"query": "利用职务之便"})),
        ("search, two common words “局长” “低保”", lambda: page_of({"query": "局长 低保"})),
        ("search, no match", lambda: page_of({"query": "量子纠缠"})),
    ]
    time_pages(cases, args.repeat)


def _user_count() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.count()


def _world() -> tuple[int, list[int]]:
    from datetime import date

    from xuncha.core.actors import COMMAND_LINE
    from xuncha.core.models.committee import CommitteeLevel
    from xuncha.core.services import committee_create
    from xuncha.orgs.choices import OrgLevel, PartyOrgType
    from xuncha.orgs.services import organization_save
    from xuncha.planning.models import Assignment
    from xuncha.planning.services.assignments import assignment_create
    from xuncha.planning.services.plans import round_create

    existing = list(Assignment.objects.order_by("pk").values_list("pk", flat=True))
    if existing:
        return Assignment.objects.get(pk=existing[0]).round.committee_id, existing
    committee = committee_create(
        actor=COMMAND_LINE, name="中共长沙市委", short_name="长沙市委", level=CommitteeLevel.CITY
    )
    round_ = round_create(
        actor=COMMAND_LINE,
        committee=committee,
        year=2024,
        seq_no=1,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
    )
    ids = []
    for i in range(ASSIGNMENTS):
        org, _ = organization_save(
            actor=COMMAND_LINE,
            org_code=f"B{i:02d}",
            name=f"基准单位{i:02d}",
            level=OrgLevel.SOE,
            party_org_type=PartyOrgType.COMMITTEE,
            managed_by=committee,
        )
        ids.append(
            assignment_create(
                actor=COMMAND_LINE,
                round_=round_,
                organization=org,
                inspection_type="regular",
                planned_entry=date(2024, 3, 1),
            ).pk
        )
    return committee.pk, ids


def _users(committee_id: int, n: int):  # type: ignore[no-untyped-def]
    """n users: 1 in 20 office staff of the committee, the rest unit users (the office's staff act)."""
    from django.contrib.auth import get_user_model

    from xuncha.accounts.models import RoleGrant
    from xuncha.orgs.models import Organization

    User = get_user_model()
    if not User.objects.filter(username="bench_office").exists():
        org = Organization.objects.order_by("pk").first()
        users = User.objects.bulk_create(
            User(username="bench_office" if i == 0 else f"bench{i:05d}", full_name=f"用户{i}", password="!")
            for i in range(n)
        )
        RoleGrant.objects.bulk_create(
            RoleGrant(user=u, role="office_staff", committee_id=committee_id)
            if i % 20 == 0
            else RoleGrant(user=u, role="unit_liaison", organization=org)
            for i, u in enumerate(users)
        )
    return User.objects.get(username="bench_office")


def populate(n: int, assignment_ids: list[int], rng: random.Random) -> None:
    """Seal `n` petitions and their search terms, written with COPY (search.py computes the same values)."""
    from datetime import UTC, datetime, timedelta

    import _corpus
    from django.db import connection

    from xuncha.core.sealing import feature_key, seal
    from xuncha.petitions.triage.search import term_hash, terms

    key = feature_key()
    statuses = ["received", "under_review", "became_problem", "closed", "referred"]
    channels = ["qr", "letter", "phone", "web", "visit"]
    start = datetime(2024, 3, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM petitions_petition")
        next_id = cursor.fetchone()[0] + 1
        cursor.execute("ALTER TABLE petitions_petitionterm DROP CONSTRAINT IF EXISTS petition_term_unique")
    raw = connection.connection
    batch = 20_000
    for offset in range(0, n, batch):
        petitions: list[tuple] = []  # type: ignore[type-arg]
        term_rows: list[tuple[int, int]] = []
        for i in range(offset, min(n, offset + batch)):
            pk = next_id + i
            text = _corpus.petition(rng) + (f"，{RARE}知情" if i % 2000 == 7 else "")
            content = {"what": text}
            received = start + timedelta(seconds=30 * i)
            petitions.append(
                (
                    pk,
                    assignment_ids[i % len(assignment_ids)],
                    channels[i % 5],
                    i % 3 != 0,
                    seal(content, "content"),
                    statuses[(i // 5) % 5],
                    received,
                )
            )
            term_rows.extend((pk, h) for h in {term_hash(t, key) for t in terms(text)})
        with raw.cursor() as cur:
            with cur.copy(
                "COPY petitions_petition (id, assignment_id, channel, anonymous, sealed_content, status, received_at,"
                " created_at, updated_at, exported_in, out_of_hours, category, petition_class, disposition,"
                " acknowledged_via, replied_via) FROM STDIN"
            ) as copy:
                for p in petitions:
                    copy.write_row((*p, p[-1], p[-1], "", False, "", "", "", "", ""))
            with cur.copy("COPY petitions_petitionterm (petition_id, term) FROM STDIN") as copy:
                for t in term_rows:
                    copy.write_row(t)
        raw.commit()
        done = min(n, offset + batch)
        if done % 100_000 == 0 or done == n:
            print(f"  stored {done}/{n} ({time.perf_counter() - t0:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE petitions_petitionterm ADD CONSTRAINT petition_term_unique UNIQUE (term, petition_id)"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('petitions_petition', 'id'), (SELECT MAX(id) FROM petitions_petition))"
        )
        cursor.execute("VACUUM (ANALYZE) petitions_petition")
        cursor.execute("VACUUM (ANALYZE) petitions_petitionterm")
    print(f"  indexed and analysed ({time.perf_counter() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
