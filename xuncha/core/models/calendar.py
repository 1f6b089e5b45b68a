from django.db import models

from xuncha.core.models.base import BaseModel
from xuncha.core.models.committee import Committee


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日（含调休放假）"
    WORKDAY = "workday", "调休上班日"


class CalendarDay(BaseModel):
    """An exception to the Monday–Friday week: a holiday on a weekday or a 调休 working weekend.

    A row without a committee is the statutory national calendar (全国统一); a row with one is that
    committee's local override, which applies to it and the committees below it. For each date the
    nearest row up the committee path wins, the national row last (ADR 0016).
    """

    committee = models.ForeignKey(
        Committee,
        verbose_name="适用党委",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_days",
        help_text="空表示全国统一的法定安排",
    )
    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=40, help_text="如“春节”“国庆节调休上班”")
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(committee__isnull=True), name="calendarday_national_date_unique"
            ),
            models.UniqueConstraint(fields=["committee", "date"], name="calendarday_committee_date_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
