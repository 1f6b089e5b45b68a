"""A quick greedy staffing for a fixed split of assignments, given to CP-SAT as its starting hint."""

from collections.abc import Callable

from xuncha.planning.formation_problem import Candidate, FormationProblem


def greedy_staffing(p: FormationProblem, split: dict[int, int]) -> dict[str, dict[tuple[int, int], int]] | None:
    """A quick staffing for a fixed split, used as the solver's starting hint (None if greedy fails)."""
    teams = range(p.team_count)
    slots_of = {t: [s for s in p.slots if split[s.assignment_id] == t] for t in teams}
    hard: dict[int, set[int]] = {}
    lead_only: dict[int, set[int]] = {}
    deputy_only: dict[int, set[int]] = {}
    for conflict in p.conflicts:
        if not conflict.applies_to:
            hard.setdefault(conflict.person_id, set()).add(conflict.assignment_id)
        else:
            if "leader" in conflict.applies_to:
                lead_only.setdefault(conflict.person_id, set()).add(conflict.assignment_id)
            if "deputy" in conflict.applies_to:
                deputy_only.setdefault(conflict.person_id, set()).add(conflict.assignment_id)
    people = sorted((c for c in p.candidates if c.person_id not in p.excluded), key=lambda c: (c.load, c.person_id))

    def fits(c: Candidate, t: int, blocked: dict[int, set[int]]) -> bool:
        ids = {s.assignment_id for s in slots_of[t]}
        if hard.get(c.person_id, set()) & ids or blocked.get(c.person_id, set()) & ids:
            return False
        return not any(s.overlaps(lo, hi) for s in slots_of[t] for lo, hi in c.busy)

    pinned_to = dict(p.pinned_people)
    members: dict[int, list[Candidate]] = {t: [] for t in teams}
    used: set[int] = set()
    x: dict[tuple[int, int], int] = {}
    lead: dict[tuple[int, int], int] = {}
    dep: dict[tuple[int, int], int] = {}

    def take(c: Candidate, t: int) -> None:
        members[t].append(c)
        used.add(c.person_id)
        x[c.person_id, t] = 1

    def pick(t: int, want: Callable[[Candidate], bool], blocked: dict[int, set[int]]) -> Candidate | None:
        paired = {c.person_id for c in members[t]}
        best = None
        for c in people:
            if c.person_id in used or pinned_to.get(c.person_id, t) != t or not want(c) or not fits(c, t, blocked):
                continue
            clash = sum((min(c.person_id, o), max(c.person_id, o)) in p.past_pairs for o in paired)
            if clash == 0:
                return c
            best = best or c
        return best

    for person, t in p.pinned_people.items():
        c = next((c for c in people if c.person_id == person), None)
        if c is not None:
            take(c, t)
    for t in teams:
        pinned = p.pinned_leaders.get(t)
        leader = next((c for c in members[t] if c.person_id == pinned), None) if pinned else None
        if leader is None:
            leader = next((c for c in members[t] if c.leader_pool and fits(c, t, lead_only)), None)
        if leader is None:
            leader = pick(t, lambda c, pin=pinned: c.leader_pool and pin in (None, c.person_id), lead_only)  # type: ignore[misc]
            if leader is None:
                return None
            take(leader, t)
        lead[leader.person_id, t] = 1
        deputy = next((c for c in members[t] if c is not leader and fits(c, t, deputy_only)), None)
        if deputy is None:
            deputy = pick(t, lambda c: True, deputy_only)
            if deputy is None:
                return None
            take(deputy, t)
        dep[deputy.person_id, t] = 1
        for group in p.required_skills:
            if not any(c.skills & group for c in members[t]):
                c = pick(t, lambda c, g=group: bool(c.skills & g), {})  # type: ignore[misc]
                if c is None:
                    return None
                take(c, t)
        while len(members[t]) < p.size_min:
            c = pick(t, lambda c: True, {})
            if c is None:
                return None
            take(c, t)
        if len(members[t]) > p.size_max:
            return None
    y = {(s.assignment_id, t): int(split[s.assignment_id] == t) for s in p.slots for t in teams}
    return {"x": x, "lead": lead, "dep": dep, "y": y}
