"""The committee partition: which committees' data a user may see.

A committee role held at committee C covers C and every committee below it (上下联动,
巡视带巡察): a city office sees its districts, a district office sees only its own
district, and nobody sees upward or sideways.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from xuncha.core.actors import is_system, require_actor
from xuncha.core.models import Committee
from xuncha.core.roles import COMMITTEE_ROLES, Role


def committees_visible(user: Any, roles: frozenset[str] = COMMITTEE_ROLES) -> QuerySet[Committee]:
    """Committees whose data `user` may read through any of `roles` (default: all committee roles)."""
    if not getattr(user, "is_authenticated", False):
        return Committee.objects.none()
    base_ids = {g.committee_id for g in user.active_grants() if g.role in roles and g.committee_id}
    if not base_ids:
        return Committee.objects.none()
    paths = Committee.objects.filter(id__in=base_ids).values_list("path", flat=True)
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Committee.objects.filter(condition)


def committee_ids_visible(user: Any, roles: frozenset[str] = COMMITTEE_ROLES) -> set[int]:
    """The ids of `committees_visible`, cached on the user object for the request."""
    cache: dict[frozenset[str], set[int]] = user.__dict__.setdefault("_committee_scope", {})
    if roles not in cache:
        cache[roles] = set(committees_visible(user, roles).values_list("id", flat=True))
    return cache[roles]


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
    if not getattr(user, "is_authenticated", False):
        return False
    ids = {g.committee_id for g in user.active_grants() if g.role in CONFIG_ADMIN_ROLES and g.committee_id}
    return Committee.objects.filter(id__in=ids, parent__isnull=True).exists()


def config_write_check(actor: Any, committee: Committee | None) -> None:
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
