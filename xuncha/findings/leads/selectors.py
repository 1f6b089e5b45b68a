"""Reads of problem leads, always through findings.permissions: lists and the inbox carry no content; opening
a lead's content is a read of its own, checked and audited here (`lead_open`), never in a view."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xuncha.core.actors import Actor
from xuncha.core.audit import audit_record
from xuncha.core.models import Committee
from xuncha.findings.leads.choices import AWAITING_REPORT, OPEN_BEFORE_DECISION, LeadStatus
from xuncha.findings.models import Lead, LeadTransfer
from xuncha.findings.permissions import (
    lead_count_committee_ids,
    lead_read_check,
    leads_visible,
    transfers_received,
)

NUMBER_DIGITS = str.maketrans("", "", "〔〕号")


def overdue_condition(today: date | None = None) -> Q:
    """Leads whose receiver has not reported back by the due date."""
    return Q(status__in=AWAITING_REPORT, feedback_due__lt=today or timezone.localdate())


def lead_list(*, user: Any, status: str = "", assignment: str = "", query: str = "") -> QuerySet[Lead]:
    """The leads this user may read, filtered; the query matches the lead's number (content is sealed and is
    not searched: a search never decrypts rows)."""
    qs = leads_visible(user).select_related("committee", "assignment__organization", "transfer", "decision")
    if status == "overdue":
        qs = qs.filter(overdue_condition())
    elif status in LeadStatus.values:
        qs = qs.filter(status=status)
    if assignment.isdigit():
        qs = qs.filter(assignment_id=int(assignment))
    digits = "".join(ch for ch in query.translate(NUMBER_DIGITS) if ch.isdigit())
    if query.strip():
        year, seq = (digits[:4], digits[4:]) if len(digits) > 4 else ("", digits)
        qs = qs.filter(seq=int(seq)) if seq else qs.none()
        qs = qs.filter(year=int(year)) if year else qs
    return qs.order_by("-year", "-seq")


def lead_get(*, user: Any, pk: int) -> Lead | None:
    """One lead the user may read (its administrative record; the content opens with `lead_open`)."""
    return (
        leads_visible(user)
        .select_related("committee__parent", "assignment__organization", "assignment__round", "transfer", "decision")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class LeadContent:
    """What a lead says, opened for one reader."""

    summary: str
    facts: str
    subjects: list[dict[str, str]]
    remarks: list[dict[str, str]] = field(default_factory=list)
    result: str = ""
    materials: list[str] = field(default_factory=list)


def lead_open(*, actor: Actor, lead: Lead) -> LeadContent:
    """Open a lead's sealed content for `actor` (refused outside the compartment); every read is audited."""
    lead_read_check(actor, lead)
    content = lead.sealed_content.open()
    transfer = lead.transfer
    audit_record(
        action="findings.lead_read",
        actor=actor,
        target=lead,
        committee_id=lead.committee_id,
        summary=f"查阅{lead}",
    )
    return LeadContent(
        summary=content.get("summary", ""),
        facts=content.get("facts", ""),
        subjects=list(lead.sealed_subjects.open()),
        remarks=list(lead.sealed_remarks.open()) if lead.sealed_remarks else [],
        result=(lead.sealed_result.open() or {}).get("text", "") if lead.sealed_result else "",
        materials=list(transfer.sealed_materials.open()) if transfer else [],
    )


def lead_inbox(*, user: Any) -> QuerySet[LeadTransfer]:
    """The transfers addressed to the user's discipline commission or organisation department, newest first."""
    return transfers_received(user).select_related("committee").prefetch_related("leads").order_by("-transferred_on")


def leads_awaiting_decision(*, user: Any) -> QuerySet[Lead]:
    """Proposed leads of the committees the user directs (the decision page's batch)."""
    return leads_visible(user).filter(status=LeadStatus.PROPOSED).select_related("committee", "assignment")


@dataclass(frozen=True)
class Figures:
    """A committee's lead figures: counts only, never content."""

    committee: Committee
    registered: int
    transferred: int
    signed: int
    concluded: int
    overdue: int

    @property
    def completion_rate(self) -> str:
        """办结率: concluded of transferred, in per cent ("—" before anything is transferred)."""
        return f"{self.concluded * 100 / self.transferred:.1f}%" if self.transferred else "—"


def lead_figures(*, user: Any) -> list[Figures]:
    """Per committee of the user's office scope: registered, transferred, signed for, concluded, overdue."""
    ids = lead_count_committee_ids(user)
    if not ids:
        return []
    today = timezone.localdate()
    rows = (
        Lead.objects.filter(committee_id__in=ids)
        .values("committee_id")
        .annotate(
            registered=Count("pk"),
            transferred=Count("pk", filter=Q(transfer__isnull=False)),
            signed=Count("pk", filter=Q(status__in=(LeadStatus.SIGNED, LeadStatus.IN_HANDLING, LeadStatus.CONCLUDED))),
            concluded=Count("pk", filter=Q(status=LeadStatus.CONCLUDED)),
            overdue=Count("pk", filter=overdue_condition(today)),
        )
        .order_by()
    )
    committees = Committee.objects.in_bulk(ids)
    counted: dict[int, dict[str, Any]] = {r["committee_id"]: dict(r) for r in rows}
    empty = {"registered": 0, "transferred": 0, "signed": 0, "concluded": 0, "overdue": 0}
    return [
        Figures(committee=committees[pk], **{k: counted.get(pk, empty)[k] for k in empty})
        for pk in sorted(ids, key=lambda i: committees[i].path)
    ]


def lead_open_count(*, user: Any) -> int:
    """Leads of the user's team still waiting to be decided (the team's to-do)."""
    return leads_visible(user).filter(status__in=OPEN_BEFORE_DECISION).count()
