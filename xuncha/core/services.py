"""Writes of the core app: committees and the working-day calendar."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.core.actors import account_of
from xuncha.core.audit import audit_record
from xuncha.core.models import CalendarDay, Committee
from xuncha.core.models.calendar import DayKind
from xuncha.core.params import config_changed


@transaction.atomic
def committee_create(
    *, actor: Any, name: str, short_name: str, level: str, parent: Committee | None = None, office_name: str = ""
) -> Committee:
    """Register an inspecting committee under `parent` (None for the top of the installation)."""
    committee = Committee(
        name=name,
        short_name=short_name,
        level=level,
        parent=parent,
        office_name=office_name,
        created_by=account_of(actor),
    )
    committee.full_clean(exclude=["path"])
    committee.save()
    committee.path = f"{parent.path if parent else '/'}{committee.pk}/"
    committee.save(update_fields=["path"])
    audit_record(
        action="core.committee_create",
        actor=actor,
        target=committee,
        committee_id=committee.pk,
        summary=f"登记派出党委“{name}”",
    )
    return committee


@transaction.atomic
def calendar_day_set(*, actor: Any, day: date, kind: str, name: str, source: str = "") -> CalendarDay:
    """Mark `day` as a holiday or a 调休 working day (replacing what was recorded for it)."""
    if kind not in DayKind.values:
        raise ValidationError("类型必须是“法定节假日”或“调休上班日”。")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise ValidationError(f"{day:%Y-%m-%d} 是工作日，无需登记为调休上班日。")
    if not name.strip():
        raise ValidationError("名称不能为空。")
    row, created = CalendarDay.objects.update_or_create(
        date=day,
        defaults={"kind": kind, "name": name.strip(), "source": source.strip(), "created_by": account_of(actor)},
    )
    audit_record(
        action="config.calendar_set",
        actor=actor,
        target=row,
        summary=f"{day:%Y-%m-%d} 设为{row.get_kind_display()}（{row.name}）",
        data={"date": day.isoformat(), "kind": kind, "created": created},
    )
    config_changed("calendar", None)
    return row


@transaction.atomic
def calendar_day_delete(*, actor: Any, day: date) -> None:
    """Return `day` to the ordinary Monday–Friday rule."""
    deleted, _ = CalendarDay.objects.filter(date=day).delete()
    if deleted:
        audit_record(
            action="config.calendar_delete",
            actor=actor,
            object_type="core.calendarday",
            object_id=day.isoformat(),
            summary=f"{day:%Y-%m-%d} 恢复为常规日",
        )
        config_changed("calendar", None)
