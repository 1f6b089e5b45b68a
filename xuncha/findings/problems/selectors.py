"""What the problem pages may show: lists from the permission predicate, paged and filtered in the database."""

from typing import Any

from django.db.models import QuerySet

from xuncha.core.models import StateChange
from xuncha.findings.models import Problem
from xuncha.findings.problems.machines import PROBLEM_MACHINE
from xuncha.findings.problems.permissions import problems_visible

FILTERS = ("assignment", "status", "track", "category")


def problem_list(*, user: Any, filters: dict[str, str]) -> QuerySet[Problem]:
    found = problems_visible(user).select_related("assignment__organization", "assignment__round")
    for key in FILTERS:
        value = filters.get(key, "")
        if key == "assignment" and not value.isdigit():
            continue
        if value:
            found = found.filter(**{f"{key}_id" if key == "assignment" else key: value})
    return found.order_by("-created_at", "-pk")


def problem_get(*, user: Any, pk: int) -> Problem | None:
    return (
        problems_visible(user)
        .select_related("assignment__round__committee", "assignment__organization", "assignment__team", "petition")
        .filter(pk=pk)
        .first()
    )


def problem_trail(problem: Problem) -> list[StateChange]:
    """The review steps of a working paper, in order (what the engine recorded)."""
    return list(StateChange.objects.filter(machine=PROBLEM_MACHINE.name, object_id=problem.pk).order_by("pk"))
