"""Reads of the core app, scoped by the acting user."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from xuncha.core.models import AuditEvent, CalendarDay, CodeTable, Committee, ConfigParam
from xuncha.core.permissions import committees_visible
from xuncha.core.roles import OFFICE_ROLES, Role
from xuncha.core.workdays import calendar_entries


def committee_list(*, user: Any) -> QuerySet[Committee]:
    """Committees in the user's scope."""
    return committees_visible(user).select_related("parent")


def committee_admin_list(*, user: Any) -> QuerySet[Committee]:
    """Committees whose parameters the user may set (office administrator's scope)."""
    return committees_visible(user, frozenset({Role.OFFICE_ADMIN}))


def calendar_day_list(*, year: int, committee: Committee | None) -> list[CalendarDay]:
    """The entries of one year that apply to `committee` (the nearest per date; national when None)."""
    return calendar_entries(date(year, 1, 1), date(year, 12, 31), committee=committee)


def code_table_list() -> QuerySet[CodeTable]:
    """Every code table version, current first within a key."""
    return CodeTable.objects.order_by("key", "-version")


def param_list() -> QuerySet[ConfigParam]:
    """All configuration parameters."""
    return ConfigParam.objects.order_by("key")


def audit_event_list(*, user: Any, action: str = "") -> QuerySet[AuditEvent]:
    """Audit events for the security auditor (and office administrators, within their committees)."""
    qs = AuditEvent.objects.order_by("-seq")
    if action:
        qs = qs.filter(action__startswith=action)
    if user.has_any_role({Role.SEC_AUDITOR}):
        return qs
    if user.has_any_role(OFFICE_ROLES):
        ids = committees_visible(user, frozenset({Role.OFFICE_ADMIN})).values_list("id", flat=True)
        return qs.filter(committee_id__in=list(ids))
    return qs.none()
