"""Reads of petitions, always through permissions.petitions_visible (lists, search, export, counts)."""

from dataclasses import dataclass
from typing import Any

from xuncha.petitions.models import Petition
from xuncha.petitions.permissions import petitions_visible
from xuncha.petitions.sealing import SealingUnavailable, open_sealed


@dataclass(frozen=True)
class Row:
    petition: Petition
    subject: str
    summary: str


def _content(petition: Petition) -> dict[str, str]:
    try:
        return open_sealed(petition.sealed_content, "content")
    except SealingUnavailable:
        return {}


def petition_search(*, user: Any, status: str = "", channel: str = "", query: str = "") -> list[Row]:
    """Visible petitions, filtered; the text search runs on the opened content, in memory only."""
    qs = petitions_visible(user).select_related("assignment__organization")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    rows = []
    needle = query.strip()
    for p in qs:
        content = _content(p)
        text = " ".join(str(v) for v in content.values())
        if needle and needle not in text and needle != p.number:
            continue
        rows.append(Row(p, content.get("subject_name", ""), (content.get("what", "") or "")[:40]))
    return rows
