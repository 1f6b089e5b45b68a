"""Automatic formation from stored data: request a run, execute it (task queue), apply the proposal."""

import time
from datetime import date
from itertools import combinations
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_choices
from xuncha.core.params import param_value
from xuncha.planning.choices import AssignmentState, PoolKind, RunStatus, TeamRole
from xuncha.planning.formation import Candidate, FormationProblem, Slot, solve, team_name
from xuncha.planning.models import Assignment, FormationRun, PoolMember, Round, Team, TeamMember
from xuncha.planning.permissions import manage_check
from xuncha.planning.recusal import recusal_conflicts
from xuncha.planning.services.assignments import assignment_set_team
from xuncha.planning.services.teams import default_posts

OPEN_FOR_FORMATION = (AssignmentState.PLANNED, AssignmentState.PREPARING)


def _pool(round_: Round) -> list[PoolMember]:
    """The round's own committee's pools: a provincial 巡视组's leader is the province's cadre, not the city's."""
    return list(PoolMember.objects.filter(committee_id=round_.committee_id).select_related("person"))


def problem_build(round_: Round, options: dict[str, Any]) -> FormationProblem:
    """The formation problem of a round from the database and the staff's options."""
    assignments = list(
        round_.assignments.filter(state__in=OPEN_FOR_FORMATION).select_related("organization", "round__committee")
    )
    if not assignments:
        raise ValidationError("本轮没有待组建巡察组的任务。")
    pool = _pool(round_)
    start = min(a.planned_entry for a in assignments)
    end = max(a.onsite_end or a.planned_entry for a in assignments)
    # Who is already committed elsewhere in the period (other rounds' open assignments).
    busy: dict[int, list[tuple[date, date]]] = {}
    for person_id, entry, until in (
        Assignment.objects.filter(planned_entry__lte=end, onsite_end__gte=start, team__isnull=False)
        .exclude(round=round_)
        .exclude(state=AssignmentState.CANCELLED)
        .values_list("team__members__person_id", "planned_entry", "onsite_end")
    ):
        if person_id is None:
            continue
        busy.setdefault(person_id, []).append((entry, until or entry))
    history = TeamMember.objects.exclude(team__round=round_).values_list("person_id", "team_id")
    load: dict[int, int] = {}
    by_team: dict[int, list[int]] = {}
    for person_id, team_id in history:
        load[person_id] = load.get(person_id, 0) + 1
        by_team.setdefault(team_id, []).append(person_id)
    pool_ids = {m.person_id for m in pool}
    pairs = {
        (min(a, b), max(a, b))
        for members in by_team.values()
        for a, b in combinations(sorted(set(members) & pool_ids), 2)
    }
    candidates = []
    for m in pool:
        ranges = list(busy.get(m.person_id, []))
        if not m.available:
            ranges.append((date.min, date.max))
        elif m.unavailable_from or m.unavailable_to:
            ranges.append((m.unavailable_from or date.min, m.unavailable_to or date.max))
        candidates.append(
            Candidate(
                m.person_id,
                m.person.name,
                m.kind == PoolKind.LEADER,
                frozenset(m.skills),
                load.get(m.person_id, 0),
                tuple(ranges),
            )
        )
    size = param_value("team_size", committee=round_.committee)
    team_count = int(options.get("team_count") or round_.teams.count() or 1)
    slots = [Slot(a.pk, a.organization.name, a.planned_entry, a.onsite_end or a.planned_entry) for a in assignments]
    return FormationProblem(
        team_count=team_count,
        slots=slots,
        candidates=candidates,
        conflicts=recusal_conflicts(assignments, pool_ids),
        size_min=int(size["min"]),
        size_max=int(size["max"]),
        deputies_max=int(size["deputies_max"]),
        required_skills=[frozenset(g) for g in param_value("team_required_skills", committee=round_.committee)],
        skill_labels=dict(code_choices("skills", committee=round_.committee)),
        past_pairs=pairs,
        pinned_people={int(k): int(v) for k, v in options.get("pinned_people", {}).items()},
        pinned_slots={int(k): int(v) for k, v in options.get("pinned_slots", {}).items()},
        pinned_leaders={int(k): int(v) for k, v in options.get("pinned_leaders", {}).items()},
        excluded={int(p) for p in options.get("excluded", [])},
        time_limit=float(options.get("time_limit", 10)),
    )


