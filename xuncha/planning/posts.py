"""The team posts a user holds: shown on the home page and the user pages beside the role grants."""

from typing import Any

from django.urls import reverse

from xuncha.core.todo import WorkPost
from xuncha.planning.choices import TeamPost
from xuncha.planning.models import Assignment, TeamMember
from xuncha.planning.permissions import team_capacities

POST_LABELS = dict(TeamPost.choices)


def team_posts(user: Any) -> list[WorkPost]:
    """One line per assignment the user acts on as team (roster and 一次一授权): team, role, posts, unit."""
    capacities = team_capacities(user)
    if not capacities:
        return []
    found = []
    assignments = Assignment.objects.filter(pk__in=capacities).select_related("team", "organization", "round")
    for assignment in assignments.order_by("planned_entry", "pk"):
        if assignment.team_id is None:
            continue
        members = TeamMember.objects.filter(team_id=assignment.team_id, person_id__in=capacities[assignment.pk])
        for member in members:
            posts = "、".join(str(POST_LABELS.get(p, p)) for p in member.posts)
            role = member.get_role_display() + (f"（{posts}）" if posts else "")
            found.append(
                WorkPost(
                    title=f"{assignment.team}{role}",
                    detail=f"{assignment.round.name} · {assignment.organization.name} · {assignment.get_state_display()}",
                    url=reverse("planning:assignment_detail", args=[assignment.pk]),
                )
            )
    return found
