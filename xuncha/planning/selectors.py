"""Reads of planning, always scoped by permissions.py."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from xuncha.core.codetables import code_items
from xuncha.core.params import param_value
from xuncha.orgs.models import Organization
from xuncha.planning.choices import AssignmentState, TeamRole, state_reached
from xuncha.planning.models import AnnualPlan, Assignment, CoveragePlan, PoolMember, Round, Team
from xuncha.planning.permissions import (
    assignments_visible,
    own_committee_ids,
    pool_visible,
    rounds_visible,
)
from xuncha.planning.recusal import _years_ago

FLAG_PREFIX = [("elevated", "提级"), ("cross", "交叉")]


def kind_label(inspection_type: str, flags: list[str], types: dict[str, str] | None = None) -> str:
    """How a round's mix is spoken of: 常规巡察, 提级交叉巡察, 巡察整改督查, 提级巡察（联动）."""
    types = types if types is not None else dict(code_items("inspection_types").values_list("code", "label"))
    prefix = "".join(label for flag, label in FLAG_PREFIX if flag in flags)
    base = f"{prefix}巡察" if prefix else types.get(inspection_type, inspection_type)
    if prefix and inspection_type not in {"regular"}:
        base = f"{prefix}{types.get(inspection_type, inspection_type)}"
    if "linked" in flags:
        base += "（联动）"
    return base


def round_list(*, user: Any, year: int | None = None, committee_id: int | None = None) -> QuerySet[Round]:
    qs = rounds_visible(user).select_related("committee")
    if year:
        qs = qs.filter(year=year)
    if committee_id:
        qs = qs.filter(committee_id=committee_id)
    return qs


def round_get(*, user: Any, pk: int) -> Round:
    return round_list(user=user).get(pk=pk)


def round_mix(round_: Round) -> list[tuple[str, int]]:
    """The round's assignments counted by kind (e.g. 常规巡察 14, 提级交叉巡察 16, 巡察整改督查 20)."""
    types = dict(code_items("inspection_types").values_list("code", "label"))
    counts = Counter(
        kind_label(t, f, types)
        for t, f in round_.assignments.exclude(state=AssignmentState.CANCELLED).values_list("inspection_type", "flags")
    )
    return counts.most_common()


def assignment_list(
    *, user: Any, state: str = "", round_id: int | None = None, inspection_type: str = "", query: str = ""
) -> QuerySet[Assignment]:
    qs = assignments_visible(user).select_related("round__committee", "organization", "team")
    if state:
        qs = qs.filter(state=state)
    if round_id:
        qs = qs.filter(round_id=round_id)
    if inspection_type:
        qs = qs.filter(inspection_type=inspection_type)
    if query:
        qs = qs.filter(Q(organization__name__icontains=query) | Q(organization__org_code__icontains=query))
    return qs


def assignment_get(*, user: Any, pk: int) -> Assignment:
    return assignment_list(user=user).get(pk=pk)


def team_leaders(team: Team | None) -> list[tuple[str, str]]:
    """(role, name) of the leader and deputies — all that the inspected unit may see of a team."""
    if team is None:
        return []
    return [
        (m.get_role_display(), m.person.name)
        for m in team.members.filter(role__in=[TeamRole.LEADER, TeamRole.DEPUTY]).select_related("person")
    ]


ROLE_ORDER = [TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.LIAISON, TeamRole.MEMBER]


def team_members(team: Team | None) -> list[Any]:
    """A team's members, leader first, then deputies, liaison and members."""
    if team is None:
        return []
    return sorted(team.members.select_related("person"), key=lambda m: (ROLE_ORDER.index(m.role), m.pk))


def team_list(*, user: Any, round_: Round) -> QuerySet[Team]:
    """Teams of a visible round (the caller has checked the round)."""
    return round_.teams.prefetch_related("members__person", "assignments__organization")


def pool_list(
    *, user: Any, kind: str = "", skill: str = "", available: str = "", query: str = ""
) -> QuerySet[PoolMember]:
    qs = pool_visible(user).select_related("person", "committee")
    if kind:
        qs = qs.filter(kind=kind)
    if skill:
        qs = qs.filter(skills__contains=[skill]) if _json_contains() else qs.filter(skills__icontains=f'"{skill}"')
    if available == "1":
        qs = qs.filter(available=True)
    elif available == "0":
        qs = qs.filter(available=False)
    if query:
        qs = qs.filter(person__name__icontains=query)
    return qs


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def annual_plans(*, user: Any) -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.filter(committee_id__in=own_committee_ids(user)).select_related("committee")


def coverage_plans(*, user: Any) -> QuerySet[CoveragePlan]:
    return CoveragePlan.objects.filter(committee_id__in=own_committee_ids(user)).select_related("committee")


@dataclass
class CoverageRow:
    org: Organization
    last_inspected: date | None
    status: str  # "inspected", "planned", "uncovered"
    warn: bool


def coverage(plan: CoveragePlan, today: date | None = None) -> tuple[list[CoverageRow], dict[str, Any]]:
    """全覆盖: each managed organisation's status in the term, and the overdue-since-last-inspection flag."""
    today = today or timezone.localdate()
    years = int(param_value("uninspected_warning_years", committee=plan.committee))
    threshold = _years_ago(today, years)
    orgs = list(Organization.objects.filter(managed_by=plan.committee).order_by("path"))
    inspections = Assignment.objects.filter(organization__in=orgs, round__committee=plan.committee).exclude(
        Q(state=AssignmentState.CANCELLED) | Q(inspection_type="rect_supervision")
    )
    last = dict(
        inspections.filter(state__in=_entered_states())
        .values("organization_id")
        .annotate(last=Max("planned_entry"))
        .values_list("organization_id", "last")
    )
    in_term = {
        (org_id, state)
        for org_id, state in inspections.filter(
            planned_entry__gte=plan.start_date, planned_entry__lte=plan.end_date
        ).values_list("organization_id", "state")
    }
    covered = {o for o, s in in_term if state_reached(s, AssignmentState.ENTERED)}
    planned = {o for o, _ in in_term} - covered
    rows = []
    for org in orgs:
        status = "inspected" if org.id in covered else "planned" if org.id in planned else "uncovered"
        last_date = last.get(org.id)
        rows.append(CoverageRow(org, last_date, status, last_date is None or last_date < threshold))
    total = len(rows)
    stats = {
        "total": total,
        "inspected": len(covered),
        "planned": len(planned),
        "uncovered": total - len(covered) - len(planned),
        "share": round(100 * len(covered) / total, 1) if total else 0.0,
        "warn": sum(r.warn for r in rows),
        "years": years,
    }
    return rows, stats


def _entered_states() -> list[str]:
    return [
        s
        for s in AssignmentState.values
        if s != AssignmentState.CANCELLED and state_reached(s, AssignmentState.ENTERED)
    ]
