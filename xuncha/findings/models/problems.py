"""问题底稿 (one problem, one working paper) and 立行立改 (the immediate fix of a problem during the inspection)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from xuncha.core.models import BaseModel

__all__ = [
    "FixStatus", "ImmediateFix", "Problem", "ProblemResponsibility", "ProblemStatus", "ProblemTrack",
    "ResponsibilityKind", "Severity",
]  # fmt: skip


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class ProblemTrack(models.TextChoices):
    REPORT = "report", "纳入巡察报告"
    IMMEDIATE = "immediate", "立行立改"


class ProblemStatus(models.TextChoices):
    """The working paper's review: author → 组务会 → 组长签字 → 巡察办审核 (domain.md §4.5)."""

    DRAFT = "draft", "起草"
    GROUP_REVIEWED = "group_reviewed", "组务会已审核"
    SIGNED = "signed", "组长已签字"
    APPROVED = "approved", "巡察办审核通过"
    RETURNED = "returned", "退回修改"


class ResponsibilityKind(models.TextChoices):
    SUBJECT = "subject", "主体责任"
    FIRST = "first", "第一责任人责任"
    MAIN_LEADERSHIP = "main_leadership", "主要领导责任"
    DIRECT = "direct", "直接责任"
    SUPERVISORY = "supervisory", "监督责任"


class Problem(BaseModel):
    """One problem found on an assignment: 现象 → 定性 → 责任指向, categorised under the round's framework."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.PROTECT, related_name="problems")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("编号", max_length=60, unique=True)
    title = models.CharField("问题标题", max_length=200)
    phenomenon = models.TextField("问题表现", blank=True)  # time, place, people, event, amount
    qualification = models.TextField("定性依据", blank=True)
    responsibility_text = models.TextField("责任指向", blank=True)
    category = models.CharField("问题类别", max_length=60)  # a code of the round's framework table
    sub_tags = models.JSONField("子标签", default=list, blank=True)
    discipline = models.CharField("纪律分类", max_length=40, blank=True)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    is_common = models.BooleanField("共性问题", default=False)
    systemic_dept = models.ForeignKey(
        "orgs.Organization",
        verbose_name="移交职能部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="systemic_problems",
    )
    track = models.CharField("办理方式", max_length=10, choices=ProblemTrack.choices, default=ProblemTrack.REPORT)
    status = models.CharField("审核状态", max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.DRAFT)
    evidence = models.TextField("佐证材料清单", blank=True)
    source_methods = models.JSONField("发现方式", default=list, blank=True)
    petition = models.ForeignKey(
        "petitions.Petition", null=True, blank=True, on_delete=models.PROTECT, related_name="problems"
    )
    discovered_on = models.DateField("发现时间")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "问题底稿"
        verbose_name_plural = "问题底稿"
        ordering = ["assignment", "seq"]
        constraints = [models.UniqueConstraint(fields=["assignment", "seq"], name="problem_unique_seq")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ProblemResponsibility(BaseModel):
    """A preliminary responsibility: a person of the roster (or a unit) and the kind of responsibility."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="responsibilities")
    person = models.ForeignKey("orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("责任类型", max_length=20, choices=ResponsibilityKind.choices)

    class Meta:
        verbose_name = "责任主体"
        verbose_name_plural = "责任主体"
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False), name="responsibility_has_subject"
            )
        ]


class FixStatus(models.TextChoices):
    ISSUED = "issued", "已下发通知书"
    SIGNED = "signed", "被巡察单位已签收"
    REPORTED = "reported", "被巡察单位已报告整改"
    VERIFIED = "verified", "巡察组已核实"


class ImmediateFix(BaseModel):
    """立行立改通知书 of a problem: signed for by the unit's top leader, fixed within the on-site period,
    reported with evidence, verified by the team; it is counted apart and still goes into formal rectification."""

    problem = models.OneToOneField(Problem, on_delete=models.PROTECT, related_name="immediate_fix")
    notice_no = models.CharField("通知书编号", max_length=60, unique=True)
    issued_on = models.DateField("下发日期")
    due_on = models.DateField("完成时限")
    requirement = models.TextField("整改要求")
    status = models.CharField("状态", max_length=12, choices=FixStatus.choices, default=FixStatus.ISSUED)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    report = models.TextField("整改情况报告", blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    verification = models.TextField("核实意见", blank=True)
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)

    class Meta:
        verbose_name = "立行立改"
        verbose_name_plural = "立行立改"

    def __str__(self) -> str:
        return self.notice_no
