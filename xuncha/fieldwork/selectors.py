"""What the entry and on-site pages may show: the assignment to publish for, the announcement to read, the
links; the on-site records of an assignment to its team and (read-only) to the managing office."""

import time
from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from xuncha.core.roles import OFFICE_ROLES
from xuncha.fieldwork.choices import InterviewKind, InterviewStatus, MeetingKind
from xuncha.fieldwork.models import (
    Announcement,
    DocumentRequest,
    EntryMeeting,
    InterviewRecord,
    InterviewSubject,
    UrgentReport,
    WeeklyReport,
    WorkActivity,
)
from xuncha.fieldwork.permissions import (
    ONSITE_STATES,
    may_answer_urgent,
    may_read,
    may_read_onsite,
    publish_check,
)
from xuncha.planning.choices import ORDER, AssignmentState, TeamRole
from xuncha.planning.models import Assignment, TeamMember
from xuncha.planning.permissions import (
    assignments_visible,
    is_team_leader,
    is_team_member,
    own_committee_ids,
    team_assignment_ids,
    team_capacities,
)

# From the notice until the team leaves: when an announcement is drafted, published and used.
ANNOUNCED_STATES = (
    AssignmentState.NOTIFIED,
    AssignmentState.ENTERED,
    AssignmentState.ON_SITE,
    AssignmentState.ON_SITE_CLOSED,
)


def assignment_to_publish(user: Any, pk: int) -> Assignment | None:
    """The assignment whose 公告 `user` edits: None when it is out of sight (a 404), a refusal in Chinese
    when it is in sight but not theirs to publish (a team member, say)."""
    assignment = (
        assignments_visible(user).select_related("round__committee", "organization", "team").filter(pk=pk).first()
    )
    if assignment is not None:
        publish_check(user, assignment)
    return assignment


def announcement_readable(user: Any, assignment_pk: int) -> Announcement | None:
    """The published announcement of an assignment, to the managing office and the team; otherwise None."""
    announcement = (
        Announcement.objects.filter(assignment__in=assignments_visible(user), assignment_id=assignment_pk)
        .select_related("assignment__round__committee", "assignment__organization")
        .first()
    )
    return announcement if announcement is not None and may_read(user, announcement.assignment) else None


def announcement_links(user: Any) -> list[Assignment]:
    """Assignments whose announcement page this user may open: the office's current ones, the leader's own."""
    managed = Q(round__committee_id__in=own_committee_ids(user, OFFICE_ROLES), state__in=ANNOUNCED_STATES)
    led_ids = [
        assignment_id
        for assignment_id, persons in team_capacities(user).items()
        if Assignment.objects.filter(
            pk=assignment_id, team__members__person_id__in=persons, team__members__role=TeamRole.LEADER
        ).exists()
    ]
    found = assignments_visible(user).filter(managed | Q(pk__in=led_ids)).select_related("organization")
    return list(found.order_by("planned_entry", "pk"))


# Announcements are read on every public request and change rarely: each process keeps them briefly.
_CACHE: dict[str, tuple[float, Announcement | None]] = {}
CACHE_SECONDS = 30.0


def announcement_by_token(token: str) -> Announcement | None:
    """The announcement behind a public link (cached per process for CACHE_SECONDS), or None."""
    now = time.monotonic()
    hit = _CACHE.get(token)
    if hit is None or hit[0] < now:
        found = (
            Announcement.objects.select_related("assignment__organization", "assignment__round__committee")
            .filter(token=token)
            .first()
        )
        if len(_CACHE) > 1000:
            _CACHE.clear()
        hit = _CACHE[token] = (now + CACHE_SECONDS, found)
    return hit[1]


# On-site records: the team's workspace and the office's archive of them (fieldwork.permissions.may_read_onsite).
ONSITE_AND_AFTER = ORDER[ORDER.index(AssignmentState.ENTERED) :]


def onsite_assignments(user: Any) -> QuerySet[Assignment]:
    """Assignments whose on-site records `user` reads: the team's own, the office's committee's (entered or later)."""
    managed = Q(round__committee_id__in=own_committee_ids(user, OFFICE_ROLES))
    condition = (managed | Q(pk__in=team_assignment_ids(user))) & Q(state__in=ONSITE_AND_AFTER)
    return Assignment.objects.filter(condition).select_related("organization", "team", "round")


def onsite_assignment(user: Any, pk: int) -> Assignment | None:
    """One assignment's on-site records to read, or None (a 404) when they are not this user's to read."""
    assignment = onsite_assignments(user).select_related("round__committee").filter(pk=pk).first()
    return assignment if assignment is not None and may_read_onsite(user, assignment) else None


def onsite_record_get[M: Model](user: Any, model: type[M], pk: int, assignment_path: str = "assignment") -> M | None:
    """One on-site record whose assignment `user` reads, else None."""
    return model._default_manager.filter(pk=pk, **{f"{assignment_path}__in": onsite_assignments(user)}).first()


def workspace(user: Any, assignment: Assignment) -> dict[str, Any]:
    """What the on-site page shows (no sealed text: records are opened one by one, audited)."""
    from xuncha.fieldwork.weekly import week_of, weekly_counts, weekly_due

    today = timezone.localdate()
    meetings = {m.kind: m for m in EntryMeeting.objects.filter(assignment=assignment).prefetch_related("attendees")}
    subjects = list(
        InterviewSubject.objects.filter(assignment=assignment)
        .annotate(record_count=Count("records"))
        .order_by("kind", "pk")
    )
    required = [s for s in subjects if s.kind == InterviewKind.REQUIRED]
    week = week_of(today)
    return {
        "assignment": assignment,
        "pre_meeting": meetings.get(MeetingKind.PRE_MEETING),
        "mobilization": meetings.get(MeetingKind.MOBILIZATION),
        "subjects": subjects,
        "required_total": len(required),
        "required_open": sum(1 for s in required if s.status == InterviewStatus.PLANNED),
        "records": InterviewRecord.objects.filter(subject__assignment=assignment)
        .select_related("subject", "recorder")
        .prefetch_related("interviewers"),
        "activities": WorkActivity.objects.filter(assignment=assignment).prefetch_related("participants"),
        "requests": DocumentRequest.objects.filter(assignment=assignment)
        .select_related("received_by", "returned_by")
        .prefetch_related("items"),
        "weekly_reports": WeeklyReport.objects.filter(assignment=assignment),
        "week": week,
        "week_counts": weekly_counts(assignment, week),
        "week_due": weekly_due(assignment, week),
        "week_done": WeeklyReport.objects.filter(assignment=assignment, week_start=week).exists(),
        "urgent_reports": UrgentReport.objects.filter(assignment=assignment),
        "roster": [m.person for m in TeamMember.objects.filter(team__assignments=assignment).select_related("person")],
        "writable": assignment.state in ONSITE_STATES and is_team_member(user, assignment),
        "leads": is_team_leader(user, assignment) and assignment.state in ONSITE_STATES,
        "may_answer": may_answer_urgent(user, assignment),
    }


def urgent_report_get(user: Any, pk: int) -> UrgentReport | None:
    """A 请示报告 to its team, the managing office and the leading group it went to; otherwise None."""
    report = (
        UrgentReport.objects.select_related("assignment__round__committee", "assignment__organization")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        return None
    readable = may_read_onsite(user, report.assignment) or may_answer_urgent(user, report.assignment)
    return report if readable else None
