"""Home-page items of planning: what is waiting on this user."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from xuncha.core.roles import OFFICE_ROLES, Role
from xuncha.core.todo import Todo
from xuncha.planning.choices import ApprovalStatus, AssignmentState
from xuncha.planning.models import Assignment, Round
from xuncha.planning.permissions import own_committee_ids


def planning_todos(user: Any) -> list[Todo]:
    """Approvals waiting on the leading group or the committee; notices due soon for the office."""
    items = []
    for role, status, label in [
        (Role.LEADING_GROUP, ApprovalStatus.SUBMITTED, "待领导小组审议"),
        (Role.COMMITTEE_MEMBER, ApprovalStatus.GROUP_APPROVED, "待常委会审定"),
    ]:
        ids = own_committee_ids(user, frozenset({role}))
        for round_ in Round.objects.filter(committee_id__in=ids, status=status):
            items.append(
                Todo(f"{round_.name}工作方案{label}", "", reverse("planning:round_detail", args=[round_.pk]), "info")
            )
    office = own_committee_ids(user, OFFICE_ROLES)
    if office:
        today = timezone.localdate()
        due = Assignment.objects.filter(
            round__committee_id__in=office,
            state__in=[AssignmentState.PLANNED, AssignmentState.PREPARING],
            notice_due__lte=today + timedelta(days=7),
        ).count()
        if due:
            items.append(
                Todo(
                    f"{due} 项巡察任务的巡察通知应在 7 日内（或已逾期）印发",
                    "通知印发前须确定巡察组、办理组长授权并处理完回避申报。",
                    reverse("planning:assignment_list") + "?state=preparing",
                    "warning",
                )
            )
    return items
