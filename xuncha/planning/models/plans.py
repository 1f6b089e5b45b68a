"""Coverage plans, annual plans with candidates, rounds, and their approval trail."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xuncha.core.models import BaseModel, Committee
from xuncha.planning.choices import ApprovalStatus, CandidateReason


class CoveragePlan(BaseModel):
    """巡察工作规划: one per committee term; every managed organisation is to be covered within it."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="coverage_plans")
    term = models.CharField("届次", max_length=40)
    start_date = models.DateField("任期开始")
    end_date = models.DateField("任期结束")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "巡察工作规划"
        verbose_name_plural = "巡察工作规划"
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "term"], name="coverage_plan_unique_term"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="coverage_plan_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.committee.short_name}{self.term}巡察工作规划"


class AnnualPlan(BaseModel):
    """年度巡察工作计划: the year's rounds and the candidate units chosen, with reasons."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="annual_plans")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=100)
    summary = models.TextField("工作安排", blank=True)
    planned_rounds = models.PositiveSmallIntegerField("计划轮次数", default=2)
    status = models.CharField("状态", max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.DRAFT)

    class Meta:
        verbose_name = "年度巡察工作计划"
        verbose_name_plural = "年度巡察工作计划"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["committee", "year"], name="annual_plan_unique_year")]

    def __str__(self) -> str:
        return self.title


class PlanCandidate(BaseModel):
    """A unit proposed for inspection in an annual plan, with the reasons it was chosen."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="candidates")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    inspection_type = models.CharField("拟巡察类型", max_length=30)
    reasons = models.JSONField("选取理由", default=list)
    note = models.CharField("补充说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "计划巡察对象"
        verbose_name_plural = "计划巡察对象"
        constraints = [models.UniqueConstraint(fields=["plan", "organization"], name="candidate_unique_org")]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(CandidateReason.choices)
        return [labels.get(r, r) for r in self.reasons]


class Round(BaseModel):
    """轮次 (e.g. 市委第二轮巡察): N teams × M units, one work scheme, filed with the upper office."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="rounds")
    annual_plan = models.ForeignKey(AnnualPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="rounds")
    year = models.PositiveSmallIntegerField("年度")
    seq_no = models.PositiveSmallIntegerField("轮次序号")
    name = models.CharField("轮次名称", max_length=100)
    framework = models.CharField("监督重点框架", max_length=40, default="three_focuses")
    focus = models.TextField("监督重点与工作要求", blank=True)
    start_date = models.DateField("计划开始")
    end_date = models.DateField("计划结束")
    status = models.CharField("审批状态", max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.DRAFT)
    filed_at = models.DateTimeField("报备时间", null=True, blank=True)
    filing_no = models.CharField("报备文号", max_length=60, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "巡察轮次"
        verbose_name_plural = "巡察轮次"
        ordering = ["-year", "-seq_no"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "seq_no"], name="round_unique_seq"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="round_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class ApprovalStep(BaseModel):
    """One recorded step of an approval (submit, approve, return) on a plan or a round."""

    annual_plan = models.ForeignKey(
        AnnualPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="approval_steps"
    )
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.CASCADE, related_name="approval_steps")
    action = models.CharField("操作", max_length=30)
    from_status = models.CharField(max_length=20, choices=ApprovalStatus.choices)
    to_status = models.CharField(max_length=20, choices=ApprovalStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opinion = models.TextField("意见", blank=True)
    decided_on = models.DateField("办理日期", null=True, blank=True)  # the meeting's date, not when it was typed in

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_plan__isnull=False, round__isnull=True)
                | Q(annual_plan__isnull=True, round__isnull=False),
                name="approval_step_one_subject",
            )
        ]
