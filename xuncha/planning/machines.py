"""The state machines of planning on the core transition engine: assignments, and plan/round approvals.

The transitions are data in `choices.py`; the content gates and the records each move leaves are here.
"""

from dataclasses import replace
from typing import Any

from xuncha.core.actors import Actor, account_of
from xuncha.core.transitions import Gate, Machine, Move
from xuncha.planning.choices import (
    APPROVAL_TRANSITIONS,
    ASSIGNMENT_TRANSITIONS,
    ApprovalStatus,
    Approver,
    AssignmentState,
    TeamRole,
)
from xuncha.planning.models import AnnualPlan, ApprovalStep, Assignment, AssignmentEvent, Round


def _person(actor: Actor) -> Any:
    return account_of(actor)


def _notice_ready(assignment: Assignment, move: Move) -> str | None:
    """The notice needs a team with an authorised leader (一次一授权) and every recusal declaration settled."""
    if assignment.team_id is None:
        return "尚未确定巡察组，不能印发巡察通知。"
    leader = assignment.team.members.filter(role=TeamRole.LEADER).first()  # type: ignore[union-attr]
    if leader is None:
        return "巡察组尚未确定组长，不能印发巡察通知。"
    if not assignment.authorizations.filter(person=leader.person).exists():
        return f"组长{leader.person.name}尚未获得本次巡察授权（一次一授权）。"
    if assignment.declarations.filter(result="pending").exists():
        return "还有回避申报未处理完毕。"
    return None


def _in_order(assignment: Assignment, move: Move) -> str | None:
    """Nothing is dated before the step it follows (the engine already refuses a date after today)."""
    last = AssignmentEvent.objects.filter(assignment=assignment).order_by("-effective_on", "-pk").first()
    if last is not None and move.on < last.effective_on:
        done = ASSIGNMENT_TRANSITIONS[last.transition].label if last.transition in ASSIGNMENT_TRANSITIONS else ""
        return f"“{move.transition.label}”的日期不能早于上一步“{done}”的日期（{last.effective_on:%Y年%m月%d日}）。"
    return None


# Steps with a date of their own on the assignment's calendar: done earlier only with a reason given.
EARLIEST = {
    "enter": ("planned_entry", "提前进驻"),
    "close_onsite": ("onsite_end", "提前结束进驻"),
}


def _not_before_its_time(assignment: Assignment, move: Move) -> str | None:
    field, what = EARLIEST[move.transition.code]
    planned = getattr(assignment, field)
    if planned is not None and move.on < planned and not move.reason:
        return f"计划日期为{planned:%Y年%m月%d日}，{what}须说明理由。"
    return None


ASSIGNMENT_GATES: dict[str, tuple[Gate, ...]] = {
    code: (
        _in_order,
        *((_not_before_its_time,) if code in EARLIEST else ()),
        *((_notice_ready,) if code == "notify" else ()),
    )
    for code in ASSIGNMENT_TRANSITIONS
}


def _record_assignment(assignment: Assignment, move: Move) -> None:
    AssignmentEvent.objects.create(
        assignment=assignment,
        transition=move.transition.code,
        from_state=move.source,
        to_state=move.target,
        effective_on=move.on,
        actor=_person(move.actor),
        reason=move.reason,
        created_by=_person(move.actor),
    )


ASSIGNMENT_MACHINE = Machine(
    name="planning.assignment",
    field_name="state",
    states=AssignmentState,
    transitions=[replace(t, gates=ASSIGNMENT_GATES.get(t.code, ())) for t in ASSIGNMENT_TRANSITIONS.values()],
    capacity_labels=dict(Approver.choices),
    describe=lambda a: f"“{a.organization.name}”",
    record=_record_assignment,
    audit_prefix="planning.assignment_",
)


def _round_has_assignments(subject: AnnualPlan | Round, move: Move) -> str | None:
    if isinstance(subject, Round) and not subject.assignments.exists():
        return "轮次方案尚未列入任何巡察任务，不能提交。"
    return None


def _record_approval(subject: AnnualPlan | Round, move: Move) -> None:
    ApprovalStep.objects.create(
        annual_plan=subject if isinstance(subject, AnnualPlan) else None,
        round=subject if isinstance(subject, Round) else None,
        action=move.transition.code,
        from_status=move.source,
        to_status=move.target,
        actor=_person(move.actor),
        opinion=move.reason,
        decided_on=move.on,
        created_by=_person(move.actor),
    )


APPROVAL_GATES: dict[str, tuple[Gate, ...]] = {"submit": (_round_has_assignments,)}

APPROVAL_MACHINE = Machine(
    name="planning.approval",
    field_name="status",
    states=ApprovalStatus,
    transitions=[replace(t, gates=APPROVAL_GATES.get(t.code, ())) for t in APPROVAL_TRANSITIONS.values()],
    capacity_labels=dict(Approver.choices),
    describe=lambda s: f"“{s}”",
    record=_record_approval,
    audit_prefix="planning.approval_",
)
