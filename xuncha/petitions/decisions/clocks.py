"""SLA clocks of petitions (domain.md §5.5, §11) on the working-day calendar: when each is due, and
one definition of "overdue" that lists, counts, to-dos and the detail page all use.

签收 5 working days and 办理 3 months from receipt; for a named reporter 实名告知 15 working days
from receipt and 实名反馈 15 working days after the petition is closed; a referral out (转办) and a
referral from above (上级转办) each carry their own due date. Every figure is a committee parameter.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from xuncha.core.params import param_value
from xuncha.core.workdays import add_months, add_working_days
from xuncha.petitions.choices import PetitionStatus
from xuncha.petitions.models import Petition
from xuncha.planning.models import Assignment

OPEN = (PetitionStatus.RECEIVED, PetitionStatus.UNDER_REVIEW)
# A petition is 办结 when closed or put on file; the reporter of a named one is then owed the result.
FINAL = (PetitionStatus.CLOSED, PetitionStatus.ARCHIVED)


CLOCK_PARAMS = ("petition_sign_working_days", "petition_handle_months", "realname_ack_working_days")


def clock_params(assignment: Assignment) -> dict[str, int]:
    """The committee's parameters of the receipt clocks (read once for many petitions, e.g. a bundle)."""
    committee = assignment.round.committee
    return {key: int(param_value(key, committee=committee)) for key in CLOCK_PARAMS}


def deadlines(
    assignment: Assignment, received_at: datetime, named: bool, params: dict[str, int] | None = None
) -> dict[str, Any]:
    """签收 (5 working days), 办理 (3 months), 实名告知 (15 working days) from the committee's parameters."""
    p = params or clock_params(assignment)
    day = timezone.localtime(received_at).date()
    committee = assignment.round.committee  # whose calendar (national plus its local overrides) applies
    return {
        "sign_due": add_working_days(day, p["petition_sign_working_days"], committee=committee),
        "handle_due": add_months(day, p["petition_handle_months"]),
        "ack_due": add_working_days(day, p["realname_ack_working_days"], committee=committee) if named else None,
    }


def closing(petition: Petition, when: datetime) -> dict[str, Any]:
    """The fields a petition takes when it becomes final: when, and for a named one the 实名反馈 due date."""
    committee = petition.assignment.round.committee
    days = int(param_value("realname_reply_after_close_working_days", committee=committee))
    due = None if petition.anonymous else add_working_days(timezone.localtime(when).date(), days, committee=committee)
    return {"closed_at": when, "reply_due": due}


@dataclass(frozen=True)
class Clock:
    key: str
    label: str
    condition: Callable[[date], Q]


# Overdue as database conditions, so a list filter, a count and one petition's flags cannot disagree.
CLOCKS = [
    Clock("sign", "签收超期", lambda today: Q(signed_at__isnull=True, sign_due__lt=today)),
    Clock("handle", "办理超期", lambda today: Q(status__in=OPEN, handle_due__lt=today)),
    Clock("ack", "实名告知超期", lambda today: Q(acknowledged_at__isnull=True, ack_due__lt=today)),
    Clock("reply", "实名反馈超期", lambda today: Q(replied_at__isnull=True, reply_due__lt=today)),
    Clock(
        "referral",
        "转办超期未回复",
        lambda today: Q(status=PetitionStatus.REFERRED, referral__result_on__isnull=True, referral__due_on__lt=today),
    ),
    Clock(
        "incoming",
        "上级转办超期未报结",
        lambda today: Q(incoming__due_on__lt=today, incoming__reported_on__isnull=True),
    ),
]
CLOCK_LABELS = {c.key: c.label for c in CLOCKS}


def overdue_filter(qs: QuerySet[Petition], key: str, today: date | None = None) -> QuerySet[Petition]:
    """Only the petitions whose `key` clock has run out."""
    clock = next(c for c in CLOCKS if c.key == key)
    return qs.filter(clock.condition(today or timezone.localdate()))


def overdue_counts(qs: QuerySet[Petition], today: date | None = None) -> dict[str, int]:
    """How many of `qs` are overdue on each clock, in one query."""
    day = today or timezone.localdate()
    return qs.order_by().aggregate(**{c.key: Count("pk", filter=c.condition(day), distinct=True) for c in CLOCKS})


def overdue_flags(petition: Petition, today: date | None = None) -> set[str]:
    """The clocks that have run out for one petition (the same conditions as the list, evaluated once)."""
    day = today or timezone.localdate()
    flags = (
        Petition.objects.filter(pk=petition.pk)
        .annotate(**{f"late_{c.key}": ExpressionWrapper(c.condition(day), output_field=BooleanField()) for c in CLOCKS})
        .values(*(f"late_{c.key}" for c in CLOCKS))
        .first()
        or {}
    )
    return {key.removeprefix("late_") for key, late in flags.items() if late}


@dataclass(frozen=True)
class ClockState:
    """One clock of one petition as the detail page shows it."""

    label: str
    due: date | None
    done: datetime | date | None
    overdue: bool


def petition_clocks(petition: Petition) -> tuple[list[ClockState], set[str]]:
    """The petition's own clocks (those that apply), and every clock that has run out for it."""
    late = overdue_flags(petition)
    rows = [
        ClockState("签收", petition.sign_due, petition.signed_at, "sign" in late),
        ClockState("办理", petition.handle_due, petition.closed_at or petition.decided_at, "handle" in late),
        ClockState("实名告知", petition.ack_due, petition.acknowledged_at, "ack" in late),
        ClockState("实名反馈", petition.reply_due, petition.replied_at, "reply" in late),
    ]
    return [r for r in rows if r.due is not None], late
