"""The access chokepoint of petitions: one predicate for lists, details, counts and exports.

domain.md §6.2: the team of the assignment works on its petitions and only the petition officer
(信访岗) and the team leader may reveal the reporter; the office of the dispatching committee reads
them with the reporter masked; the inspected unit, other teams and everyone else get nothing.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.core.roles import OFFICE_ROLES
from xuncha.petitions.models import Petition
from xuncha.planning.choices import TeamPost, TeamRole
from xuncha.planning.models import Assignment, TeamMember
from xuncha.planning.permissions import acting_persons, own_committee_ids, team_assignment_ids


def _assignments_condition(user: Any) -> Q | None:
    """Whose petitions the user sees, as a condition on assignments: the office's committee's, the team's own."""
    if not getattr(user, "is_authenticated", False):
        return None
    condition = Q(round__committee_id__in=own_committee_ids(user, OFFICE_ROLES))
    team_ids = team_assignment_ids(user)
    if team_ids:
        condition |= Q(pk__in=team_ids)
    return condition


def petition_assignments_visible(user: Any) -> QuerySet[Assignment]:
    """The assignments whose petitions the user sees (the queue's assignment filter reads these)."""
    condition = _assignments_condition(user)
    return Assignment.objects.none() if condition is None else Assignment.objects.filter(condition)


def petitions_visible(user: Any) -> QuerySet[Petition]:
    """The office's committee's petitions (masked) and those of assignments the user acts on as team."""
    if _assignments_condition(user) is None:
        return Petition.objects.none()
    return Petition.objects.filter(assignment__in=petition_assignments_visible(user))


def is_on_team(user: Any, petition: Petition) -> bool:
    """True when the user acts on the petition's assignment's team (roster and 一次一授权, ADR 0014)."""
    return bool(acting_persons(user, petition.assignment))


def can_reveal(user: Any, petition: Petition) -> bool:
    """The team leader and the petition officer of this assignment's team, authorised for it, nobody else."""
    persons = acting_persons(user, petition.assignment)
    if not persons:
        return False
    members = TeamMember.objects.filter(team__assignments=petition.assignment, person_id__in=persons)
    return any(m.role == TeamRole.LEADER or TeamPost.PETITION in m.posts for m in members)


def serves_on_petition_team(user: Any) -> bool:
    """Access capacity for the queue: the user acts on some assignment's team."""
    return bool(team_assignment_ids(user))


def queue_check(actor: Actor) -> None:
    """The petition queue (and its export) is for the inspection offices and the teams (or the system)."""
    require_actor(actor)
    if is_system(actor):
        return
    if not (own_committee_ids(actor, OFFICE_ROLES) or serves_on_petition_team(actor)):
        raise PermissionDenied("信访件仅供巡察机构和巡察组查阅。")
