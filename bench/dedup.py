"""Benchmark: near-duplicate lookup among 1,000,000 stored petitions on PostgreSQL.

Builds a separate database (default `xuncha_bench`) holding one assignment on a district with 40 sub-units
and their roster (120 people in scope), stores N synthetic petitions about them (bench/_hard_corpus.py)
sealed as in production with their MinHash signatures, LSH bands and who-and-what features
(triage/matters.py; the person is taken from the generator's facts instead of resolving each stored text, the
features are computed by the production functions), then looks up hard paraphrases of stored petitions —
other words, other order, the person written as a title, the figures rewritten — through the production
code path (`triage.near_duplicates`, scope resolution included). Also looks up two kinds of negatives: the
same person on another matter, the same matter about another person. Prints p50/p95 lookup time, recall
(the original proposed) and precision (proposals about the same person and matter, over all proposals,
negatives included), and a floor measured in the same run: one indexed primary-key fetch of a petition row.

The lookup's indexes and tables are first read into the OS cache (pg_prewarm), as on a server that
has been answering lookups: the figures measure the code and the database, not a cold disk.

Targets (issue 4, issue 11 §4): p95 ≤ 20 ms; recall ≥ 0.8 at precision ≥ 0.8 on the hard paraphrases.

    .venv/bin/python bench/dedup.py [--n 1000000] [--queries 300] [--db xuncha_bench]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--db", default="xuncha_bench")
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
    import numpy as np

    from xuncha.petitions.models import Petition
    from xuncha.petitions.triage.categories import near_duplicates

    rng = random.Random(20231107)
    assignment_id = _assignment()
    stored = Petition.objects.count()
    if stored < args.n:
        populate(args.n - stored, assignment_id, rng)
        # What autovacuum does in production after a while: visibility maps for index-only scans, statistics.
        with connection.cursor() as cursor:
            for table in (
                "petitions_petition",
                "petitions_petitionsignature",
                "petitions_petitionband",
                "petitions_petitionmatter",
            ):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    total = Petition.objects.count()
    print(f"stored petitions: {total}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM petitions_petitionbandcount)")
        if not cursor.fetchone()[0]:
            t0 = time.perf_counter()
            cursor.execute(
                "INSERT INTO petitions_petitionbandcount (band, value, count) "
                "SELECT band, value, COUNT(*) FROM petitions_petitionband GROUP BY band, value"
            )
            cursor.execute("ANALYZE petitions_petitionbandcount")
            print(
                f"bucket counts built in {time.perf_counter() - t0:.0f} s (index_petition maintains them per petition)"
            )

    # A server holding this data has the lookup's indexes in memory (they are read on every lookup):
    # load them into the OS cache first, so the figures measure the code, not the first disk reads.
    tables = [
        "petitions_petition",
        "petitions_petitionsignature",
        "petitions_petitionbandcount",
        "petitions_petitionmatter",
    ]
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        # The band table itself is never read by a lookup: only its covering index.
        cursor.execute(
            "WITH r AS (SELECT c.oid FROM pg_class c WHERE c.relname = ANY(%s) OR c.relname = 'petition_band_lookup' "
            "UNION SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s)) "
            "SELECT SUM(pg_prewarm(oid::regclass, 'read')), SUM(pg_relation_size(oid)) FROM r",
            [tables, tables],
        )
        blocks, size = cursor.fetchone()
        print(f"warmed {size / 2**20:.0f} MB ({blocks} blocks) into the OS cache in {time.perf_counter() - t0:.1f} s")

    # Queries: paraphrases of randomly chosen stored petitions (received later than the original), then negatives.
    import _hard_corpus

    posts = _hard_corpus.roster(random.Random(7), DISTRICT)
    facts = _facts()
    ids = [rng.randint(1, total) for _ in range(args.queries)]
    times, hits, floor = [], 0, []
    right = proposed = 0
    negatives = {"same person, other matter": 0, "same matter, other person": 0}
    negative_proposals = 0
    with connection.cursor() as cursor:
        for n, pk in enumerate(ids):
            original = Petition.objects.get(pk=pk)
            fact, amount = facts[pk]
            kind = "paraphrase" if n % 3 == 0 or n < len(ids) // 2 else ("person" if n % 3 == 1 else "matter")
            if kind == "person":
                query = _hard_corpus.Facts(
                    fact.person,
                    (fact.act + 1 + rng.randrange(len(_hard_corpus.ACTS) - 1)) % len(_hard_corpus.ACTS),
                    fact.project,
                    fact.place,
                )
            elif kind == "matter":
                query = _hard_corpus.Facts(
                    (fact.person + 1 + rng.randrange(len(posts) - 1)) % len(posts), fact.act, fact.project, fact.place
                )
            else:
                query = fact
            text = _hard_corpus.paraphrase(query, amount, posts, rng)
            probe = Petition(pk=-1, assignment_id=assignment_id, received_at=original.received_at)
            content = {"what": text}
            t0 = time.perf_counter()
            found = near_duplicates(probe, content)
            times.append(time.perf_counter() - t0)
            good = [d for d in found if facts[d.petition.pk][0] == query]
            right += len(good)
            proposed += len(found)
            if kind == "paraphrase":
                hits += any(d.petition.pk == pk for d in found)
            else:
                negatives["same person, other matter" if kind == "person" else "same matter, other person"] += 1
                negative_proposals += len(found) - len(good)
            t0 = time.perf_counter()
            cursor.execute("SELECT id, sealed_content FROM petitions_petition WHERE id = %s", [pk])
            cursor.fetchone()
            floor.append(time.perf_counter() - t0)
    pairs = len(ids) - sum(negatives.values())
    times_ms = np.array(times) * 1000
    p50, p95 = np.percentile(times_ms, 50), np.percentile(times_ms, 95)
    floor_p50 = statistics.median(floor) * 1000
    recall = hits / pairs
    precision = right / proposed if proposed else 1.0
    print(
        f"lookup p50 {p50:.1f} ms, p95 {p95:.1f} ms (floor: primary-key fetch p50 {floor_p50:.2f} ms; p95/floor {p95 / floor_p50:.0f}×)"
    )
    print(f"recall on {pairs} hard paraphrase pairs: {recall:.3f}")
    print(f"precision over {proposed} proposals: {precision:.3f} (same person and same matter as the query)")
    print(
        "negative lookups: "
        + ", ".join(f"{k} {v}" for k, v in negatives.items())
        + f"; wrong proposals among them: {negative_proposals}"
    )
    print(
        f"targets: p95 ≤ 20 ms — {'met' if p95 <= 20 else 'NOT met'}; recall ≥ 0.8 — {'met' if recall >= 0.8 else 'NOT met'};"
        f" precision ≥ 0.8 — {'met' if precision >= 0.8 else 'NOT met'}"
    )


DISTRICT = "基准区"


def _person_pks(posts: list[Any]) -> list[int]:
    from xuncha.orgs.models import Person

    by_name = dict(Person.objects.values_list("name", "pk"))
    return [by_name[p.name] for p in posts]


def _facts() -> dict[int, Any]:
    import _hard_corpus
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT petition_id, person, act, project, place, amount FROM bench_facts")
        return {r[0]: (_hard_corpus.Facts(r[1], r[2], r[3], r[4]), r[5]) for r in cursor.fetchall()}


def _assignment() -> int:
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

    existing = Assignment.objects.first()
    if existing:
        return existing.pk
    committee = committee_create(
        actor=COMMAND_LINE, name="中共长沙市委", short_name="长沙市委", level=CommitteeLevel.CITY
    )
    org, _ = organization_save(
        actor=COMMAND_LINE,
        org_code="B",
        name=DISTRICT,
        level=OrgLevel.COUNTY,
        party_org_type=PartyOrgType.COMMITTEE,
        managed_by=committee,
    )
    round_ = round_create(
        actor=COMMAND_LINE,
        committee=committee,
        year=2024,
        seq_no=1,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
    )
    assert isinstance(committee, Committee)
    _roster(org, committee)
    return assignment_create(
        actor=COMMAND_LINE, round_=round_, organization=org, inspection_type="regular", planned_entry=date(2024, 3, 1)
    ).pk


def _roster(org: Any, committee: Any) -> None:
    """The district's sub-units and the people in scope (bench/_hard_corpus.roster)."""
    from datetime import date

    import _hard_corpus

    from xuncha.core.actors import COMMAND_LINE
    from xuncha.orgs.choices import OrgLevel, PartyOrgType, PostKind
    from xuncha.orgs.services import organization_save, person_save, position_save

    units: dict[str, Any] = {}
    for i, post in enumerate(_hard_corpus.roster(random.Random(7), DISTRICT)):
        if post.unit not in units:
            units[post.unit], _ = organization_save(
                actor=COMMAND_LINE, org_code=f"B-{len(units):03d}", name=post.unit, level=OrgLevel.DEPARTMENT,
                party_org_type=PartyOrgType.LEADING_GROUP, managed_by=committee, parent=org,
            )  # fmt: skip
        person, _ = person_save(actor=COMMAND_LINE, person_code=f"B-P{i:04d}", name=post.name)
        position_save(
            actor=COMMAND_LINE, person=person, organization=units[post.unit], title=post.title,
            post_kind=PostKind.TOP_LEADER if post.top else PostKind.KEY_POST, start_date=date(2020, 1, 1),
        )  # fmt: skip


