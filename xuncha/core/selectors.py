"""Reads of the core app, scoped by the acting user."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from xuncha.core.audit_labels import action_label, audit_ref, object_type_label
from xuncha.core.models import AuditEvent, CalendarDay, CodeTable, Committee, ConfigParam
from xuncha.core.permissions import committees_visible
from xuncha.core.roles import Role
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


def audit_shows_business(user: Any) -> bool:
    """Whether the user's audit view may show summaries: office administrators, for their committees. The
    security auditor (三员) never sees business data, whatever else the account holds."""
    return not user.has_any_role({Role.SEC_AUDITOR}) and user.has_any_role({Role.OFFICE_ADMIN})


def audit_event_list(*, user: Any, action: str = "") -> QuerySet[AuditEvent]:
    """Audit events for the security auditor (all, without summary and data) and office administrators
    (their committees' events, in full)."""
    qs = AuditEvent.objects.order_by("-seq")
    if action:
        qs = qs.filter(action=action)
    if user.has_any_role({Role.SEC_AUDITOR}):
        return qs.defer("summary", "data")
    if user.has_any_role({Role.OFFICE_ADMIN}):
        ids = committees_visible(user, frozenset({Role.OFFICE_ADMIN})).values_list("id", flat=True)
        return qs.filter(committee_id__in=list(ids))
    return qs.none()


@dataclass(frozen=True)
class AuditRow:
    """One line of the audit log as shown: who, when, from where, what, on what kind of object."""

    seq: int
    occurred_at: datetime
    actor: str
    ip_address: str
    action: str
    object_type: str
    object_ref: str
    summary: str | None  # None: not for this reader


def audit_rows(events: Iterable[AuditEvent], *, with_summary: bool) -> list[AuditRow]:
    """The events as rows; without `with_summary` no summary or data field is read at all."""
    return [
        AuditRow(
            seq=e.seq,
            occurred_at=e.occurred_at,
            actor=e.actor_label,
            ip_address=e.ip_address or "",
            action=action_label(e.action),
            object_type=object_type_label(e.object_type),
            object_ref=audit_ref(e.object_type, e.object_id),
            summary=e.summary if with_summary else None,
        )
        for e in events
    ]
