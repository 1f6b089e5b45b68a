"""Each assignment's calendar, computed from configuration on the working-day calendar (domain.md §2.3, §11).

Inputs are the planned entry date (and, when the work scheme fixes it, the planned end date),
the inspection type and the target's level; everything else follows from the committee's
parameters. Actual dates recorded by the transitions take over from planned ones, so
later milestones move with what really happened. When a parameter or the holiday calendar
changes, every open assignment of the affected committees is recomputed.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.db.models import Q

from xuncha.core.models import Committee
from xuncha.core.params import param_value
from xuncha.core.workdays import add_months, add_working_days
from xuncha.orgs.choices import OrgLevel
from xuncha.planning.choices import AssignmentState
from xuncha.planning.models import Assignment

CALENDAR_KEYS = frozenset(
    {
        "calendar",
        "notice_lead_days",
        "onsite_days.regular",
        "onsite_days.special",
        "onsite_days.village",
        "onsite_days.supervision",
        "petition_cutoff_before_end_days",
        "report_to_secretary_meeting_within_days",
        "feedback_after_report_days",
        "rect_plan_due_working_days",
        "rect_report_due_months",
    }
)
VILLAGE_LEVELS = frozenset({OrgLevel.VILLAGE, OrgLevel.COMMUNITY})


@dataclass(frozen=True)
class Calendar:
    notice_due: date
    onsite_end: date
    petition_cutoff: date
    report_due: date
    feedback_due: date
    rect_plan_due: date
    rect_report_due: date


def on_or_before_working_day(day: date, *, committee: Committee | None) -> date:
    """`day` if it is a working day on `committee`'s calendar, else the last working day before it."""
    return add_working_days(day + timedelta(days=1), -1, committee=committee)


def on_or_after_working_day(day: date, *, committee: Committee | None) -> date:
    """`day` if it is a working day on `committee`'s calendar, else the first working day after it."""
    return add_working_days(day - timedelta(days=1), 1, committee=committee)


def onsite_days_key(inspection_type: str, org_level: str) -> str:
    """Which parameter gives the on-site length: villages and communities are short whatever the type."""
    if inspection_type == "rect_supervision":
        return "onsite_days.supervision"
    if org_level in VILLAGE_LEVELS:
        return "onsite_days.village"
    if inspection_type in {"special", "mobile", "follow_up"}:
        return "onsite_days.special"
    return "onsite_days.regular"


def compute_calendar(
    *,
    committee: Committee,
    params: Callable[[str], int] | None = None,
    inspection_type: str,
    org_level: str,
    planned_entry: date,
    planned_end: date | None = None,
    entered_on: date | None = None,
    onsite_closed_on: date | None = None,
    feedback_on: date | None = None,
) -> Calendar:
    """The calendar of one assignment under `committee`'s configuration."""

    def p(key: str) -> int:
        return params(key) if params else int(param_value(key, committee=committee))

    # The dispatching committee's calendar: the national one with its own and its superiors' overrides.
    c = committee

    notice_due = add_working_days(planned_entry, -p("notice_lead_days"), committee=c)
    entry = entered_on or planned_entry
    if planned_end is not None:
        onsite_end = planned_end + (entry - planned_entry)
    else:
        onsite_end = on_or_before_working_day(
            entry + timedelta(days=p(onsite_days_key(inspection_type, org_level))), committee=c
        )
    # The cut-off is announced publicly, so it follows the planned end, not an early departure;
    # the report clock runs from the actual departure.
    petition_cutoff = on_or_before_working_day(
        onsite_end - timedelta(days=p("petition_cutoff_before_end_days")), committee=c
    )
    end = onsite_closed_on or onsite_end
    report_due = on_or_after_working_day(
        end + timedelta(days=p("report_to_secretary_meeting_within_days")), committee=c
    )
    feedback_due = on_or_after_working_day(report_due + timedelta(days=p("feedback_after_report_days")), committee=c)
    feedback = feedback_on or feedback_due
    rect_plan_due = add_working_days(feedback, p("rect_plan_due_working_days"), committee=c)
    rect_report_due = on_or_after_working_day(add_months(feedback, p("rect_report_due_months")), committee=c)
    return Calendar(notice_due, onsite_end, petition_cutoff, report_due, feedback_due, rect_plan_due, rect_report_due)


def assignment_calendar(assignment: Assignment, params: Callable[[str], int] | None = None) -> Calendar:
    """The calendar of a stored assignment from its current inputs."""
    return compute_calendar(
        committee=assignment.round.committee,
        params=params,
        inspection_type=assignment.inspection_type,
        org_level=assignment.organization.level,
        planned_entry=assignment.planned_entry,
        planned_end=assignment.planned_end,
        entered_on=assignment.entered_on,
        onsite_closed_on=assignment.onsite_closed_on,
        feedback_on=assignment.feedback_on,
    )


CALENDAR_FIELDS = [
    "notice_due",
    "onsite_end",
    "petition_cutoff",
    "report_due",
    "feedback_due",
    "rect_plan_due",
    "rect_report_due",
]


def apply_calendar(assignment: Assignment, params: Callable[[str], int] | None = None) -> list[str]:
    """Set the computed dates on `assignment` (not saved); returns the names of fields that changed."""
    calendar = assignment_calendar(assignment, params)
    changed = []
    for field in CALENDAR_FIELDS:
        value = getattr(calendar, field)
        if getattr(assignment, field) != value:
            setattr(assignment, field, value)
            changed.append(field)
    return changed


def recompute_calendars(committee_ids: Collection[int] | None) -> int:
    """Recompute every open assignment of the committees named (all when None)."""
    finished = Q(state__in=[AssignmentState.CLOSED, AssignmentState.CANCELLED])
    qs = Assignment.objects.exclude(finished).select_related("round__committee", "organization")
    if committee_ids is not None:
        qs = qs.filter(round__committee_id__in=list(committee_ids))
    changed = []
    readers: dict[int, Callable[[str], int]] = {}
    for assignment in qs:
        committee_ = assignment.round.committee
        if committee_.pk not in readers:
            # Each committee's parameters are read once per recompute, not once per assignment.
            readers[committee_.pk] = cache(lambda key, c=committee_: int(param_value(key, committee=c)))
        if apply_calendar(assignment, readers[committee_.pk]):
            changed.append(assignment)
    Assignment.objects.bulk_update(changed, CALENDAR_FIELDS)
    return len(changed)


def on_config_changed(key: str, committee_ids: frozenset[int] | None) -> None:
    """Config listener: calendar-relevant changes move the due dates of open assignments of the
    committees affected (those that inherit the changed value; None after a national change)."""
    if key in CALENDAR_KEYS:
        recompute_calendars(committee_ids)
