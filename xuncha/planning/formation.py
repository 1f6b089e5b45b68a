"""Automatic team formation with OR-Tools CP-SAT (domain.md §4.2).

Given a round's assignments and the pools, the solver chooses which team takes each
assignment and who serves on each team, so that:

* each team has exactly one leader, drawn from the 组长库, and 1..deputies_max deputies;
* each team's size lies within the configured range (default 5–7);
* each team has someone with each required skill (default: finance or audit; discipline);
* nobody serves on two teams, and a team never takes two assignments whose periods overlap,
  so nobody is on two overlapping assignments; people already busy in a period are not used;
* recusal conflicts are respected (those binding leaders bind leaders and deputies only);
* 三个不固定: a leader is not sent back to a unit he or she led the last inspection of;
* staff pins (person → team, assignment → team, leader of a team) and exclusions hold.

It minimises, lexicographically, the spread of on-site days between teams, then pairs of people
who served together before and the past workload of the people chosen. When nothing is
feasible, `explain_infeasible` names the constraints that cannot be met together, in words.
"""

import time

from ortools.sat.python import cp_model

from xuncha.planning.formation_greedy import greedy_staffing
from xuncha.planning.formation_problem import (
    Candidate,
    FormationProblem,
    FormationResult,
    Slot,
    TeamProposal,
    team_name,
)

__all__ = ["Candidate", "FormationProblem", "FormationResult", "Slot", "TeamProposal", "solve", "team_name"]

W_PAIR, W_LOAD = 10, 1


