"""个别谈话: the 必谈 list generated from the rosters, 选谈 added by the team, and the sealed records (at least
two inspectors of the team present, one of them recording; the interviewee's check and signature recorded)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.transitions import transition_perform
from xuncha.fieldwork.choices import InterviewBasis, InterviewKind, InterviewStatus
from xuncha.fieldwork.machines import INTERVIEW_MACHINE
from xuncha.fieldwork.models import InterviewRecord, InterviewSubject
from xuncha.fieldwork.permissions import ONSITE_STATES, onsite_read_check, onsite_write_check, team_capacities_on
from xuncha.fieldwork.rosters import must_interview
from xuncha.orgs.models import Person
from xuncha.planning.models import Assignment, TeamMember

MIN_INTERVIEWERS = 2


def lock_on_site(assignment: Assignment, what: str) -> Assignment:
    """The assignment locked for a write, refused (in Chinese) outside the entry and on-site stages."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round__committee", "organization")
        .get(pk=assignment.pk)
    )
    if assignment.state not in ONSITE_STATES:
        raise ValidationError(f"巡察任务{assignment.get_state_display()}，不能再{what}。")
    return assignment


@transaction.atomic
def interview_list_generate(*, actor: Actor, assignment: Assignment, on: date) -> list[InterviewSubject]:
    """The 必谈 list from the rosters on `on`: people already listed keep their entry (and its record),
    people newly on the rosters are added; returns the entries added."""
    onsite_write_check(actor, assignment, leader=True)
    assignment = lock_on_site(assignment, "生成必谈名单")
    listed = set(InterviewSubject.objects.filter(assignment=assignment).values_list("person_id", flat=True))
    added = []
    for entry in must_interview(assignment, on):
        person = entry.position.person
        if person.pk in listed:
            continue
        added.append(
            InterviewSubject.objects.create(
                assignment=assignment,
                person=person,
                name=person.name,
                title=f"{entry.position.organization.name}{entry.position.title}",
                kind=InterviewKind.REQUIRED,
                basis=entry.reason,
                created_by=account_of(actor),
            )
        )
    audit_record(
        action="fieldwork.interview_list_generate",
        actor=actor,
        target=assignment,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：必谈名单新增{len(added)}人",
    )
    return added


@transaction.atomic
def interview_subject_add(
    *, actor: Actor, assignment: Assignment, name: str, title: str, person: Person | None = None
) -> InterviewSubject:
    """Add a 选谈 interviewee (middle managers, key posts, staff, even suppliers) chosen by the team."""
    onsite_write_check(actor, assignment)
    assignment = lock_on_site(assignment, "增加谈话对象")
    name = (person.name if person else name).strip()
    if not name or not title.strip():
        raise ValidationError("请填写谈话对象的姓名和单位职务。")
    if person is not None and InterviewSubject.objects.filter(assignment=assignment, person=person).exists():
        raise ValidationError(f"{name}已在谈话名单中。")
    subject = InterviewSubject.objects.create(
        assignment=assignment,
        person=person,
        name=name,
        title=title.strip(),
        kind=InterviewKind.OPTIONAL,
        basis=InterviewBasis.CHOSEN,
        created_by=account_of(actor),
    )
    audit_record(
        action="fieldwork.interview_subject_add",
        actor=actor,
        target=subject,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：选谈{name}",
    )
    return subject


def roster_ids(assignment: Assignment) -> set[int]:
    """The persons on the roster of the assignment's team."""
    return set(TeamMember.objects.filter(team__assignments=assignment).values_list("person_id", flat=True))


