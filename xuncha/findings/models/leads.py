"""问题线索 (problem leads): registered by the team, decided, transferred under a 移交清单, handled by the receiver.

What a lead says and whom it names is sealed (purposes `lead_content`, `lead_subjects`, `lead_remarks`,
`lead_result`); everything in clear here is administrative: numbers, codes, dates, who and where.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from xuncha.core.models import BaseModel
from xuncha.core.sealed_fields import SealedField
from xuncha.findings.leads.choices import (
    Confidentiality,
    DecisionBody,
    Destination,
    Disposal,
    EscalationKind,
    LeadSource,
    LeadStatus,
)

__all__ = ["Lead", "LeadDecision", "LeadEscalation", "LeadTransfer"]


class LeadDecision(BaseModel):
    """One recorded decision on a batch of leads: the body (领导小组, 书记专题会, or 直查快办), its date and minutes."""

    committee = models.ForeignKey("core.Committee", on_delete=models.PROTECT, related_name="+")
    body = models.CharField("决定机构", max_length=20, choices=DecisionBody.choices)
    decided_on = models.DateField("决定日期")
    minutes_no = models.CharField("会议纪要或批件编号", max_length=60, blank=True)

    class Meta:
        verbose_name = "问题线索处置决定"
        verbose_name_plural = "问题线索处置决定"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.decided_on:%Y-%m-%d}"


class LeadTransfer(BaseModel):
    """One 移交: a letter (移交函) with its 移交清单 of leads and materials, to one receiving body.

    The receiver in the platform is a committee's discipline commission or organisation department
    (`receiver_committee` + `receiver_role`); a unit or a functional department is named in `receiver_name`
    and its signing is recorded by the office."""

    committee = models.ForeignKey("core.Committee", on_delete=models.PROTECT, related_name="+")
    destination = models.CharField("移交去向", max_length=20, choices=Destination.choices)
    receiver_committee = models.ForeignKey(
        "core.Committee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receiver_role = models.CharField("接收机构角色", max_length=30, blank=True)
    receiver_name = models.CharField("接收单位", max_length=100)
    letter_no = models.CharField("移交函文号", max_length=60)
    transferred_on = models.DateField("移交日期")
    sealed_materials = SealedField("问题线索·移交材料", purpose="lead_materials")
    signed_on = models.DateField("签收日期", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "问题线索移交"
        verbose_name_plural = "问题线索移交"
        ordering = ["-transferred_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["committee", "letter_no"], name="lead_transfer_letter_unique")]
        indexes = [models.Index(fields=["receiver_committee", "receiver_role"], name="lead_transfer_inbox")]

    def __str__(self) -> str:
        return f"移交函 {self.letter_no}"


class Lead(BaseModel):
    """One problem lead (问题线索) of an assignment, numbered per committee and year."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.PROTECT, related_name="leads")
    committee = models.ForeignKey("core.Committee", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    source = models.CharField("来源", max_length=20, choices=LeadSource.choices)
    petition = models.OneToOneField(
        "petitions.Petition", null=True, blank=True, on_delete=models.PROTECT, related_name="lead"
    )
    sealed_content = SealedField("问题线索·内容", purpose="lead_content")
    sealed_subjects = SealedField("问题线索·被反映人", purpose="lead_subjects")
    sealed_remarks = SealedField("问题线索·研究意见", purpose="lead_remarks", null=True)
    category = models.CharField("纪律分类", max_length=30, blank=True)
    confidentiality = models.CharField(
        "密级要求", max_length=10, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    about_own_discipline_leaders = models.BooleanField("涉及本级纪委监委领导班子成员", default=False)
    status = models.CharField("状态", max_length=20, choices=LeadStatus.choices, default=LeadStatus.REGISTERED)
    reviewed_on = models.DateField("组务会研究日期", null=True, blank=True)
    destination = models.CharField("处置建议", max_length=20, choices=Destination.choices, blank=True)
    receiver_name = models.CharField("接收单位", max_length=100, blank=True)
    fast_track = models.BooleanField("直查快办", default=False)
    decision = models.ForeignKey(LeadDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="leads")
    transfer = models.ForeignKey(LeadTransfer, null=True, blank=True, on_delete=models.PROTECT, related_name="leads")
    feedback_due = models.DateField("反馈时限", null=True, blank=True)
    disposal = models.CharField("处置方式", max_length=30, choices=Disposal.choices, blank=True)
    disposed_on = models.DateField("处置日期", null=True, blank=True)
    sealed_result = SealedField("问题线索·办理结果", purpose="lead_result", null=True)
    reported_on = models.DateField("反馈日期", null=True, blank=True)

    class Meta:
        verbose_name = "问题线索"
        verbose_name_plural = "问题线索"
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "seq"], name="lead_number_unique"),
            models.CheckConstraint(
                condition=Q(source="petition") | Q(petition__isnull=True), name="lead_petition_only_from_petition"
            ),
        ]
        indexes = [models.Index(fields=["committee", "status"], name="lead_committee_status")]

    def __str__(self) -> str:
        return f"问题线索 {self.number}"

    @property
    def number(self) -> str:
        """The committee's scheme: 长巡线〔2024〕3号 (the committee's first character, 巡 or 视, 线, year, number)."""
        short = self.committee.short_name[:1] if self.committee_id else ""
        act = "视" if self.committee_id and self.committee.activity_name == "巡视" else "巡"
        return f"{short}{act}线〔{self.year}〕{self.seq}号"


class LeadEscalation(BaseModel):
    """督办: the office pressing a receiver whose report back is overdue (an action recorded, with its date)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="escalations")
    kind = models.CharField("督办方式", max_length=20, choices=EscalationKind.choices)
    escalated_on = models.DateField("督办日期")
    due_then = models.DateField("督办时的反馈时限")

    class Meta:
        verbose_name = "问题线索督办"
        verbose_name_plural = "问题线索督办"
        ordering = ["-escalated_on", "-id"]

    def __str__(self) -> str:
        return f"督办 {self.escalated_on:%Y-%m-%d}"
