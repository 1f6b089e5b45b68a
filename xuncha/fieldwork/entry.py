"""The entry meetings (进驻): the 见面沟通会 of the team leader with the unit's top leader, and the 进驻动员会
with its attendance list generated from the rosters (who also takes the 民主测评)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.fieldwork.choices import MeetingKind
from xuncha.fieldwork.models import EntryMeeting, MeetingAttendee
from xuncha.fieldwork.permissions import onsite_write_check
from xuncha.fieldwork.rosters import mobilization_attendees
from xuncha.planning.choices import AssignmentState
from xuncha.planning.models import Assignment

# The meetings are held at the entry: recorded from the notice until the team leaves.
MEETING_STATES = frozenset({AssignmentState.NOTIFIED, AssignmentState.ENTERED, AssignmentState.ON_SITE})


def _lock(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round__committee", "organization")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def meeting_save(
    *,
    actor: Actor,
    assignment: Assignment,
    kind: str,
    held_on: date,
    chair: str,
    place: str = "",
    speakers: str = "",
    note: str = "",
) -> EntryMeeting:
    """Record (or correct) the 见面沟通会 or the 进驻动员会 of an assignment."""
    onsite_write_check(actor, assignment, leader=True)
    assignment = _lock(assignment)
    if assignment.state not in MEETING_STATES:
        raise ValidationError(f"巡察任务{assignment.get_state_display()}，不能再登记进驻会议。")
    if kind not in MeetingKind.values:
        raise ValidationError("请选择会议类别。")
    if not chair.strip():
        raise ValidationError("请填写主持人。")
    meeting, created = EntryMeeting.objects.update_or_create(
        assignment=assignment,
        kind=kind,
        defaults={
            "held_on": held_on,
            "chair": chair.strip(),
            "place": place.strip(),
            "speakers": speakers.strip(),
            "note": note.strip(),
        },
        create_defaults={
            "held_on": held_on,
            "chair": chair.strip(),
            "place": place.strip(),
            "speakers": speakers.strip(),
            "note": note.strip(),
            "created_by": account_of(actor),
        },
    )
    audit_record(
        action="fieldwork.meeting_save",
        actor=actor,
        target=meeting,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：{'登记' if created else '修改'}{meeting.get_kind_display()}",
    )
    return meeting


@transaction.atomic
def attendance_generate(*, actor: Actor, meeting: EntryMeeting) -> list[MeetingAttendee]:
    """The 动员会 attendance list from the rosters as they stand on the meeting's day (replacing any earlier
    list): leadership members, next-level heads, recently retired leaders, discipline and personnel heads."""
    onsite_write_check(actor, meeting.assignment, leader=True)
    meeting = (
        EntryMeeting.objects.select_for_update(of=("self",))
        .select_related("assignment__organization")
        .get(pk=meeting.pk)
    )
    if meeting.kind != MeetingKind.MOBILIZATION:
        raise ValidationError("参会名单只为进驻动员会生成。")
    if meeting.assignment.state not in MEETING_STATES:
        raise ValidationError(f"巡察任务{meeting.assignment.get_state_display()}，不能再生成参会名单。")
    meeting.attendees.all().delete()
    rows = [
        MeetingAttendee(
            meeting=meeting,
            person=entry.position.person,
            organization=entry.position.organization,
            title=entry.position.title,
            group=entry.reason,
        )
        for entry in mobilization_attendees(meeting.assignment, meeting.held_on)
    ]
    MeetingAttendee.objects.bulk_create(rows)
    audit_record(
        action="fieldwork.attendance_generate",
        actor=actor,
        target=meeting,
        committee_id=meeting.assignment.round.committee_id,
        summary=f"{meeting.assignment.organization.name}：动员会参会名单{len(rows)}人",
    )
    return rows
