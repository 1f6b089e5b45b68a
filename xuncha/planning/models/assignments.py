"""Assignments (one team × one organisation) and their lifecycle history."""

from django.conf import settings
from django.db import models

from xuncha.core.models import BaseModel
from xuncha.planning.choices import ASSIGNMENT_TRANSITIONS, AssignmentState
from xuncha.planning.models.plans import Round


class Assignment(BaseModel):
    """巡察任务: one team inspecting one organisation (plus any extended units) within a round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assignments")
    team = models.ForeignKey(
        "planning.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="assignments")
    extra_orgs = models.ManyToManyField("orgs.Organization", blank=True, related_name="+", verbose_name="延伸单位")
    inspection_type = models.CharField("巡察类型", max_length=30)
    flags = models.JSONField("巡察方式", default=list, blank=True)
    state = models.CharField("状态", max_length=30, choices=AssignmentState.choices, default=AssignmentState.PLANNED)
    # Inputs of the calendar.
    planned_entry = models.DateField("计划进驻日期")
    planned_end = models.DateField("方案确定的结束日期", null=True, blank=True)
    # Computed from configuration on the working-day calendar (schedule.py); recomputed on change.
    notice_due = models.DateField("巡察通知印发日期")
    onsite_end = models.DateField("进驻结束日期")
    petition_cutoff = models.DateField("信访受理截止日期")
    report_due = models.DateField("向书记专题会汇报时限")
    feedback_due = models.DateField("反馈时限")
    rect_plan_due = models.DateField("整改方案报送时限")
    rect_report_due = models.DateField("整改情况报告时限")
    # What actually happened (set by the transitions).
    notice_sent_on = models.DateField("实际通知日期", null=True, blank=True)
    entered_on = models.DateField("实际进驻日期", null=True, blank=True)
    onsite_closed_on = models.DateField("实际撤离日期", null=True, blank=True)
    feedback_on = models.DateField("实际反馈日期", null=True, blank=True)
    linked_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_assignments",
        verbose_name="联动的上级巡视任务",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "巡察任务"
        verbose_name_plural = "巡察任务"
        ordering = ["planned_entry", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="assignment_unique_org_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round.name}·{self.organization.name}"


class AssignmentEvent(BaseModel):
    """One performed transition: who, when, why, from which state to which."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField("操作", max_length=40)
    from_state = models.CharField(max_length=30, choices=AssignmentState.choices)
    to_state = models.CharField(max_length=30, choices=AssignmentState.choices)
    effective_on = models.DateField("发生日期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "任务进程记录"
        verbose_name_plural = "任务进程记录"
        ordering = ["created_at", "id"]

    @property
    def transition_label(self) -> str:
        """The step as the progress log names it (召开进驻动员会, not "enter")."""
        found = ASSIGNMENT_TRANSITIONS.get(self.transition)
        return found.label if found else self.transition
