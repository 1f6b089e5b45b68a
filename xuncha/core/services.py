"""Writes of the core app: committees and the working-day calendar (national and per committee, ADR 0016)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.models import CalendarDay, Committee
from xuncha.core.models.calendar import DayKind
from xuncha.core.params import config_changed
from xuncha.core.permissions import config_write_check, system_check
from xuncha.core.workdays import is_working_day


@transaction.atomic
def committee_create(
    *, actor: Actor, name: str, short_name: str, level: str, parent: Committee | None = None, office_name: str = ""
) -> Committee:
    """Register an inspecting committee under `parent` (None for the top of the installation)."""
    system_check(actor, "派出党委在系统部署时登记，不能在平台上新增。")
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


def _check_local_day(committee: Committee, day: date, kind: str) -> None:
    """A local override must change what the committee would otherwise inherit, and leaves statutory holidays alone."""
    inherited_working = is_working_day(day, committee=committee.parent)
    if kind == DayKind.HOLIDAY and not inherited_working:
        raise ValidationError(f"{day:%Y-%m-%d} 按上级日历已是休息日，无需登记为本级节假日。")
    if kind == DayKind.WORKDAY:
        if inherited_working:
            raise ValidationError(f"{day:%Y-%m-%d} 按上级日历已是工作日，无需登记为调休上班日。")
        national = CalendarDay.objects.filter(date=day, committee__isnull=True, kind=DayKind.HOLIDAY).first()
        if national is not None:
            raise ValidationError(f"{day:%Y-%m-%d} 是全国统一的法定节假日（{national.name}），不能在本级改为上班日。")


@transaction.atomic
def calendar_day_set(
    *, actor: Actor, committee: Committee | None, day: date, kind: str, name: str, source: str = ""
) -> CalendarDay:
    """Mark `day` as a holiday or a 调休 working day on the national calendar (`committee` None, only
    from the top) or as `committee`'s local override (its office administrator or one above)."""
    config_write_check(actor, committee)
    if kind not in DayKind.values:
        raise ValidationError("类型必须是“法定节假日”或“调休上班日”。")
    if not name.strip():
        raise ValidationError("名称不能为空。")
    if committee is None:
        if kind == DayKind.WORKDAY and day.weekday() < 5:
            raise ValidationError(f"{day:%Y-%m-%d} 是工作日，无需登记为调休上班日。")
    else:
        _check_local_day(committee, day, kind)
    row, created = CalendarDay.objects.update_or_create(
        date=day,
        committee=committee,
        defaults={"kind": kind, "name": name.strip(), "source": source.strip(), "created_by": account_of(actor)},
    )
    scope = "全国统一日历" if committee is None else f"{committee.short_name}本级日历"
    audit_record(
        action="config.calendar_set",
        actor=actor,
        target=row,
        committee_id=committee.pk if committee else None,
        summary=f"{scope}：{day:%Y-%m-%d} 设为{row.get_kind_display()}（{row.name}）",
        data={
            "date": day.isoformat(),
            "kind": kind,
            "created": created,
            "committee": committee.pk if committee else None,
        },
    )
    config_changed("calendar", committee)
    return row


@transaction.atomic
def calendar_day_delete(*, actor: Actor, committee: Committee | None, day: date) -> None:
    """Remove the national entry for `day` (only from the top) or `committee`'s own override of it."""
    config_write_check(actor, committee)
    deleted, _ = CalendarDay.objects.filter(date=day, committee=committee).delete()
    if deleted:
        scope = "全国统一日历" if committee is None else f"{committee.short_name}本级日历"
        audit_record(
            action="config.calendar_delete",
            actor=actor,
            object_type="core.calendarday",
            object_id=day.isoformat(),
            committee_id=committee.pk if committee else None,
            summary=f"{scope}：{day:%Y-%m-%d} 的登记已删除",
            data={"date": day.isoformat(), "committee": committee.pk if committee else None},
        )
        config_changed("calendar", committee)
