"""The status machines of on-site work on the core transition engine, and the gate on leaving the site.

Leaving the site (the assignment's `close_onsite`) requires the 必谈 interviews settled: once the rosters
name anyone to interview, the 必谈 list must have been generated, and each person on it interviewed (a
record) or waived by the team leader with a reason. A unit whose rosters name nobody (nothing to
interview) passes; a system actor passes only on the same content (docs/adr/0023-onsite-interview-gate.md)."""

from xuncha.core.transitions import Machine, Move
from xuncha.fieldwork.choices import (
    CAPACITY_LABELS,
    DOCUMENT_TRANSITIONS,
    INTERVIEW_TRANSITIONS,
    URGENT_TRANSITIONS,
    DocumentRequestStatus,
    InterviewKind,
    InterviewStatus,
    UrgentStatus,
)
from xuncha.fieldwork.models import InterviewSubject
from xuncha.fieldwork.rosters import must_interview
from xuncha.planning.models import Assignment

INTERVIEW_MACHINE = Machine(
    name="fieldwork.interview",
    field_name="status",
    states=InterviewStatus,
    transitions=INTERVIEW_TRANSITIONS,
    capacity_labels=CAPACITY_LABELS,
    describe=lambda s: f"谈话对象“{s.name}”",
    audit_prefix="fieldwork.interview_",
)

DOCUMENT_MACHINE = Machine(
    name="fieldwork.document_request",
    field_name="status",
    states=DocumentRequestStatus,
    transitions=DOCUMENT_TRANSITIONS,
    capacity_labels=CAPACITY_LABELS,
    describe=lambda r: f"调阅清单第{r.number}号",
    audit_prefix="fieldwork.document_",
)

URGENT_MACHINE = Machine(
    name="fieldwork.urgent_report",
    field_name="status",
    states=UrgentStatus,
    transitions=URGENT_TRANSITIONS,
    capacity_labels=CAPACITY_LABELS,
    describe=lambda r: "请示报告",
    audit_prefix="fieldwork.urgent_",
    reasons_in_clear=False,
)


def required_interviews_settled(assignment: Assignment, move: Move) -> str | None:
    """The gate on `close_onsite`: the 必谈 interviews recorded or waived with a reason (see the module)."""
    required = InterviewSubject.objects.filter(assignment=assignment, kind=InterviewKind.REQUIRED)
    if not required.exists():
        if must_interview(assignment, move.on):
            return "尚未生成必谈名单，不能结束进驻：请在现场工作页面生成必谈名单并完成谈话。"
        return None
    pending = list(required.filter(status=InterviewStatus.PLANNED).values_list("name", flat=True)[:6])
    if pending:
        count = required.filter(status=InterviewStatus.PLANNED).count()
        names = "、".join(pending[:5]) + ("等" if count > 5 else "")
        return f"还有{count}名必谈对象（{names}）尚未谈话，须录入谈话记录，或由组长说明理由后不再谈话，方可结束进驻。"
    return None
