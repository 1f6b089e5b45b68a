"""What the announcement pages may show: the assignment to publish for, the announcement to read, the links."""

import time
from typing import Any

from django.db.models import Q

from xuncha.core.roles import OFFICE_ROLES
from xuncha.fieldwork.models import Announcement
from xuncha.fieldwork.permissions import may_read, publish_check
from xuncha.planning.choices import AssignmentState, TeamRole
from xuncha.planning.models import Assignment
from xuncha.planning.permissions import assignments_visible, own_committee_ids, team_capacities

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
