"""Who may open the planning pages, and how a page answers for an object outside the user's scope."""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from xuncha.core.roles import OFFICE_ROLES, Role
from xuncha.planning.permissions import PLAN_READERS, serves_on_team

T = TypeVar("T")

READERS = tuple(PLAN_READERS)
OFFICE = tuple(OFFICE_ROLES)
POOL_READERS = (*OFFICE_ROLES, Role.LEADING_GROUP, Role.ORG_DEPT)
TEAM = serves_on_team


def get_or_404[T](fetch: Callable[[], T]) -> T:
    """Run a scoped fetch; anything outside the user's scope is simply not found."""
    try:
        return fetch()
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
