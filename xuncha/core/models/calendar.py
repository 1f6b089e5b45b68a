from django.db import models

from xuncha.core.models.base import BaseModel


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日（含调休放假）"
    WORKDAY = "workday", "调休上班日"


class CalendarDay(BaseModel):
    """An exception to the Monday–Friday week: a holiday on a weekday or a 调休 working weekend."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=40, help_text="如“春节”“国庆节调休上班”")
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
