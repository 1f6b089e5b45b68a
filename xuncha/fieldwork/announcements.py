"""Announcements (公告): the sentences and hours they publish, tailored per announcement, and whether
the public channel is open."""

import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.models import Committee
from xuncha.core.params import param_value
from xuncha.core.transitions import Move
from xuncha.core.workdays import is_working_day
from xuncha.fieldwork.models import Announcement
from xuncha.fieldwork.permissions import publish_check
from xuncha.planning.choices import AssignmentState
from xuncha.planning.models import Assignment


def scope_sentence(assignment: Assignment) -> str:
    """The standard acceptance-scope sentence (domain.md §5.2)."""
    activity = assignment.round.committee.activity_name
    return (
        f"根据{assignment.round.committee.short_name}{activity}工作的统一部署，{activity}组主要受理反映被{activity}党组织领导班子及其成员、"
        "下一级党组织领导班子主要负责人和重要岗位领导干部问题的来信、来电、来访，重点是关于违反政治纪律、组织纪律、"
        "廉洁纪律、群众纪律、工作纪律和生活纪律等方面的举报和反映。"
    )


REFERRAL_SENTENCE = "其他不属于受理范围的信访问题，将按规定转交被巡察单位或有关部门处理。"
# Tailored per announcement (domain.md §4.3): defaulted once, then kept as saved.
TAILORED = ("reception_hours", "scope_text", "referral_text")
CLOCK = re.compile(r"([01]?\d|2[0-3])[:：]([0-5]\d)")
WORKWEEK = frozenset(range(1, 6))  # ISO weekdays, Monday–Friday


def announcement_defaults(assignment: Assignment) -> dict[str, Any]:
    """What a new announcement starts from: the issuer, the committee's reception hours, the standard sentences."""
    committee = assignment.round.committee
    team = assignment.team.name if assignment.team else f"{committee.activity_name}组"
    return {
        "issuer": f"{committee.short_name}{team}",
        "reception_hours": param_value("reception_hours", committee=committee),
        "scope_text": scope_sentence(assignment),
        "referral_text": REFERRAL_SENTENCE,
    }


def _clock(text: Any) -> str | None:
    """A time of day as zero-padded "HH:MM" (9:00 and 9：00 accepted), None when it is not one."""
    match = CLOCK.fullmatch(str(text).strip())
    return f"{int(match[1]):02d}:{match[2]}" if match else None


def _range_clean(pair: Any) -> list[str]:
    """One reception range as an "HH:MM" pair that starts before it ends."""
    sequence = isinstance(pair, list | tuple)
    label = "—".join(map(str, pair)) if sequence else str(pair)
    start, end = (_clock(pair[0]), _clock(pair[1])) if sequence and len(pair) == 2 else (None, None)
    if start is None or end is None:
        raise ValidationError(f"接访时段“{label}”应写成“HH:MM—HH:MM”，如 09:00—12:00。")
    if start >= end:
        raise ValidationError(f"接访时段“{label}”的开始时间应早于结束时间。")
    return [start, end]


def _overlaps(ranges: list[list[str]]) -> list[str]:
    """A message for each range that begins before an earlier one (in `ranges`, sorted) has ended."""
    messages: list[str] = []
    latest = ranges[0]
    for current in ranges[1:]:
        if current[0] < latest[1]:
            messages.append(f"接访时段“{latest[0]}—{latest[1]}”与“{current[0]}—{current[1]}”重叠。")
        latest = max(latest, current, key=lambda r: r[1])
    return messages


def _ranges_clean(ranges: Any) -> list[list[str]]:
    """Reception ranges as "HH:MM" pairs in order, each starting before it ends, none overlapping another."""
    if not ranges:
        raise ValidationError("请至少填写一个接访时段。")
    clean: list[list[str]] = []
    errors: list[str] = []
    for pair in ranges:
        try:
            clean.append(_range_clean(pair))
        except ValidationError as exc:
            errors.extend(exc.messages)
    clean.sort()
    errors.extend(_overlaps(clean) if clean else [])
    if errors:
        raise ValidationError(errors)
    return clean


def _tailored(
    base: dict[str, Any], ranges: Any = None, scope_text: str | None = None, referral_text: str | None = None
) -> dict[str, Any]:
    """Hours and texts: those given, else `base` (the saved values, or the defaults)."""
    hours = dict(base["reception_hours"])
    if ranges is not None:
        hours["ranges"] = ranges
    return {
        "reception_hours": hours,
        "scope_text": base["scope_text"] if scope_text is None else scope_text.strip(),
        "referral_text": base["referral_text"] if referral_text is None else referral_text.strip(),
    }


