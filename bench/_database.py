"""The benchmarks' own PostgreSQL database: created (or kept with --reuse), Django set up on it, migrated."""

import os
from collections.abc import Callable


def bench_database(name: str, *, reuse: bool) -> None:
    """Point Django at database `name` (dropped and made anew unless `reuse`), set it up and migrate it."""
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("XUNCHA_TLS", "0")
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            admin.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def time_pages(cases: list[tuple[str, Callable[[], int]]], repeat: int, target_ms: float = 150) -> None:
    """Time each case (the first is the floor): p50/p95, queries per call, rows, and p95 against the floor."""
    import statistics
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"{'case':38} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'rows':>5} {'p95/floor':>9}")
    floor_p95, met = None, True
    for name, run in cases:
        run()  # warm
        with CaptureQueriesContext(connection) as captured:
            shown = run()
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run()
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        floor_p95 = floor_p95 or p95
        met &= name.startswith("floor") or p95 <= target_ms
        print(f"{name:38} {p50:8.1f} {p95:8.1f} {len(captured):8d} {shown:5d} {p95 / floor_p95:9.1f}")
    print(f"target: every page p95 ≤ {target_ms:g} ms — {'met' if met else 'NOT met'}")
