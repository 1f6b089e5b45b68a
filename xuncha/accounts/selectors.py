"""Reads of the accounts app."""

from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When

from xuncha.accounts.models import CredentialReset, ResetStatus, User
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


def credential_reset_list(*, user: Any) -> QuerySet[CredentialReset]:
    """Reset requests, for the system and security administrators only; pending first, then newest."""
    if not user.has_any_role(USER_MANAGERS):
        return CredentialReset.objects.none()
    pending_first = Case(When(status=ResetStatus.PENDING, then=Value(0)), default=Value(1))
    return (
        CredentialReset.objects.select_related("user", "created_by", "decided_by")
        .annotate(pending_first=pending_first)
        .order_by("pending_first", "-created_at", "-id")
    )
