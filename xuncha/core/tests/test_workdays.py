"""Working-day arithmetic across the 2024 Spring Festival and 调休 Saturdays."""

from datetime import date

import pytest

from xuncha.core.models.calendar import DayKind
from xuncha.core.services import calendar_day_set
from xuncha.core.tests.setup import SETUP
from xuncha.core.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_spring_festival_2024_days_are_holidays_and_its_sundays_are_working_days() -> None:
    assert not is_working_day(date(2024, 2, 12), committee=None)  # Monday inside the festival
    assert is_working_day(date(2024, 2, 4), committee=None)  # Sunday 调休
    assert is_working_day(date(2024, 2, 18), committee=None)  # Sunday 调休
    assert is_working_day(date(2024, 2, 9), committee=None)  # 除夕 2024 was an ordinary Friday


def test_adding_working_days_skips_the_festival_and_counts_the_swap_sunday() -> None:
    assert add_working_days(date(2024, 2, 8), 1, committee=None) == date(2024, 2, 9)
    assert add_working_days(date(2024, 2, 9), 1, committee=None) == date(2024, 2, 18)
    assert add_working_days(date(2024, 2, 9), 2, committee=None) == date(2024, 2, 19)
    assert add_working_days(date(2024, 2, 19), -1, committee=None) == date(2024, 2, 18)
    assert add_working_days(date(2024, 2, 18), -1, committee=None) == date(2024, 2, 9)
    assert add_working_days(date(2024, 2, 9), 0, committee=None) == date(2024, 2, 9)


def test_a_saturday_swap_day_counts_as_working() -> None:
    # 2023-10-07 (Saturday) was a 调休 working day after 中秋国庆.
    assert is_working_day(date(2023, 10, 7), committee=None)
    assert add_working_days(date(2023, 9, 28), 1, committee=None) == date(2023, 10, 7)
    assert working_days_between(date(2023, 9, 28), date(2023, 10, 9), committee=None) == 3  # 10-07, 10-08, 10-09


def test_working_days_between_is_antisymmetric_and_excludes_the_start() -> None:
    assert working_days_between(date(2024, 2, 9), date(2024, 2, 19), committee=None) == 2
    assert working_days_between(date(2024, 2, 19), date(2024, 2, 9), committee=None) == -2
    assert working_days_between(date(2024, 3, 4), date(2024, 3, 4), committee=None) == 0


def test_fifteen_working_days_for_a_plan_due_date_crosses_national_day_2024() -> None:
    # Feedback on 2024-09-27 (Fri): Sept 29 (Sun) is a swap day, Oct 1–7 off, Oct 12 (Sat) a swap day.
    assert add_working_days(date(2024, 9, 27), 15, committee=None) == date(2024, 10, 23)


def test_editing_the_calendar_moves_the_result() -> None:
    before = add_working_days(date(2025, 3, 6), 1, committee=None)
    assert before == date(2025, 3, 7)
    calendar_day_set(actor=SETUP, committee=None, day=date(2025, 3, 7), kind=DayKind.HOLIDAY, name="测试放假")
    assert add_working_days(date(2025, 3, 6), 1, committee=None) == date(2025, 3, 10)


def test_a_working_weekday_cannot_be_registered_as_a_swap_day() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="无需登记"):
        calendar_day_set(actor=SETUP, committee=None, day=date(2025, 3, 5), kind=DayKind.WORKDAY, name="错误")


def test_the_seeded_calendar_covers_2023_to_2027() -> None:
    from xuncha.core.models import CalendarDay

    years = {d.year for d in CalendarDay.objects.values_list("date", flat=True)}
    assert {2023, 2024, 2025, 2026, 2027} <= years
    assert CalendarDay.objects.filter(date__year=2027, source__contains="预估").exists()
