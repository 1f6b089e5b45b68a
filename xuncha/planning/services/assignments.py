"""Assignments: create, move through the lifecycle (transitions as data), authorise the leaders."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_items
from xuncha.core.transitions import transition_perform
from xuncha.orgs.models import Organization
from xuncha.planning.choices import ApprovalStatus, AssignmentState, TeamRole
from xuncha.planning.machines import ASSIGNMENT_MACHINE
from xuncha.planning.models import Assignment, Authorization, Round, Team
from xuncha.planning.permissions import acts_as, manage_check
from xuncha.planning.schedule import apply_calendar
from xuncha.planning.services.plans import inspection_type_codes

# A round's list of assignments changes only while its scheme is being drafted or was sent back.
ROUND_EDITABLE = frozenset({ApprovalStatus.DRAFT, ApprovalStatus.RETURNED})
# 一次一授权 is given before and during the on-site stage (a member joining late is authorised then).
AUTHORIZABLE = frozenset(
    {AssignmentState.PLANNED, AssignmentState.PREPARING, AssignmentState.NOTIFIED, AssignmentState.ENTERED,
     AssignmentState.ON_SITE}
)  # fmt: skip

# Which actual date each transition records.
ACTUAL_DATES = {
    "notify": "notice_sent_on",
    "enter": "entered_on",
    "close_onsite": "onsite_closed_on",
    "feedback": "feedback_on",
}


@transaction.atomic
def assignment_create(
    *,
    actor: Actor,
    round_: Round,
    organization: Organization,
    inspection_type: str,
    planned_entry: date,
    flags: list[str] | None = None,
    planned_end: date | None = None,
    team: Team | None = None,
    extra_orgs: list[Organization] | None = None,
    linked_to: Assignment | None = None,
    note: str = "",
) -> Assignment:
    """Put one organisation into a round, with its type, flags and computed calendar."""
    manage_check(actor, round_.committee_id, "只有本级巡察办可以调整轮次任务。")
    if round_.status not in ROUND_EDITABLE:
        raise ValidationError(
            f"轮次方案{round_.get_status_display()}，不能再列入巡察任务；如需调整，请在方案退回修改后进行。"
        )
    flags = sorted(set(flags or []))
    if inspection_type not in inspection_type_codes():
        raise ValidationError("请选择有效的巡察类型。")
    unknown = set(flags) - set(code_items("inspection_flags").values_list("code", flat=True))
    if unknown:
        raise ValidationError(f"未知的巡察方式：{'、'.join(sorted(unknown))}。")
    if not organization.managed_by.path.startswith(round_.committee.path):
        raise ValidationError(f"{organization.name}不在{round_.committee.short_name}的巡察范围内。")
    if planned_end is not None and planned_end <= planned_entry:
        raise ValidationError("结束日期必须晚于进驻日期。")
    if team is not None and team.round_id != round_.pk:
        raise ValidationError("巡察组不属于该轮次。")
    if Assignment.objects.filter(round=round_, organization=organization).exists():
        raise ValidationError(f"{organization.name}已在本轮巡察任务中。")
    if linked_to is not None and "linked" not in flags:
        raise ValidationError("与上级巡视联动的任务须标记为“联动巡察”。")
    assignment = Assignment(
        round=round_,
        linked_to=linked_to,
        organization=organization,
        inspection_type=inspection_type,
        flags=flags,
        planned_entry=planned_entry,
        planned_end=planned_end,
        team=team,
        note=note,
        created_by=account_of(actor),
    )
    apply_calendar(assignment)
    assignment.save()
    if extra_orgs:
        assignment.extra_orgs.set(extra_orgs)
    audit_record(
        action="planning.assignment_create",
        actor=actor,
        target=assignment,
        committee_id=round_.committee_id,
        summary=f"{round_.name}：列入{organization.name}",
    )
    return assignment


@transaction.atomic
def assignment_transition(
    *, actor: Actor, assignment: Assignment, code: str, reason: str = "", effective_on: date | None = None
) -> Assignment:
    """Perform one lifecycle transition on the engine; an illegal one is refused with the reason in Chinese."""
    transition = ASSIGNMENT_MACHINE.get(code)
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round__committee", "team", "organization")
        .get(pk=assignment.pk)
    )
    on = effective_on or timezone.localdate()
    fields: list[str] = []
    if code in ACTUAL_DATES and assignment.state in transition.sources:
        setattr(assignment, ACTUAL_DATES[code], on)
        fields = [ACTUAL_DATES[code], *apply_calendar(assignment)]
    transition_perform(
        ASSIGNMENT_MACHINE,
        assignment,
        code,
        actor=actor,
        capacities=acts_as(actor, assignment.round.committee_id, assignment),
        reason=reason,
        on=on,
        update_fields=fields,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：{transition.label}",
    )
    return assignment


@transaction.atomic
def assignment_set_team(*, actor: Actor, assignment: Assignment, team: Team | None) -> Assignment:
    """Give an assignment to a team of the same round (before the notice goes out)."""
    manage_check(actor, assignment.round.committee_id, "只有本级巡察办可以调整轮次任务。")
    if assignment.state not in {AssignmentState.PLANNED, AssignmentState.PREPARING}:
        raise ValidationError("巡察通知印发后不能更换巡察组。")
    if team is not None and team.round_id != assignment.round_id:
        raise ValidationError("巡察组不属于该轮次。")
    if team != assignment.team:
        # An authorisation is for this assignment's team: another team is authorised anew.
        assignment.authorizations.all().delete()
    assignment.team = team
    assignment.save(update_fields=["team", "updated_at"])
    audit_record(
        action="planning.assignment_team",
        actor=actor,
        target=assignment,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：由{team or '（未定）'}承担",
    )
    return assignment


@transaction.atomic
def assignment_authorize(
    *, actor: Actor, assignment: Assignment, doc_no: str, on: date | None = None
) -> list[Authorization]:
    """一次一授权: authorise the team for this assignment — the leader and deputies by name, and every other
    member of the roster, since a team capacity (petitions, reveals) needs the member's own authorisation
    for the assignment (ADR 0014). Someone put on the team later is authorised by running this again."""
    manage_check(actor, assignment.round.committee_id, "只有本级巡察办可以办理授权。")
    if assignment.state not in AUTHORIZABLE:
        raise ValidationError(f"巡察任务{assignment.get_state_display()}，不再办理授权。")
    if not doc_no.strip():
        raise ValidationError("请填写授权文号。")
    if assignment.team is None:
        raise ValidationError("尚未确定巡察组。")
    roster = list(assignment.team.members.select_related("person"))
    leaders = [m for m in roster if m.role in {TeamRole.LEADER, TeamRole.DEPUTY}]
    if not any(m.role == TeamRole.LEADER for m in leaders):
        raise ValidationError("巡察组尚未确定组长。")
    day = on or timezone.localdate()
    created = []
    for member in roster:
        auth, _ = Authorization.objects.update_or_create(
            assignment=assignment,
            person=member.person,
            defaults={
                "role": member.role,
                "doc_no": doc_no.strip(),
                "authorized_on": day,
                "authorized_by": account_of(actor),
            },
        )
        created.append(auth)
    audit_record(
        action="planning.assignment_authorize",
        actor=actor,
        target=assignment,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：授权{'、'.join(m.person.name for m in leaders)}"
        f"及组员{len(roster) - len(leaders)}人（{doc_no.strip()}）",
    )
    return created
