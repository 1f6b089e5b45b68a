"""Benchmark: public submission throughput on PostgreSQL through a real WSGI server (gunicorn).

Against a floor measured in the same run: the same server and middleware, a bare view inserting
an equally sized row. Load comes from several client processes with keep-alive connections; the
two endpoints are measured in pairs of rounds (which goes first alternates), and the median of the pairs' ratios is
the figure (a pair shares the machine's state of the moment). Beside it, the machine's CPU time
per request of each endpoint (from /proc/stat, time stolen by the host left out): with the cores
saturated, their inverse ratio is what throughput would show on a quiet machine.

Target (issue 4): submission throughput ≥ 0.7 of the floor.

Measured twice: without throttling, and with it as in production (counters in Redis; each request
comes as a new reporter, with its own address and device cookie, so none is refused). Then the
background processing of what came in (SLA clocks, the duplicate index, the audit entry: the
sweep the task worker runs) is timed on the backlog, one worker process: its rate says how large
a burst one worker absorbs.

    .venv/bin/python bench/intake_throughput.py [--seconds 5] [--rounds 5] [--clients 8] [--workers 4]
"""

import argparse
import http.client
import multiprocessing
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DB = "xuncha_bench_tp"
PORT = 8765
REPORT = {
    "anonymous": "1",
    "subject_name": "王某某",
    "subject_unit": "市交通运输局",
    "subject_position": "处长",
    "what": "反映某处长在公路养护项目验收中降低标准，与施工单位负责人往来密切，多次接受宴请。",
    "when": "2026年上半年",
    "where": "市交通运输局",
}


def setup() -> str:
    """A fresh database with one open announcement; returns its token."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        admin.execute(f'CREATE DATABASE "{DB}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "XUNCHA_TLS": "0",
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
    }
    code = """
import django; django.setup()
from datetime import timedelta
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
call_command("migrate", verbosity=0)
with connection.cursor() as c:
    c.execute("CREATE TABLE bench_floor (id bigserial primary key, payload bytea, created_at timestamptz)")
from xuncha.core.actors import COMMAND_LINE
from xuncha.core.models.committee import CommitteeLevel
from xuncha.core.services import committee_create
from xuncha.orgs.choices import OrgLevel, PartyOrgType
from xuncha.orgs.services import organization_save
from xuncha.planning.models import Assignment
from xuncha.planning.services.assignments import assignment_create
from xuncha.planning.services.plans import round_create
from xuncha.fieldwork.announcements import announcement_save
today = timezone.localdate()
committee = committee_create(actor=COMMAND_LINE, name="中共长沙市委", short_name="长沙市委", level=CommitteeLevel.CITY)
org, _ = organization_save(actor=COMMAND_LINE, org_code="B", name="市交通运输局", level=OrgLevel.DEPARTMENT, party_org_type=PartyOrgType.LEADING_GROUP, managed_by=committee)
r = round_create(actor=COMMAND_LINE, committee=committee, year=today.year, seq_no=1, start_date=today - timedelta(days=10), end_date=today + timedelta(days=60))
a = assignment_create(actor=COMMAND_LINE, round_=r, organization=org, inspection_type="special", planned_entry=today - timedelta(days=5), planned_end=today + timedelta(days=40))
Assignment.objects.filter(pk=a.pk).update(state="on_site", entered_on=a.planned_entry)
a.refresh_from_db()
print(announcement_save(actor=COMMAND_LINE, assignment=a, hotline="0731-1", po_box="A1").token)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def server(workers: int, throttle: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}", "XUNCHA_TLS": "0",
           "XUNCHA_STATIC_MANIFEST": "0", "DJANGO_SETTINGS_MODULE": "bench.bench_settings", "XUNCHA_DB_CONN_MAX_AGE": "600",
           "XUNCHA_LOG_LEVEL": "WARNING", "BENCH_THROTTLE": "1" if throttle else "0"}  # fmt: skip
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def client(args: tuple[str, str, float, "multiprocessing.Queue[Any]", Any, Any]) -> None:
    token, target, seconds, out, start, stop = args
    conn = http.client.HTTPConnection("127.0.0.1", PORT)
    conn.request("GET", f"/p/{token}/")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)  # type: ignore[union-attr]
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode({**REPORT, "csrfmiddlewaretoken": csrf})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
        "Origin": f"http://127.0.0.1:{PORT}",
    }
    path = f"/p/{token}/" if target == "submit" else "/bench/floor/"
    rng = random.Random()
    start.wait()  # every client has its page and cookie: the measured part begins
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        # A new reporter each time (address behind the proxy, device cookie): budgets are paid, never spent.
        device = f"xuncha_device={rng.getrandbits(128):032x}"
        address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        each = {**headers, "Cookie": f"{headers['Cookie']}; {device}", "X-Forwarded-For": address}
        conn.request("POST", path, body=body, headers=each)
        reply = conn.getresponse()
        text = reply.read()
        if reply.status == 200 and (target == "floor" or b"receipt-code" in text):
            done += 1
        else:
            raise RuntimeError(f"{target}: HTTP {reply.status}")
    stop.wait()
    out.put(done)


