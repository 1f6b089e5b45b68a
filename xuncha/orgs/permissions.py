"""The access chokepoint of the organisation registry: one predicate for list, detail, export and counts."""

from typing import Any

from django.db.models import Q, QuerySet

from xuncha.core.permissions import committee_ids_visible
from xuncha.core.roles import COMMITTEE_ROLES, OFFICE_ROLES, Role
from xuncha.orgs.models import Organization, Person, Relationship

UNIT_SUBTREE_ROLES = frozenset({Role.UNIT_LEADER, Role.UNIT_LIAISON})


def organizations_visible(user: Any) -> QuerySet[Organization]:
    """Committee roles: the orgs their committees (and those below) manage; unit roles: their own
    subtree; functional departments: themselves; the 三员 and the public: nothing."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    condition = Q(pk__in=[])
    committee_ids = committee_ids_visible(user, COMMITTEE_ROLES)
    if committee_ids:
        condition |= Q(managed_by_id__in=committee_ids)
    for grant in user.active_grants():
        if grant.organization_id is None:
            continue
        if grant.role in UNIT_SUBTREE_ROLES:
            condition |= Q(path__startswith=grant.organization.path)
        elif grant.role == Role.FUNCTIONAL_DEPT:
            condition |= Q(pk=grant.organization_id)
    return Organization.objects.filter(condition)


def organizations_editable(user: Any) -> QuerySet[Organization]:
    """Orgs whose registry entries the user may change: the office of a managing committee or above."""
    ids = committee_ids_visible(user, OFFICE_ROLES)
    return Organization.objects.filter(managed_by_id__in=ids)


def people_visible(user: Any) -> QuerySet[Person]:
    """People who hold or held a post in a visible organisation."""
    return Person.objects.filter(positions__organization__in=organizations_visible(user)).distinct()


def relationships_visible(user: Any) -> QuerySet[Relationship]:
    """Family and work relations are for recusal checks: the office only, within its committees."""
    ids = committee_ids_visible(user, OFFICE_ROLES)
    if not ids:
        return Relationship.objects.none()
    orgs = Organization.objects.filter(managed_by_id__in=ids)
    return Relationship.objects.filter(
        Q(person_a__positions__organization__in=orgs) | Q(person_b__positions__organization__in=orgs)
    ).distinct()


def can_edit_registry(user: Any) -> bool:
    """True for office staff of at least one committee."""
    return bool(committee_ids_visible(user, OFFICE_ROLES))
