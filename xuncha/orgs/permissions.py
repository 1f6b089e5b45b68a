"""The access chokepoint of the organisation registry: one predicate for list, detail, export and counts."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.core.models import Committee
from xuncha.core.permissions import committee_ids_visible, committee_in_scope
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


def registry_write_check(actor: Actor, committee: Committee | None = None) -> None:
    """The chokepoint of registry writes: the office of `committee` or one above it (any committee's
    office when `committee` is None), or a named system actor (an import command, the demo loader)."""
    require_actor(actor)
    if is_system(actor):
        return
    allowed = can_edit_registry(actor) if committee is None else committee_in_scope(actor, committee.pk, OFFICE_ROLES)
    if not allowed:
        where = f"“{committee.short_name}”管理的单位" if committee is not None else "单位和人员名录"
        raise PermissionDenied(f"您无权维护{where}。")


def person_editable(actor: Actor, person: Person) -> bool:
    """True when `actor` may change `person`'s own record: a system actor; or an office that manages a unit
    where the person holds or held a post; or any committee's office while the person has no post yet."""
    if is_system(actor):
        return True
    if not can_edit_registry(actor):
        return False
    return (
        not person.positions.exists()
        or person.positions.filter(organization__in=organizations_editable(actor)).exists()
    )


def person_write_check(actor: Actor, *people: Person) -> None:
    """A person's record (and a relation between two people) is kept by an office that may edit one of
    them (`person_editable`); a relation needs at least one side posted in a unit the office manages."""
    registry_write_check(actor)
    if is_system(actor):
        return
    if people and not any(person_editable(actor, p) for p in people):
        raise PermissionDenied("您无权维护该人员的信息：其任职单位不在本级及下级党委的管理范围内。")
    if len(people) > 1 and not any(
        p.positions.filter(organization__in=organizations_editable(actor)).exists() for p in people
    ):
        raise PermissionDenied("双方均不在本级及下级党委管理的单位任职，您无权登记该关系。")
