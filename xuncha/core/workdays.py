"""Working-day arithmetic on a committee's calendar, and calendar months.

The calendar is the statutory national one (holidays and 调休 working weekends as data) with each
committee's local overrides on top: for a date, the nearest override up the committee path wins
(ADR 0016). Every function takes the committee whose calendar applies; `committee=None` means
the national calendar alone.
"""

from datetime import date, timedelta

from django.db.models import Q

from xuncha.core.models import CalendarDay, Committee
from xuncha.core.models.calendar import DayKind


def committee_chain(committee: Committee | None) -> list[int]:
    """The ids on `committee`'s path, topmost first (empty for the national level)."""
    if committee is None:
        return []
    return [int(pk) for pk in committee.path.strip("/").split("/") if pk]


def calendar_entries(start: date, end: date, *, committee: Committee | None) -> list[CalendarDay]:
    """The entries between `start` and `end` that apply to `committee`: per date the nearest up its path."""
    chain = committee_chain(committee)
    depth = {pk: i for i, pk in enumerate(chain)}
    rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).filter(
        Q(committee__isnull=True) | Q(committee_id__in=chain)
    )
    best: dict[date, tuple[int, CalendarDay]] = {}
    for row in rows:
        rank = -1 if row.committee_id is None else depth[row.committee_id]
        if row.date not in best or rank > best[row.date][0]:
            best[row.date] = (rank, row)
    return [best[day][1] for day in sorted(best)]


def _exceptions(start: date, end: date, committee: Committee | None) -> dict[date, str]:
    return {row.date: row.kind for row in calendar_entries(start, end, committee=committee)}


def _is_working(day: date, exceptions: dict[date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == DayKind.HOLIDAY:
        return False
    if kind == DayKind.WORKDAY:
        return True
    return day.weekday() < 5


def is_working_day(day: date, *, committee: Committee | None) -> bool:
    """True on Monday–Friday unless a holiday, and on a 调休 weekend working day (on `committee`'s calendar)."""
    return _is_working(day, _exceptions(day, day, committee))


def add_working_days(start: date, n: int, *, committee: Committee | None) -> date:
    """The date `n` working days after `start` (before it when `n` is negative).

    `start` itself is not counted: adding 1 to a Friday gives the next working day.
    Adding 0 returns `start` unchanged.
    """
    if n == 0:
        return start
    step = 1 if n > 0 else -1
    remaining = abs(n)
    day = start
    # Fetch the calendar in windows generous enough for the longest holiday runs.
    window = timedelta(days=remaining * 2 + 21)
    while True:
        lo, hi = (day, day + window) if step > 0 else (day - window, day)
        exceptions = _exceptions(lo, hi, committee)
        while lo <= day + timedelta(days=step) <= hi:
            day += timedelta(days=step)
            if _is_working(day, exceptions):
                remaining -= 1
                if remaining == 0:
                    return day


def working_days_between(start: date, end: date, *, committee: Committee | None) -> int:
    """Working days d with start < d <= end on `committee`'s calendar (negative when `end` is before `start`)."""
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start, committee=committee)
    exceptions = _exceptions(start, end, committee)
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if _is_working(day, exceptions):
            count += 1
        day += timedelta(days=1)
    return count


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (1-31 + 1 month = 2-28/29)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")