def busy_seconds() -> float:
    """CPU time the whole machine has spent working (user, system, interrupts; not idle, I/O wait or
    time stolen by the host), in seconds."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def measure(token: str, target: str, seconds: float, clients: int) -> tuple[float, float]:
    """(requests a second, milliseconds of machine CPU per request: server, database, Redis and the
    load generator together). The CPU is read between two barriers, so starting the clients and their
    first page are left out."""
    queue: multiprocessing.Queue[Any] = multiprocessing.Queue()
    # A client that fails breaks the barriers (after the timeout) instead of leaving the run waiting.
    start, stop = (multiprocessing.Barrier(clients + 1, timeout=seconds + 60) for _ in range(2))
    procs = [
        multiprocessing.Process(target=client, args=((token, target, seconds, queue, start, stop),))
        for _ in range(clients)
    ]
    for p in procs:
        p.start()
    start.wait()
    busy = busy_seconds()
    stop.wait()
    busy = busy_seconds() - busy
    done = sum(queue.get() for _ in procs)
    for p in procs:
        p.join()
    return done / seconds, busy * 1000 / done


def sweep_rate(sample: int = 3000) -> tuple[int, float]:
    """Process part of the backlog the runs left, as the task worker would: (petitions, seconds), one process."""
    code = f"""
import time, django; django.setup()
from xuncha.petitions.intake.services import sweep
t0, n = time.perf_counter(), 0
while n < {sample} and (k := sweep(500)):
    n += k
print(n, time.perf_counter() - t0)
"""
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}", "XUNCHA_TLS": "0",
           "DJANGO_SETTINGS_MODULE": "bench.bench_settings"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    n, seconds = out.stdout.split()[-2:]
    return int(n), float(seconds)


def run(token: str, args: argparse.Namespace, throttle: bool) -> float:
    """The floor and the submission measured in alternating pairs of rounds; returns the median of the
    pairs' ratios (a pair shares the machine's state of the moment, so slow drift cancels out)."""
    proc = server(args.workers, throttle)
    try:
        measure(token, "floor", 2, args.clients)  # warm-up
        measure(token, "submit", 2, args.clients)
        pairs, costs = [], []
        for i in range(args.rounds):
            # Which goes first alternates, so a machine slowing down (or speeding up) favours neither.
            order = ("floor", "submit") if i % 2 == 0 else ("submit", "floor")
            got = {target: measure(token, target, args.seconds, args.clients) for target in order}
            (floor, floor_cpu), (submit, submit_cpu) = got["floor"], got["submit"]
            pairs.append((floor, submit))
            costs.append((floor_cpu, submit_cpu))
    finally:
        proc.terminate()
        proc.wait()
    ratios = sorted(submit / floor for floor, submit in pairs)
    label = "with throttling (Redis)" if throttle else "without throttling"
    floors, submits = [round(f) for f, _ in pairs], [round(s) for _, s in pairs]
    print(
        f"[{label}] floor (bare insert through the same stack): median {statistics.median(floors):.0f} req/s  {floors}"
    )
    print(f"[{label}] public submission: median {statistics.median(submits):.0f} req/s  {submits}")
    ratio = statistics.median(ratios)
    print(
        f"[{label}] ratio submission / floor: median {ratio:.2f} of {len(ratios)} pairs ({ratios[0]:.2f}–{ratios[-1]:.2f})"
    )
    # The steadier companion: machine CPU per request, which a slow moment of the host hardly moves.
    cpu = sorted(f / s for f, s in costs)
    print(
        f"[{label}] CPU per request: floor {statistics.median(f for f, _ in costs):.2f} ms, submission "
        f"{statistics.median(s for _, s in costs):.2f} ms; floor / submission median {statistics.median(cpu):.2f} "
        f"({cpu[0]:.2f}–{cpu[-1]:.2f})"
    )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    token = setup()
    plain = run(token, args, throttle=False)
    throttled = run(token, args, throttle=True)
    n, seconds = sweep_rate()
    print(f"background processing of the backlog: {n} petitions in {seconds:.1f} s ({n / seconds:.0f}/s, one worker)")
    for label, ratio in (("without throttling", plain), ("with throttling", throttled)):
        print(f"target: ≥ 0.7 of the floor {label} — {'met' if ratio >= 0.7 else 'NOT met'} ({ratio:.2f})")


if __name__ == "__main__":
    main()