@transaction.atomic
def interview_record(
    *,
    actor: Actor,
    subject: InterviewSubject,
    held_on: date,
    interviewers: list[Person],
    recorder: Person,
    text: str,
    confirmed: bool,
    place: str = "",
) -> InterviewRecord:
    """Record one interview: two or more inspectors of the team present, the recorder among them, the
    text sealed, whether the interviewee checked and signed it."""
    onsite_write_check(actor, subject.assignment)
    assignment = lock_on_site(subject.assignment, "录入谈话记录")
    subject = InterviewSubject.objects.select_for_update().get(pk=subject.pk)
    people = {p.pk: p for p in interviewers}
    if len(people) < MIN_INTERVIEWERS:
        raise ValidationError("个别谈话须有两名以上巡察人员在场。")
    if set(people) - roster_ids(assignment):
        raise ValidationError("谈话人须为本组巡察人员。")
    if recorder.pk not in people:
        raise ValidationError("记录人须为在场的谈话人之一。")
    if not text.strip():
        raise ValidationError("请填写谈话记录。")
    if held_on < (assignment.entered_on or held_on) or held_on > timezone.localdate():
        raise ValidationError("谈话日期须在进驻之后、不晚于今天。")
    if subject.status == InterviewStatus.WAIVED:
        raise ValidationError(f"{subject.name}已确定不再谈话；如需谈话，请组长先恢复谈话安排。")
    record = InterviewRecord(
        subject=subject,
        held_on=held_on,
        place=place.strip(),
        recorder=recorder,
        sealed_record=text.strip(),
        confirmed=confirmed,
        created_by=account_of(actor),
    )
    record.save()
    record.interviewers.set(people.values())
    if subject.status == InterviewStatus.PLANNED:
        transition_perform(
            INTERVIEW_MACHINE,
            subject,
            "record",
            actor=actor,
            capacities=team_capacities_on(actor, assignment),
            on=held_on,
            committee_id=assignment.round.committee_id,
            summary=f"{assignment.organization.name}：与{subject.name}谈话",
        )
    else:
        audit_record(
            action="fieldwork.interview_record",
            actor=actor,
            target=record,
            committee_id=assignment.round.committee_id,
            summary=f"{assignment.organization.name}：与{subject.name}再次谈话",
        )
    return record


@transaction.atomic
def interview_waive(*, actor: Actor, subject: InterviewSubject, reason: str) -> InterviewSubject:
    """The team leader decides a listed person is not interviewed (absent, recused, ill…), with a reason."""
    onsite_write_check(actor, subject.assignment, leader=True)
    assignment = lock_on_site(subject.assignment, "调整谈话安排")
    subject = InterviewSubject.objects.select_for_update().get(pk=subject.pk)
    subject.waiver_reason = reason.strip()[:300]
    transition_perform(
        INTERVIEW_MACHINE,
        subject,
        "waive",
        actor=actor,
        capacities=team_capacities_on(actor, assignment),
        reason=reason,
        update_fields=["waiver_reason"],
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：{subject.name}不再谈话",
    )
    return subject


@transaction.atomic
def interview_reinstate(*, actor: Actor, subject: InterviewSubject, reason: str) -> InterviewSubject:
    """Put a waived interview back on the plan."""
    onsite_write_check(actor, subject.assignment, leader=True)
    assignment = lock_on_site(subject.assignment, "调整谈话安排")
    subject = InterviewSubject.objects.select_for_update().get(pk=subject.pk)
    subject.waiver_reason = ""
    transition_perform(
        INTERVIEW_MACHINE,
        subject,
        "reinstate",
        actor=actor,
        capacities=team_capacities_on(actor, assignment),
        reason=reason,
        update_fields=["waiver_reason"],
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：恢复与{subject.name}谈话",
    )
    return subject


@transaction.atomic
def interview_record_open(*, actor: Actor, record: InterviewRecord) -> str:
    """The text of an interview record, to the team or the office's archive, audited as it is opened."""
    assignment = record.subject.assignment
    onsite_read_check(actor, assignment)
    audit_record(
        action="fieldwork.interview_open",
        actor=actor,
        target=record,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：查阅{record.subject.name}谈话记录",
    )
    return str(InterviewRecord.objects.get(pk=record.pk).sealed_record.open())
