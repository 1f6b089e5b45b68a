"""Reads of petitions, always through permissions.petitions_visible (lists, search, export, counts)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from xuncha.core.sealing import SealingUnavailable, can_open
from xuncha.petitions.choices import PetitionStatus, public_status
from xuncha.petitions.decisions.clocks import CLOCK_LABELS, overdue_filter
from xuncha.petitions.intake.receipts import reporter_view_open
from xuncha.petitions.models import Petition, PetitionMessage
from xuncha.petitions.permissions import petitions_visible
from xuncha.petitions.triage.search import search_filter


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
        content: dict[str, str] | None = petition.sealed_content.open()
        return content
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


Line = tuple[Any, Any, str]


def petition_dialogue(petition: Petition) -> list[Line]:
    """(from the reporter?, when, text) of the dialogue, opened (internal side)."""
    return [(m.from_reporter, m.created_at, m.sealed_body.open()) for m in petition.messages.all()]


def petition_notes(petition: Petition) -> list[Line]:
    """(author, when, text) of the team's internal notes, opened (internal side)."""
    return [(n.author, n.created_at, n.sealed_body.open()) for n in petition.notes.select_related("author")]


def petition_follow_up(petition: Petition) -> dict[str, str]:
    """The referral's result and the report back on a referral from above, opened where they exist."""
    referral = getattr(petition, "referral", None)
    incoming = getattr(petition, "incoming", None)
    return {
        "referral_result": referral.sealed_result.open() if referral and referral.sealed_result else "",
        "incoming_report": incoming.sealed_report.open() if incoming and incoming.sealed_report else "",
    }


def reporter_status(petition: Petition, code: str) -> dict[str, object]:
    """The status and dialogue the reporter may read: opened here where the internal key is held; on an
    intake node from the view the internal side sent back, opened with the reporter's own code."""
    if can_open():
        return {
            "public_status": public_status(petition.status, petition.disposition),
            "messages_": petition_dialogue(petition),
        }
    view = reporter_view_open(petition, code)
    seen = {m["ref"] for m in view["messages"] if m["ref"]} if view else set()
    # The reporter's own additions still on their way in: this node cannot read them, only say when.
    mine = PetitionMessage.objects.filter(petition=petition, from_reporter=True)
    waiting = [m.created_at for m in mine if m.intake_ref not in seen]
    if view is None:
        return {
            "public_status": public_status(PetitionStatus.RECEIVED, ""),
            "messages_": [],
            "waiting": waiting,
            "unsynced": True,
        }
    sent_back = [(m["from_reporter"], parse_datetime(m["at"]), m["text"]) for m in view["messages"]]
    return {"public_status": view["status"], "messages_": sent_back, "waiting": waiting}
