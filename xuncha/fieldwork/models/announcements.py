"""Entry and on-site work: the announcement (公告) of an assignment and the anonymous survey (民主测评).

The tables keep the names the petitions app first gave them (db_table); the models moved here."""

from django.db import models
from django.db.models import Q

from xuncha.core.models import BaseModel


class Announcement(BaseModel):
    """公告 of an assignment: channels, reception hours, scope and the intake period."""

    assignment = models.OneToOneField("planning.Assignment", on_delete=models.CASCADE, related_name="announcement")
    token = models.CharField("二维码标识", max_length=32, unique=True)
    issuer = models.CharField("发布机关", max_length=100)
    hotline = models.CharField("专门值班电话", max_length=40)
    po_box = models.CharField("专门邮政信箱", max_length=60)
    email = models.CharField("电子邮箱", max_length=100, blank=True)
    address = models.CharField("接访地址", max_length=200, blank=True)
    supervision_phone = models.CharField("监督巡察组电话", max_length=40, blank=True)
    reception_hours = models.JSONField("接访时间")
    period_start = models.DateField("进驻开始")
    period_end = models.DateField("进驻结束")
    cutoff = models.DateField("信访受理截止")
    # Set when the assignment leaves the on-site stage (or is cancelled): the public channel is closed
    # from then on, whatever the cut-off says. Published to the intake node with the rest.
    closed_on = models.DateField("网上受理关闭日期", null=True, blank=True)
    scope_text = models.TextField("受理范围")
    referral_text = models.TextField("范围外事项处理")

    class Meta:
        db_table = "petitions_announcement"
        verbose_name = "巡察公告"
        verbose_name_plural = "巡察公告"

    def __str__(self) -> str:
        return f"{self.issuer}公告"


class SurveyResponse(models.Model):
    """One anonymous 民主测评/问卷 answer sheet: no account, no address, only the day it came in."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.CASCADE, related_name="survey_responses")
    answers = models.JSONField()
    received_on = models.DateField()
    # Sheets taken on the intake node travel in its bundles like petitions.
    intake_ref = models.CharField(max_length=36, null=True, blank=True, editable=False)  # noqa: DJ001 - null when absent, unique when present
    exported_in = models.CharField(max_length=36, blank=True, editable=False)

    class Meta:
        db_table = "petitions_surveyresponse"
        constraints = [
            models.UniqueConstraint(
                fields=["intake_ref"], condition=Q(intake_ref__isnull=False), name="survey_intake_ref_unique"
            )
        ]

    def __str__(self) -> str:
        return f"测评 {self.pk}"