class _Model:
    """The CP-SAT model; with `groups`, every constraint family hangs on an assumption literal."""

    def __init__(self, problem: FormationProblem, groups: bool = False, people: bool = True) -> None:
        self.p = problem
        self.m = cp_model.CpModel()
        self.groups: dict[str, cp_model.IntVar] = {}
        self.use_groups = groups
        self.people = [c for c in problem.candidates if c.person_id not in problem.excluded] if people else []
        teams = range(problem.team_count)
        m = self.m
        self.x = {(c.person_id, t): m.new_bool_var("") for c in self.people for t in teams}
        self.lead = {(c.person_id, t): m.new_bool_var("") for c in self.people if c.leader_pool for t in teams}
        self.dep = {(c.person_id, t): m.new_bool_var("") for c in self.people for t in teams}
        self.y = {(s.assignment_id, t): m.new_bool_var("") for s in problem.slots for t in teams}

    def guard(self, key: str) -> list[cp_model.IntVar]:
        if not self.use_groups:
            return []
        if key not in self.groups:
            self.groups[key] = self.m.new_bool_var(key)
        return [self.groups[key]]

    def build_split(self) -> list[Slot]:
        """Which team takes which assignment: one team each, no overlapping pair on one team, pins."""
        p, m, y = self.p, self.m, self.y
        teams = range(p.team_count)
        for s in p.slots:
            m.add(sum(y[s.assignment_id, t] for t in teams) == 1)
        slots = sorted(p.slots, key=lambda s: (s.start, s.assignment_id))
        for i, a in enumerate(slots):
            for b in slots[i + 1 :]:
                if b.start > a.end:
                    break
                for t in teams:
                    m.add_bool_or([~y[a.assignment_id, t], ~y[b.assignment_id, t]]).only_enforce_if(
                        self.guard("overlap")
                    )
        for assignment, t in p.pinned_slots.items():
            m.add(y[assignment, t] == 1).only_enforce_if(self.guard(f"pin_slot:{assignment}:{t}"))
        if not (p.pinned_people or p.pinned_slots or p.pinned_leaders):
            # Teams are interchangeable: the i-th assignment by start date goes to one of the first i+1 teams.
            for i, s in enumerate(slots):
                for t in teams:
                    if t > i:
                        m.add(y[s.assignment_id, t] == 0)
        self.loads = []
        horizon = sum(s.days for s in slots)
        for t in teams:
            load = m.new_int_var(0, horizon, "")
            m.add(load == sum(s.days * y[s.assignment_id, t] for s in slots))
            self.loads.append(load)
        self.high, self.low = m.new_int_var(0, horizon, ""), m.new_int_var(0, horizon, "")
        m.add_max_equality(self.high, self.loads)
        m.add_min_equality(self.low, self.loads)
        return slots

    def build(self) -> None:
        """The whole model: the split, plus who serves where."""
        self.build_split()
        p, m, x, y, lead, dep = self.p, self.m, self.x, self.y, self.lead, self.dep
        teams = range(p.team_count)
        for c in self.people:
            m.add(sum(x[c.person_id, t] for t in teams) <= 1)
            for t in teams:
                roles = dep[c.person_id, t] + (lead[c.person_id, t] if c.leader_pool else 0)
                m.add(roles <= x[c.person_id, t])
        for t in teams:
            members = sum(x[c.person_id, t] for c in self.people)
            m.add(members >= p.size_min).only_enforce_if(self.guard("size"))
            m.add(members <= p.size_max).only_enforce_if(self.guard("size"))
            m.add(sum(lead[c.person_id, t] for c in self.people if c.leader_pool) == 1).only_enforce_if(
                self.guard("leader")
            )
            deputies = sum(dep[c.person_id, t] for c in self.people)
            m.add(deputies >= 1).only_enforce_if(self.guard("deputy"))
            m.add(deputies <= p.deputies_max).only_enforce_if(self.guard("deputy"))
            for i, group in enumerate(p.required_skills):
                having = [x[c.person_id, t] for c in self.people if c.skills & group]
                m.add(sum(having) >= 1).only_enforce_if(self.guard(f"skill:{i}"))
        for c in self.people:
            for s in p.slots:
                if any(s.overlaps(lo, hi) for lo, hi in c.busy):
                    for t in teams:
                        m.add_bool_or([~x[c.person_id, t], ~y[s.assignment_id, t]]).only_enforce_if(self.guard("busy"))
        present = {c.person_id for c in self.people}
        for conflict in p.conflicts:
            if conflict.person_id not in present:
                continue
            for t in teams:
                a = y[conflict.assignment_id, t]
                if not conflict.applies_to:
                    bound = [x[conflict.person_id, t]]
                else:
                    bound = [dep[conflict.person_id, t]] if "deputy" in conflict.applies_to else []
                    if "leader" in conflict.applies_to and (conflict.person_id, t) in lead:
                        bound.append(lead[conflict.person_id, t])
                for role in bound:
                    m.add_bool_or([~role, ~a]).only_enforce_if(self.guard(f"conflict:{conflict.rule}"))
        for person, t in p.pinned_people.items():
            if (person, t) in x:
                m.add(x[person, t] == 1).only_enforce_if(self.guard(f"pin_person:{person}:{t}"))
        for t, person in p.pinned_leaders.items():
            if (person, t) in lead:
                m.add(lead[person, t] == 1).only_enforce_if(self.guard(f"pin_leader:{person}:{t}"))
            else:
                m.add_bool_or([]).only_enforce_if(self.guard(f"pin_leader:{person}:{t}"))

    def staffing_objective(self) -> None:
        """Repeated pairings first, then the past workload of the people chosen."""
        p, m, x = self.p, self.m, self.x
        teams = range(p.team_count)
        present = {c.person_id for c in self.people}
        # One indicator per past pair (a person is on one team at most, so a pair meets at most once).
        self.pairs: dict[tuple[int, int], cp_model.IntVar] = {}
        for a, b in p.past_pairs:
            if a in present and b in present:
                z = self.pairs[a, b] = m.new_bool_var("")
                for t in teams:
                    m.add_bool_or([~x[a, t], ~x[b, t], z])
        pair_terms = list(self.pairs.values())
        load_terms = [c.load * x[c.person_id, t] for c in self.people if c.load for t in teams]
        m.minimize(W_PAIR * sum(pair_terms) + W_LOAD * sum(load_terms))