def populate(n: int, assignment_id: int, rng: random.Random) -> None:
    """Seal and index `n` petitions, written with COPY (the production code computes the same values)."""
    from datetime import UTC, datetime, timedelta

    import _hard_corpus
    from django.db import connection

    from xuncha.core.sealing import seal
    from xuncha.petitions.triage import dedup
    from xuncha.petitions.triage.categories import hasher
    from xuncha.petitions.triage.matters import matter_features, particulars_and_places
    from xuncha.petitions.triage.scope import ScopeMatch

    h = hasher()
    posts = _hard_corpus.roster(random.Random(7), DISTRICT)
    person_pks = _person_pks(posts)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_facts"
            " (petition_id int PRIMARY KEY, person int, act int, project int, place int, amount int)"
        )
    start = datetime(2024, 3, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM petitions_petition")
        next_id = cursor.fetchone()[0] + 1
    raw = connection.connection
    batch = 20_000
    for offset in range(0, n, batch):
        sigs: list[tuple[int, bytes]] = []
        bands: list[tuple[int, int, datetime, int, int]] = []
        petitions = []
        matters: list[tuple[int, int, datetime, int]] = []
        facts: list[tuple[int, int, int, int, int, int]] = []
        for i in range(offset, min(n, offset + batch)):
            pk = next_id + i
            text, fact, amount = _hard_corpus.petition(rng, posts)
            post = posts[fact.person]
            person = ScopeMatch(post.name, post.title, post.unit, "", 1.0, "", person_pks[fact.person])
            details, places = particulars_and_places(text, [person])
            features = matter_features(assignment_id, [person.person_id], text, details, places)
            facts.append((pk, fact.person, fact.act, fact.project, fact.place, amount))
            signature = h.signature(dedup.shingles(text))
            received = start + timedelta(seconds=i)
            petitions.append(
                (
                    pk,
                    assignment_id,
                    "qr",
                    True,
                    seal({"what": text}, "content"),
                    "received",
                    received,
                    received,
                    received,
                    "",
                )
            )
            sigs.append((pk, signature.tobytes()))
            bands.extend((pk, assignment_id, received, b, v) for b, v in enumerate(h.bands(signature)))
            matters.extend((pk, assignment_id, received, f) for f in features)
        with raw.cursor() as cur:
            with cur.copy(
                "COPY petitions_petition (id, assignment_id, channel, anonymous, sealed_content, status, received_at, created_at, updated_at, exported_in,"
                " out_of_hours, category, petition_class, disposition, acknowledged_via, replied_via) FROM STDIN"
            ) as copy:
                for p in petitions:
                    copy.write_row((*p, False, "", "", "", "", ""))
            with cur.copy("COPY petitions_petitionsignature (petition_id, minhash) FROM STDIN") as copy:
                for s in sigs:
                    copy.write_row(s)
            with cur.copy(
                "COPY petitions_petitionband (petition_id, assignment_id, received_at, band, value) FROM STDIN"
            ) as copy:
                for b in bands:
                    copy.write_row(b)
            with cur.copy(
                "COPY petitions_petitionmatter (petition_id, assignment_id, received_at, feature) FROM STDIN"
            ) as copy:
                for m in matters:
                    copy.write_row(m)
            with cur.copy("COPY bench_facts (petition_id, person, act, project, place, amount) FROM STDIN") as copy:
                for f in facts:
                    copy.write_row(f)
        raw.commit()
        done = min(n, offset + batch)
        if done % 100_000 == 0 or done == n:
            print(f"  stored {done}/{n} ({time.perf_counter() - t0:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('petitions_petition', 'id'), (SELECT MAX(id) FROM petitions_petition))"
        )
        cursor.execute(
            "ANALYZE petitions_petition; ANALYZE petitions_petitionband; ANALYZE petitions_petitionsignature;"
            " ANALYZE petitions_petitionmatter"
        )


if __name__ == "__main__":
    main()
