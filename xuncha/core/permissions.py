"""The committee partition: which committees' data a user may see.

A committee role held at committee C covers C and every committee below it (上下联动,
巡视带巡察): a city office sees its districts, a district office sees only its own
district, and nobody sees upward or sideways.
"""

from typing import Any

from django.db.models import Q, QuerySet

from xuncha.core.models import Committee
from xuncha.core.roles import COMMITTEE_ROLES


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
