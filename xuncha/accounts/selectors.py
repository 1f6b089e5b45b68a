"""Reads of the accounts app."""

from typing import Any

from django.db.models import Q, QuerySet

from xuncha.accounts.models import User
from xuncha.core.roles import Role

USER_MANAGERS = frozenset({Role.SYS_ADMIN, Role.SEC_ADMIN})


def user_list(*, user: Any, query: str = "") -> QuerySet[User]:
    """All accounts, for the system and security administrators only."""
    if not user.has_any_role(USER_MANAGERS):
        return User.objects.none()
    qs = User.objects.prefetch_related("role_grants__committee", "role_grants__organization").order_by("username")
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return qs


def user_get(*, user: Any, pk: int) -> User:
    """One account, within `user_list`'s scope (raises User.DoesNotExist otherwise)."""
    return user_list(user=user).get(pk=pk)
