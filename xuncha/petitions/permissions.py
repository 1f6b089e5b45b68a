"""The access chokepoint of petitions: one predicate for lists, details, counts and exports.

domain.md §6.2: the team of the assignment works on its petitions and only the petition officer
(信访岗) and the team leader may reveal the reporter; the office of the dispatching committee reads
them with the reporter masked; the inspected unit, other teams and everyone else get nothing.
"""

from typing import Any

from django.db.models import Q, QuerySet

from xuncha.core.roles import OFFICE_ROLES
from xuncha.petitions.models import Petition
from xuncha.planning.choices import TeamPost, TeamRole
from xuncha.planning.models import TeamMember
from xuncha.planning.permissions import own_committee_ids, team_person_ids


def petitions_visible(user: Any) -> QuerySet[Petition]:
    if not getattr(user, "is_authenticated", False):
        return Petition.objects.none()
    condition = Q(assignment__round__committee_id__in=own_committee_ids(user, OFFICE_ROLES))
    persons = team_person_ids(user)
    if persons:
        condition |= Q(assignment__team__members__person_id__in=persons)
    return Petition.objects.filter(condition).distinct()


def is_on_team(user: Any, petition: Petition) -> bool:
    persons = team_person_ids(user)
    return (
        bool(persons)
        and TeamMember.objects.filter(team__assignments=petition.assignment, person_id__in=persons).exists()
    )


def can_reveal(user: Any, petition: Petition) -> bool:
    """The team leader and the petition officer of this assignment's team, nobody else."""
    persons = team_person_ids(user)
    if not persons or petition.assignment.team_id is None:
        return False
    members = TeamMember.objects.filter(team_id=petition.assignment.team_id, person_id__in=persons)
    return any(m.role == TeamRole.LEADER or TeamPost.PETITION in m.posts for m in members)


def serves_on_petition_team(user: Any) -> bool:
    """Access capacity for the queue: someone on a team."""
    return bool(team_person_ids(user)) and TeamMember.objects.filter(person_id__in=team_person_ids(user)).exists()
