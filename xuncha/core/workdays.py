"""Working-day arithmetic on the statutory calendar (holidays and 调休 working weekends as data), and calendar months."""

from datetime import date, timedelta

from xuncha.core.models import CalendarDay
from xuncha.core.models.calendar import DayKind


def _exceptions(start: date, end: date) -> dict[date, str]:
    rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    return dict(rows)


def _is_working(day: date, exceptions: dict[date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == DayKind.HOLIDAY:
        return False
    if kind == DayKind.WORKDAY:
        return True
    return day.weekday() < 5


def is_working_day(day: date) -> bool:
    """True on Monday–Friday unless a holiday, and on a 调休 weekend working day."""
    return _is_working(day, _exceptions(day, day))


def add_working_days(start: date, n: int) -> date:
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
        exceptions = _exceptions(lo, hi)
        while lo <= day + timedelta(days=step) <= hi:
            day += timedelta(days=step)
            if _is_working(day, exceptions):
                remaining -= 1
                if remaining == 0:
                    return day


def working_days_between(start: date, end: date) -> int:
    """Working days d with start < d <= end (negative when `end` is before `start`)."""
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    exceptions = _exceptions(start, end)
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
