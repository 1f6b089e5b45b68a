"""Reads of petitions, always through permissions.petitions_visible (lists, search, export, counts)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from xuncha.core.sealing import SealingUnavailable
from xuncha.petitions.clocks import CLOCK_LABELS, overdue_filter
from xuncha.petitions.models import Petition
from xuncha.petitions.permissions import petitions_visible
from xuncha.petitions.search import search_filter


@dataclass(frozen=True)
class Row:
    petition: Petition
    subject: str
    summary: str


def petition_get(*, user: Any, pk: int) -> Petition | None:
    """One petition the user may see, with what its pages show of the assignment; None otherwise."""
    return (
        petitions_visible(user)
        .select_related("assignment__organization", "assignment__round__committee", "assignment__team")
        .filter(pk=pk)
        .first()
    )


def petition_content(petition: Petition) -> dict[str, str] | None:
    """The opened content, or None where this node holds no private key."""
    try:
        return petition.sealed_content.open()
    except SealingUnavailable:
        return None


def row(petition: Petition) -> Row:
    content = petition_content(petition) or {}
    return Row(petition, content.get("subject_name", ""), (content.get("what", "") or "")[:40])


def petition_search(
    *,
    user: Any,
    status: str = "",
    channel: str = "",
    query: str = "",
    overdue: str = "",
    assignment: str = "",
    named: str = "",
) -> QuerySet[Petition]:
    """Visible petitions, filtered, newest first, as a query: pages are counted and cut in the database,
    and a text search runs on the blind index (search.py), never opening a row."""
    qs = petitions_visible(user).select_related("assignment__organization", "assignment__round")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if overdue in CLOCK_LABELS:
        qs = overdue_filter(qs, overdue)
    if assignment.isdigit():
        qs = qs.filter(assignment_id=int(assignment))
    if named in ("1", "0"):
        qs = qs.filter(anonymous=named == "0")
    if query.strip():
        qs = search_filter(qs, query)
    return qs.order_by("-received_at", "-id")
