"""The committee partition: which committees' data a user may see.

A committee role held at committee C covers C and every committee below it (上下联动,
巡视带巡察): a city office sees its districts, a district office sees only its own
district, and nobody sees upward or sideways.
"""

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.core.models import Committee
from xuncha.core.roles import COMMITTEE_ROLES, Role


class Reach(StrEnum):
    """How far a committee grant reaches (ADR 0018): the committee itself, or it and every one below."""

    OWN = "own"
    OWN_AND_BELOW = "own_and_below"


def committee_scope(user: Any, roles: frozenset[str] = COMMITTEE_ROLES, reach: Reach = Reach.OWN_AND_BELOW) -> set[int]:
    """The one committee-scope function: ids of the committees whose data `user` reaches through any of
    `roles`, either only where the grant is held (OWN) or there and below (OWN_AND_BELOW). Cached on
    the user object for the request; a system actor and an anonymous visitor reach nothing."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache: dict[tuple[frozenset[str], Reach], set[int]] = user.__dict__.setdefault("_committee_scope", {})
    key = (roles, reach)
    if key not in cache:
        own = {g.committee_id for g in user.active_grants() if g.role in roles and g.committee_id}
        if reach is Reach.OWN or not own:
            cache[key] = own
        else:
            condition = Q()
            for path in Committee.objects.filter(id__in=own).values_list("path", flat=True):
                condition |= Q(path__startswith=path)
            cache[key] = set(Committee.objects.filter(condition).values_list("id", flat=True))
    return cache[key]


def committees_visible(user: Any, roles: frozenset[str] = COMMITTEE_ROLES) -> QuerySet[Committee]:
    """Committees whose data `user` may read through any of `roles` (own and below)."""
    return Committee.objects.filter(id__in=committee_scope(user, roles, Reach.OWN_AND_BELOW))


def committee_ids_visible(user: Any, roles: frozenset[str] = COMMITTEE_ROLES) -> set[int]:
    """The ids of `committees_visible` (own and below)."""
    return committee_scope(user, roles, Reach.OWN_AND_BELOW)


def committee_in_scope(user: Any, committee_id: int | None, roles: frozenset[str] = COMMITTEE_ROLES) -> bool:
    """True when `committee_id` lies in the user's scope for `roles`."""
    return committee_id is not None and committee_id in committee_ids_visible(user, roles)


# Configuration (ADR 0016): an office administrator sets configuration for the committees of their
# scope (own and below); national data — the statutory calendar and the national code tables — is
# set only by an office administrator of a topmost committee (one without a parent).
CONFIG_ADMIN_ROLES = frozenset({Role.OFFICE_ADMIN})


def config_committees_writable(user: Any) -> QuerySet[Committee]:
    """Committees whose own configuration `user` may set (office administrator: own and below)."""
    return committees_visible(user, CONFIG_ADMIN_ROLES)


def may_write_national_config(user: Any) -> bool:
    """True for an office administrator of a topmost committee (the only writers of national data)."""
    ids = committee_scope(user, CONFIG_ADMIN_ROLES, Reach.OWN)
    return bool(ids) and Committee.objects.filter(id__in=ids, parent__isnull=True).exists()


def config_write_check(actor: Actor, committee: Committee | None) -> None:
    """Refuse (in Chinese) unless `actor` may set configuration for `committee` (None: national data).

    A system actor (migrations, the demo loader, management commands) is the system itself.
    """
    require_actor(actor)
    if is_system(actor):
        return
    if committee is None:
        if not may_write_national_config(actor):
            raise PermissionDenied("全国统一的配置只能由最高一级巡察办管理员修改。")
        return
    if not config_committees_writable(actor).filter(pk=committee.pk).exists():
        raise PermissionDenied(f"您无权修改{committee.name}的配置；只能修改本级及下级党委的配置。")


def role_check(actor: Actor, roles: frozenset[str], message: str) -> None:
    """Refuse (in Chinese) unless `actor` holds one of `roles` or is a named system actor."""
    require_actor(actor)
    if is_system(actor):
        return
    if not getattr(actor, "is_authenticated", False) or not actor.has_any_role(roles):  # type: ignore[union-attr]
        raise PermissionDenied(message)


def system_check(actor: Actor, message: str) -> None:
    """Refuse every person: only a named system actor (a command, the demo loader, a test's setup) may."""
    require_actor(actor)
    if not is_system(actor):
        raise PermissionDenied(message)