def _announcement_clean(values: dict[str, Any]) -> dict[str, Any]:
    """The values with their ranges normalised; errors are keyed by the argument of `announcement_save` at fault."""
    errors: dict[str, list[str]] = {}
    if not values["hotline"]:
        errors["hotline"] = ["公告必须载明专门值班电话。"]
    if not values["po_box"]:
        errors["po_box"] = ["公告必须载明专门邮政信箱。"]
    if not values["scope_text"]:
        errors["scope_text"] = ["受理范围不能为空。"]
    hours = values["reception_hours"]
    try:
        hours = {**hours, "ranges": _ranges_clean(hours.get("ranges"))}
    except ValidationError as exc:
        errors["reception_ranges"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {**values, "reception_hours": hours}


@transaction.atomic
def announcement_save(
    *,
    actor: Actor,
    assignment: Assignment,
    hotline: str,
    po_box: str,
    email: str = "",
    address: str = "",
    supervision_phone: str = "",
    issuer: str = "",
    reception_ranges: list[list[str]] | None = None,
    scope_text: str | None = None,
    referral_text: str | None = None,
    restore_defaults: bool = False,
) -> Announcement:
    """Publish or update an announcement; hours and texts not given keep their saved (else default) values."""
    publish_check(actor, assignment)
    existing = Announcement.objects.select_for_update().filter(assignment=assignment).first()
    defaults = announcement_defaults(assignment)
    base = defaults if existing is None or restore_defaults else {key: getattr(existing, key) for key in TAILORED}
    if restore_defaults:
        # 恢复默认 recomputes hours and texts from the committee's parameters, whatever the form still holds.
        reception_ranges = scope_text = referral_text = None
    values = {
        "issuer": issuer.strip() or defaults["issuer"],
        "hotline": hotline.strip(),
        "po_box": po_box.strip(),
        "email": email.strip(),
        "address": address.strip(),
        "supervision_phone": supervision_phone.strip(),
        **_tailored(base, reception_ranges, scope_text, referral_text),
        "period_start": assignment.entered_on or assignment.planned_entry,
        "period_end": assignment.onsite_end,
        "cutoff": assignment.petition_cutoff,
    }
    values = _announcement_clean(values)
    changed = [key for key in values if existing is None or getattr(existing, key) != values[key]]
    announcement, created = Announcement.objects.update_or_create(
        assignment=assignment,
        defaults=values,
        create_defaults={**values, "token": secrets.token_urlsafe(12), "created_by": account_of(actor)},
    )
    audit_record(
        action="petitions.announcement_save",
        actor=actor,
        target=announcement,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：{'发布' if created else '修改'}巡察公告",
        data={"changed": changed, "restored_defaults": restore_defaults},
    )
    return announcement


# The stages in which the public channel may be open (before the entry the period's start keeps it shut).
INTAKE_STATES = frozenset({AssignmentState.NOTIFIED, AssignmentState.ENTERED, AssignmentState.ON_SITE})
REGULAR_CHANNELS = "如需反映问题，请通过纪检监察机关信访举报渠道（12388）或信访部门反映。"


def close_public_channel(assignment: Assignment, move: Move) -> None:
    """Observer of the assignment machine: leaving the on-site stage (撤离, or any later or cancelled
    state) closes the announcement's page and survey from the move's date on."""
    if move.target not in INTAKE_STATES:
        Announcement.objects.filter(assignment=assignment, closed_on__isnull=True).update(
            closed_on=move.on, updated_at=timezone.now()
        )


def intake_state(announcement: Announcement, today: Any = None) -> tuple[bool, str]:
    """Whether the online channel is open, and if not, why (in Chinese)."""
    today = today or timezone.localdate()
    if announcement.closed_on is not None and today >= announcement.closed_on:
        return False, (
            f"本次{announcement.issuer}已于{announcement.closed_on:%Y年%m月%d日}结束进驻，网上信访受理已关闭。"
            + REGULAR_CHANNELS
        )
    if today < announcement.period_start:
        return False, f"信访受理自{announcement.period_start:%Y年%m月%d日}开始。"
    if today > announcement.cutoff:
        return False, (
            f"本次{announcement.issuer}的信访受理已于{announcement.cutoff:%Y年%m月%d日}截止。" + REGULAR_CHANNELS
        )
    return True, ""


def intake_state_now(announcement: Announcement, today: Any = None) -> tuple[bool, str]:
    """`intake_state` on the stored row, not on a copy a page cached a moment ago: what a submission checks."""
    fresh = Announcement.objects.filter(pk=announcement.pk).values("closed_on", "cutoff", "period_start").first()
    if fresh is None:
        return False, "该公告已不存在。" + REGULAR_CHANNELS
    for name, value in fresh.items():
        setattr(announcement, name, value)
    return intake_state(announcement, today)


def is_reception_day(day: date, weekdays: Iterable[int] | None = None, *, committee: Committee | None) -> bool:
    """A working day on `committee`'s calendar and, when `weekdays` (ISO) leaves out part of Monday–Friday,
    one of those listed."""
    if not is_working_day(day, committee=committee):
        return False  # holidays and ordinary weekends, whatever the list says
    listed = set(weekdays or WORKWEEK)
    # The calendar does not record which weekday a 调休 day stands in for, so an unrestricted list
    # admits every working day and a restricted one only the weekdays it names.
    return listed >= WORKWEEK or day.isoweekday() in listed


def within_reception_hours(moment: datetime, hours: dict[str, Any], *, committee: Committee | None) -> bool:
    """True inside one of the announced time ranges on a reception day (see `is_reception_day`)."""
    local = timezone.localtime(moment)
    if not is_reception_day(local.date(), hours.get("weekdays"), committee=committee):
        return False
    now = local.time()
    return any(time.fromisoformat(a) <= now <= time.fromisoformat(b) for a, b in hours.get("ranges", []))
