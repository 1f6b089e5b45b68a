"""The access chokepoint of problems and immediate fixes (domain.md §6.2).

问题底稿: the assignment's team writes them (roster + 一次一授权), the office and the leading group of the
dispatching committee read them; the inspected unit never sees a working paper. An immediate fix's
notice, by contrast, is addressed to the unit: its top leader signs for it and reports on it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.core.roles import OFFICE_ROLES, Role
from xuncha.findings.models import ImmediateFix, Problem
from xuncha.planning.choices import Approver
from xuncha.planning.models import Assignment
from xuncha.planning.permissions import acts_as, own_committee_ids, team_assignment_ids

READERS = frozenset({*OFFICE_ROLES, Role.LEADING_GROUP})
UNIT_LEADER = "unit_leader"  # signs for a notice personally
UNIT = "unit"  # the top leader or the liaison reports on it
UNIT_REPORTERS = frozenset({Role.UNIT_LEADER, Role.UNIT_LIAISON})


def problems_visible(user: Any) -> QuerySet[Problem]:
    """The working papers of the user's team assignments and of the committees whose office or group the user is."""
    if not getattr(user, "is_authenticated", False):
        return Problem.objects.none()
    condition = Q(assignment__round__committee_id__in=own_committee_ids(user, READERS))
    team = team_assignment_ids(user)
    if team:
        condition |= Q(assignment_id__in=team)
    return Problem.objects.filter(condition)


def writes_on(user: Any, assignment: Assignment) -> bool:
    """The assignment's team drafts and edits its problems."""
    return assignment.pk in team_assignment_ids(user)


def capacities(user: Any, assignment: Assignment) -> set[str]:
    """What the user may do on the review machine: 组员 drafts, 组长 chairs the 组务会 and signs, the office reviews."""
    if is_system(user):
        return {"team", str(Approver.TEAM_LEADER), str(Approver.OFFICE), UNIT, UNIT_LEADER}
    found = set(acts_as(user, assignment.round.committee_id, assignment)) & {Approver.TEAM_LEADER, Approver.OFFICE}
    if writes_on(user, assignment):
        found.add("team")
    if unit_of(user, assignment):
        found.add(UNIT)
    if unit_of(user, assignment, {Role.UNIT_LEADER}):
        found.add(UNIT_LEADER)
    return {str(c) for c in found}


def unit_of(user: Any, assignment: Assignment, roles: frozenset[str] | set[str] = UNIT_REPORTERS) -> bool:
    """The inspected unit's top leader or liaison (a grant of `roles` on that organisation)."""
    if not getattr(user, "is_authenticated", False) or is_system(user):
        return False
    return any(g.role in roles and g.organization_id == assignment.organization_id for g in user.active_grants())


def fixes_for_unit(user: Any) -> QuerySet[ImmediateFix]:
    """The immediate-fix notices addressed to the user's unit — the notice and its requirement, nothing else."""
    if not getattr(user, "is_authenticated", False):
        return ImmediateFix.objects.none()
    orgs = [g.organization_id for g in user.active_grants() if g.role in UNIT_REPORTERS and g.organization_id]
    return ImmediateFix.objects.filter(problem__assignment__organization_id__in=orgs)


def write_check(actor: Actor, assignment: Assignment) -> None:
    """Refuse (in Chinese) unless the actor is on the assignment's team, or a system actor."""
    require_actor(actor)
    if not is_system(actor) and not writes_on(actor, assignment):
        raise PermissionDenied("问题底稿由承担该巡察任务的巡察组撰写。")


def read_check(actor: Actor, problem: Problem) -> None:
    require_actor(actor)
    if not is_system(actor) and not problems_visible(actor).filter(pk=problem.pk).exists():
        raise PermissionDenied("您无权查看该问题底稿。")