def _precheck(p: FormationProblem) -> list[str]:
    """Plain counting arguments that already rule a round out, in words."""
    messages = []
    people = [c for c in p.candidates if c.person_id not in p.excluded]
    leaders = [c for c in people if c.leader_pool]
    if len(leaders) < p.team_count:
        messages.append(f"组长库中可调用的组长只有 {len(leaders)} 人，少于需要组建的 {p.team_count} 个巡察组。")
    if len(people) < p.team_count * p.size_min:
        messages.append(
            f"可调用人员共 {len(people)} 人，不足以组建 {p.team_count} 个每组至少 {p.size_min} 人的巡察组。"
        )
    for group in p.required_skills:
        having = [c for c in people if c.skills & group]
        if len(having) < p.team_count:
            label = "或".join(p.skill_labels.get(s, s) for s in sorted(group))
            messages.append(f"具备{label}特长的可调用人员只有 {len(having)} 人，少于巡察组数 {p.team_count}。")
    # The largest number of assignments on site on one day needs as many teams.
    events = sorted([(s.start, 1) for s in p.slots] + [(s.end, -1) for s in p.slots], key=lambda e: (e[0], -e[1]))
    running, peak, peak_day = 0, 0, None
    for day, step in events:
        running += step
        if running > peak:
            peak, peak_day = running, day
    if peak > p.team_count and peak_day is not None:
        messages.append(
            f"{peak_day:%Y年%m月%d日}前后同时在驻的巡察任务有 {peak} 个，多于巡察组数 {p.team_count}，"
            "同一组不能同时承担两项进驻期重叠的任务。"
        )
    return messages


def _describe(key: str, p: FormationProblem, names: dict[int, str], slot_names: dict[int, str]) -> str:
    kind, _, rest = key.partition(":")
    if kind == "size":
        return f"每组人数须在 {p.size_min}—{p.size_max} 人之间"
    if kind == "leader":
        return "每组须从组长库中确定 1 名组长"
    if kind == "deputy":
        return f"每组须有 1—{p.deputies_max} 名副组长"
    if kind == "skill":
        group = p.required_skills[int(rest)]
        return f"每组至少 1 人具备{'或'.join(p.skill_labels.get(s, s) for s in sorted(group))}特长"
    if kind == "overlap":
        return "同一组不能承担进驻期重叠的两项任务"
    if kind == "busy":
        return "人员在已有任务或不可调用期间不能编组"
    if kind == "conflict":
        from xuncha.planning.recusal import RULES

        return f"回避规则“{RULES.get(rest, rest)}”"
    person, _, team = rest.partition(":")
    if kind == "pin_person":
        return f"固定{names.get(int(person), person)}编入{team_name(int(team) + 1)}"
    if kind == "pin_slot":
        return f"固定{slot_names.get(int(person), person)}由{team_name(int(team) + 1)}承担"
    if kind == "pin_leader":
        return f"指定{names.get(int(person), person)}任{team_name(int(team) + 1)}组长"
    return key


