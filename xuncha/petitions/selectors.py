"""Reads of petitions, always through permissions.petitions_visible (lists, search, export, counts)."""

from dataclasses import dataclass
from typing import Any

from xuncha.core.sealing import SealingUnavailable, open_sealed
from xuncha.petitions.clocks import CLOCK_LABELS, overdue_filter
from xuncha.petitions.models import Petition
from xuncha.petitions.permissions import petitions_visible


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
        return open_sealed(petition.sealed_content, "content")
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
) -> list[Petition]:
    """Visible petitions, filtered; a text search opens the content in memory (nothing is indexed in clear)."""
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
    needle = query.strip()
    if not needle:
        return list(qs)
    found = []
    for p in qs:
        text = " ".join(str(v) for v in (petition_content(p) or {}).values())
        if needle in text or needle == p.number:
            found.append(p)
    return found