@transaction.atomic
def formation_request(*, actor: Actor, round_: Round, options: dict[str, Any]) -> FormationRun:
    """Record a formation request; the caller queues `formation_execute` once this has committed."""
    manage_check(actor, round_.committee_id, "只有本级巡察办可以组建巡察组。")
    if not round_.assignments.filter(state__in=OPEN_FOR_FORMATION).exists():
        raise ValidationError("本轮没有待组建巡察组的任务。")
    team_count = int(options.get("team_count") or 0)
    if team_count < 1 or team_count > 60:
        raise ValidationError("巡察组数应在 1—60 之间。")
    run = FormationRun.objects.create(round=round_, options=options, created_by=account_of(actor))
    audit_record(
        action="planning.formation_request",
        actor=actor,
        target=run,
        committee_id=round_.committee_id,
        summary=f"{round_.name}：自动组建（{team_count} 个组）",
    )
    return run


def formation_execute(run_id: int) -> FormationRun:
    """Solve a requested run and store the proposal or the explanation (runs on the task queue)."""
    run = FormationRun.objects.select_related("round__committee").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    FormationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    started = time.perf_counter()
    try:
        problem = problem_build(run.round, run.options)
        result = solve(problem)
    except ValidationError as exc:
        run.status, run.messages = RunStatus.FAILED, exc.messages
    else:
        run.messages = result.messages
        if result.status in {"optimal", "feasible"}:
            run.status = RunStatus.DONE
            run.proposal = {
                "teams": [
                    {
                        "seq": t.seq,
                        "name": t.name,
                        "leader": t.leader_id,
                        "deputies": t.deputy_ids,
                        "members": t.member_ids,
                        "assignments": t.assignment_ids,
                    }
                    for t in result.teams
                ]
            }
            run.objective, run.bound, run.optimal = result.objective, result.bound, result.status == "optimal"
        else:
            run.status = RunStatus.INFEASIBLE
    run.wall_seconds = time.perf_counter() - started
    run.save(
        update_fields=["status", "messages", "proposal", "objective", "bound", "optimal", "wall_seconds", "updated_at"]
    )
    return run


@transaction.atomic
def formation_apply(*, actor: Actor, run: FormationRun) -> list[Team]:
    """Adopt a proposal: create or refill the round's teams and give them their assignments."""
    manage_check(actor, run.round.committee_id, "只有本级巡察办可以组建巡察组。")
    run = FormationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DONE:
        raise ValidationError("只有已生成的方案可以采用。")
    round_ = run.round
    proposed = run.proposal["teams"]
    touched = Assignment.objects.filter(pk__in=[a for t in proposed for a in t["assignments"]])
    if touched.exclude(state__in=OPEN_FOR_FORMATION).exists():
        raise ValidationError("方案生成后已有任务印发通知，请重新组建。")
    pools = {m.person_id: m for m in _pool(round_)}
    teams = []
    TeamMember.objects.filter(team__round=round_, team__assignments__in=touched).delete()
    for spec in proposed:
        team, _ = Team.objects.get_or_create(
            round=round_,
            seq=spec["seq"],
            defaults={"name": team_name(spec["seq"], round_.committee.activity_name), "created_by": account_of(actor)},
        )
        team.members.all().delete()
        deputies = set(spec["deputies"])
        others = [p for p in spec["members"] if p != spec["leader"] and p not in deputies]
        # The liaison is the member with the petition skill if any, else the first other member.
        liaison = next((p for p in others if "petition" in pools[p].skills), others[0] if others else None)
        for person_id in spec["members"]:
            role = (
                TeamRole.LEADER
                if person_id == spec["leader"]
                else TeamRole.DEPUTY
                if person_id in deputies
                else TeamRole.LIAISON
                if person_id == liaison
                else TeamRole.MEMBER
            )
            TeamMember.objects.create(
                team=team,
                person_id=person_id,
                role=role,
                posts=default_posts(pools[person_id].skills, role),
                created_by=account_of(actor),
            )
        for assignment in Assignment.objects.filter(pk__in=spec["assignments"]):
            assignment_set_team(actor=actor, assignment=assignment, team=team)
        teams.append(team)
    Team.objects.filter(round=round_).exclude(pk__in=[t.pk for t in teams]).filter(
        ~Q(assignments__isnull=False)
    ).filter(members__isnull=True).delete()
    run.status = RunStatus.APPLIED
    run.save(update_fields=["status", "updated_at"])
    audit_record(
        action="planning.formation_apply",
        actor=actor,
        target=run,
        committee_id=round_.committee_id,
        summary=f"{round_.name}：采用自动组建方案（{len(teams)} 个组）",
    )
    return teams