def explain_infeasible(p: FormationProblem) -> list[str]:
    """Name a set of constraints that cannot all hold, found as an unsatisfiable core of assumptions."""
    messages = _precheck(p)
    if messages:
        return messages
    model = _Model(p, groups=True)
    model.build()
    model.m.add_assumptions(list(model.groups.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(5.0, p.time_limit)
    status = solver.solve(model.m)
    if status != cp_model.INFEASIBLE:
        return ["在规定时间内未能找到可行方案，请放宽条件或延长求解时间后重试。"]
    by_index = {v.index: k for k, v in model.groups.items()}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    names = {c.person_id: c.name for c in p.candidates}
    slot_names = {s.assignment_id: s.name for s in p.slots}
    parts = [_describe(k, p, names, slot_names) for k in sorted(core)]
    return ["以下条件不能同时满足：" + "；".join(parts) + "。请调整固定人选、放宽人数或补充人员后重试。"]


def _solver(p: FormationProblem, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, seconds)
    solver.parameters.num_workers = p.workers
    solver.parameters.random_seed = 20230907
    # Presolve of the full staffing model took 5 of 12 s on the 1,300-person bench, mostly probing and
    # repeated passes; one pass without probing leaves the search as fast and halves the total (ADR 0004).
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.max_presolve_iterations = 1
    return solver


def solve(p: FormationProblem) -> FormationResult:
    """Propose teams, optimising lexicographically; on infeasibility return the explanation instead.

    Stage 1 splits the assignments between teams so that on-site days are as even as possible
    (a relaxation without people, so its optimum bounds the spread of any full solution).
    Stage 2 staffs the teams under that spread, minimising repeated pairings and past workload;
    should no staffing fit that spread, the cap is relaxed one day at a time.
    """
    started = time.perf_counter()
    messages = _precheck(p)
    if messages:
        return FormationResult("infeasible", messages=messages, seconds=time.perf_counter() - started)

    def left() -> float:
        return p.time_limit - (time.perf_counter() - started)

    split = _Model(p, people=False)
    split.build_split()
    split.m.minimize(split.high - split.low)
    solver = _solver(p, left() / 2)
    status = solver.solve(split.m)
    if status == cp_model.INFEASIBLE:
        return FormationResult("infeasible", messages=explain_infeasible(p), seconds=time.perf_counter() - started)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return FormationResult(
            "unknown", messages=["在规定时间内未能完成任务分配。"], seconds=time.perf_counter() - started
        )
    split_values = {
        s.assignment_id: next(t for t in range(p.team_count) if solver.value(split.y[s.assignment_id, t]))
        for s in p.slots
    }
    hint = greedy_staffing(p, split_values)
    spread_bound = int(solver.best_objective_bound)
    cap = int(solver.objective_value)
    split_optimal = status == cp_model.OPTIMAL
    horizon = sum(s.days for s in p.slots)
    while True:
        model = _Model(p)
        model.build()
        model.m.add(model.high - model.low <= cap)
        model.staffing_objective()
        if hint is not None:
            # Written into the model's proto in bulk: 40,000 `add_hint` calls take half a second.
            indices, values = [], []
            for name in ("x", "lead", "dep", "y"):
                for key, var in getattr(model, name).items():
                    indices.append(var.index)
                    values.append(hint[name].get(key, 0))
            team_of = {person: t for (person, t), v in hint["x"].items() if v}
            for (a, b), z in model.pairs.items():
                indices.append(z.index)
                values.append(int(a in team_of and team_of.get(a) == team_of.get(b)))
            model.m.proto.solution_hint.vars.extend(indices)
            model.m.proto.solution_hint.values.extend(values)
        solver = _solver(p, left())
        status = solver.solve(model.m)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) or cap >= horizon or left() <= 0.5:
            break
        if status == cp_model.UNKNOWN:
            break
        cap += 1
        hint = None
    seconds = time.perf_counter() - started
    if status == cp_model.INFEASIBLE:
        return FormationResult("infeasible", messages=explain_infeasible(p), seconds=time.perf_counter() - started)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return FormationResult(
            "unknown", messages=["在规定时间内未找到可行方案，请延长求解时间或放宽条件。"], seconds=seconds
        )
    teams = []
    for t in range(p.team_count):
        members = [c.person_id for c in model.people if solver.value(model.x[c.person_id, t])]
        leader = next(c.person_id for c in model.people if c.leader_pool and solver.value(model.lead[c.person_id, t]))
        deputies = [c.person_id for c in model.people if solver.value(model.dep[c.person_id, t])]
        slots = sorted((s for s in p.slots if solver.value(model.y[s.assignment_id, t])), key=lambda s: s.start)
        teams.append(TeamProposal(t + 1, team_name(t + 1), leader, deputies, members, [s.assignment_id for s in slots]))
    spread = solver.value(model.high) - solver.value(model.low)
    optimal = status == cp_model.OPTIMAL and split_optimal and spread <= spread_bound
    return FormationResult(
        "optimal" if optimal else "feasible",
        teams,
        solver.objective_value,
        solver.best_objective_bound,
        seconds,
        spread=spread,
        spread_bound=spread_bound,
    )
