"""Benchmark: automatic team formation at a prefecture's scale.

A 1,300-person pool (120 in the 组长库), 12 teams, 60 assignments in one round (five waves of
twelve, so that every team works all five waves), 10,000 relationships fed through the recusal
engine, a service history with repeated pairings to avoid. Prints the time to a proven optimum
(or the best found and its gap), and the ratio against a floor measured in the same run: the
time CP-SAT needs to load the same model and return any feasible solution.

Target (issue 3): optimal within 10 s on a 2-core machine.

    .venv/bin/python bench/formation.py [--seed N] [--limit SECONDS]
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("XUNCHA_TLS", "0")

import django

django.setup()

from ortools.sat.python import cp_model  # noqa: E402

from xuncha.orgs.choices import OrgLevel, PostKind, RelationKind  # noqa: E402
from xuncha.planning.formation import Candidate, FormationProblem, Slot, _Model, solve  # noqa: E402
from xuncha.planning.recusal import OrgInfo, Post, RecusalData, Target, find_conflicts  # noqa: E402

SKILLS = ["discipline", "organization", "finance", "audit", "law", "engineering", "rural_economy", "petition"]
KINDS = [k.value for k in RelationKind]


def build(
    seed: int, people: int = 1300, leaders: int = 120, teams: int = 12, assignments: int = 60, relations: int = 10_000
) -> tuple[FormationProblem, float]:
    rng = random.Random(seed)
    # A city with 10 districts of 30 units each, plus 60 city departments.
    orgs = {1: OrgInfo(1, "市", "/1/", OrgLevel.CITY)}
    next_id = 2
    units = []
    for d in range(10):
        district = next_id
        orgs[district] = OrgInfo(district, f"第{d + 1}区", f"/1/{district}/", OrgLevel.COUNTY)
        next_id += 1
        for u in range(30):
            orgs[next_id] = OrgInfo(next_id, f"第{d + 1}区单位{u + 1}", f"/1/{district}/{next_id}/", OrgLevel.TOWNSHIP)
            units.append(next_id)
            next_id += 1
    for u in range(60):
        orgs[next_id] = OrgInfo(next_id, f"市直单位{u + 1}", f"/1/{next_id}/", OrgLevel.DEPARTMENT)
        units.append(next_id)
        next_id += 1
    data = RecusalData(orgs=orgs, names={})
    # Inspectors: each has a current post and, for many, an earlier one.
    for pid in range(1, people + 1):
        data.names[pid] = f"人员{pid}"
        home = rng.choice(units)
        data.add_post(Post(pid, home, "干部", PostKind.STAFF, date(2019, 1, 1), None))
        if rng.random() < 0.5:
            earlier = rng.choice(units)
            start = date(2014 + rng.randrange(8), 1, 1)
            data.add_post(Post(pid, earlier, "干部", PostKind.STAFF, start, start + timedelta(days=365 * 2)))
    # Leadership of every unit (targets and others).
    staff_ids = []
    for i, unit in enumerate(units):
        for k in range(4):
            sid = 100_000 + i * 4 + k
            data.names[sid] = f"领导{sid}"
            data.add_post(
                Post(
                    sid,
                    unit,
                    "班子成员",
                    PostKind.LEADERSHIP_MEMBER if k else PostKind.TOP_LEADER,
                    date(2018, 1, 1),
                    None,
                )
            )
            staff_ids.append(sid)
    for _ in range(relations):
        data.add_relation(rng.randrange(1, people + 1), rng.choice(staff_ids), rng.choice(KINDS), None, None)
    # 60 assignments in five waves of twelve (a third of them cross inspections).
    targets, slots = [], []
    chosen = rng.sample(units, assignments)
    start = date(2027, 3, 1)
    for i, unit in enumerate(chosen):
        wave = i // teams
        begin = start + timedelta(days=20 * wave)
        end = begin + timedelta(days=rng.choice([14, 15, 16, 18]))
        flags = frozenset({"cross"}) if i % 3 == 0 else frozenset()
        targets.append(Target(i + 1, (unit,), flags, begin, 3))
        slots.append(Slot(i + 1, orgs[unit].name, begin, end))
    t0 = time.perf_counter()
    conflicts = find_conflicts(data, range(1, people + 1), targets)
    recusal_seconds = time.perf_counter() - t0
    candidates = []
    for pid in range(1, people + 1):
        skills = frozenset(rng.sample(SKILLS, rng.choice([1, 1, 2])))
        busy = (
            ((start + timedelta(days=20 * rng.randrange(5)), start + timedelta(days=20 * rng.randrange(5) + 10)),)
            if rng.random() < 0.05
            else ()
        )
        candidates.append(Candidate(pid, f"人员{pid}", pid <= leaders, skills, rng.choice([0, 0, 1, 1, 2, 3, 4]), busy))
    pairs = set()
    for _ in range(300):  # past teams of six
        members = sorted(rng.sample(range(1, people + 1), 6))
        pairs |= {(a, b) for i, a in enumerate(members) for b in members[i + 1 :]}
    problem = FormationProblem(
        team_count=teams,
        slots=slots,
        candidates=candidates,
        conflicts=conflicts,
        required_skills=[frozenset({"finance", "audit"}), frozenset({"discipline"})],
        past_pairs=pairs,
    )
    return problem, recusal_seconds


def floor_seconds(problem: FormationProblem) -> float:
    """Load the same model and stop at the first feasible solution."""
    model = _Model(problem)
    model.build()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = problem.workers
    solver.parameters.stop_after_first_solution = True
    solver.parameters.max_time_in_seconds = 60
    t0 = time.perf_counter()
    solver.solve(model.m)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=60.0)
    args = parser.parse_args()
    problem, recusal_seconds = build(args.seed)
    problem.time_limit = args.limit
    print(f"pool {len(problem.candidates)} people ({sum(c.leader_pool for c in problem.candidates)} leaders), "
          f"{problem.team_count} teams, {len(problem.slots)} assignments, {len(problem.conflicts)} recusal conflicts, "
          f"{len(problem.past_pairs)} past pairs")  # fmt: skip
    print(f"recusal engine: {recusal_seconds:.2f} s")
    floor = floor_seconds(problem)
    result = solve(problem)
    gap = result.gap
    print(f"floor (load model, first feasible): {floor:.2f} s")
    print(f"formation: status={result.status} time={result.seconds:.2f} s objective={result.objective} "
          f"bound={result.bound} gap={f'{gap:.4f}' if gap is not None else '-'} spread={result.spread} (bound {result.spread_bound})")  # fmt: skip
    print(f"ratio time-to-result / floor: {result.seconds / floor:.2f}")
    print(
        f"target: optimal within 10 s — {'met' if result.status == 'optimal' and result.seconds <= 10 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
