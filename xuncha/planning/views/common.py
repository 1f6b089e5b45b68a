"""Shared bits of the planning pages: role sets and the not-found guard."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404

from xuncha.core.roles import OFFICE_ROLES, Role
from xuncha.planning.permissions import PLAN_READERS, serves_on_team

T = TypeVar("T")

READERS = tuple(PLAN_READERS)
OFFICE = tuple(OFFICE_ROLES)
APPROVERS = (*OFFICE_ROLES, Role.LEADING_GROUP, Role.COMMITTEE_MEMBER)
POOL_READERS = (*OFFICE_ROLES, Role.LEADING_GROUP, Role.ORG_DEPT)
TEAM = serves_on_team


def get_or_404[T](fetch: Callable[[], T]) -> T:
    """Run a scoped fetch; anything outside the user's scope is simply not found."""
    try:
        return fetch()
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def committee_choices(committees: Any) -> list[tuple[int, str]]:
    return [(c.pk, c.name) for c in committees]
