"""The benchmarks' own PostgreSQL database: created (or kept with --reuse), Django set up on it, migrated."""

import os


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
