"""Who is on the 动员会 list and the 必谈 list, from the organisation rosters (seed 004, domain.md §4.3–§4.4).

The 动员会: the unit's leadership members, the heads of the next-level organisations, cadres who left a leading
post within the look-back (a parameter, two years by default), and the heads of the unit's discipline and
organisation-personnel bodies. The 必谈 list: the leadership roster, the key-post heads (and the discipline and
organisation-personnel heads), and the recently retired leaders."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from xuncha.core.params import param_value
from xuncha.fieldwork.choices import AttendeeGroup, InterviewBasis
from xuncha.orgs.choices import LEADERSHIP_POSTS, PostKind
from xuncha.orgs.models import Organization, Position
from xuncha.planning.models import Assignment

# Titles of the bodies a 动员会 invites apart from the leadership: the discipline body and organisation/personnel.
SUPERVISION_TITLES = ("纪委", "纪检", "监察", "组织部", "组织人事", "人力资源", "干部人事")


@dataclass(frozen=True)
class RosterEntry:
    """A person found on a roster, with the post that puts them on a list and why."""

    position: Position
    reason: str


def _current(day: date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def _within(unit: Organization) -> Q:
    return Q(organization__path__startswith=unit.path)


def _positions(condition: Q) -> QuerySet[Position]:
    return (
        Position.objects.filter(condition).select_related("person", "organization").order_by("organization__path", "pk")
    )


def _retired_since(assignment: Assignment, day: date) -> date:
    years = int(param_value("recent_retirement_years", committee=assignment.round.committee))
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _unique(entries: list[RosterEntry]) -> list[RosterEntry]:
    """One entry per person, the first reason found (lists are built in order of precedence)."""
    seen: set[int] = set()
    found = []
    for entry in entries:
        if entry.position.person_id not in seen:
            seen.add(entry.position.person_id)
            found.append(entry)
    return found


def _supervision_heads(unit: Organization, day: date) -> QuerySet[Position]:
    titled = Q(pk__in=[])
    for word in SUPERVISION_TITLES:
        titled |= Q(title__contains=word)
    return _positions(_within(unit) & _current(day) & titled & ~Q(post_kind=PostKind.STAFF))


def _retired(assignment: Assignment, day: date, unit_only: bool) -> QuerySet[Position]:
    unit = assignment.organization
    where = Q(organization=unit) if unit_only else _within(unit)
    left = Q(end_date__lt=day, end_date__gte=_retired_since(assignment, day), post_kind__in=LEADERSHIP_POSTS)
    still_leading = Position.objects.filter(_current(day), post_kind__in=LEADERSHIP_POSTS).values("person_id")
    return _positions(where & left).exclude(person_id__in=still_leading)


def mobilization_attendees(assignment: Assignment, day: date) -> list[RosterEntry]:
    """The 进驻动员会 list (who also takes the 民主测评) as the rosters stand on `day`."""
    unit = assignment.organization
    entries = [
        RosterEntry(p, AttendeeGroup.LEADERSHIP)
        for p in _positions(Q(organization=unit) & _current(day) & Q(post_kind__in=LEADERSHIP_POSTS))
    ]
    entries += [
        RosterEntry(p, AttendeeGroup.NEXT_LEVEL_HEAD)
        for p in _positions(Q(organization__parent=unit) & _current(day) & Q(post_kind=PostKind.TOP_LEADER))
    ]
    entries += [RosterEntry(p, AttendeeGroup.RETIRED_LEADER) for p in _retired(assignment, day, unit_only=False)]
    entries += [RosterEntry(p, AttendeeGroup.SUPERVISION_BODY) for p in _supervision_heads(unit, day)]
    return _unique(entries)


def must_interview(assignment: Assignment, day: date) -> list[RosterEntry]:
    """The 必谈 list as the rosters stand on `day`."""
    unit = assignment.organization
    entries = [
        RosterEntry(p, InterviewBasis.LEADERSHIP)
        for p in _positions(Q(organization=unit) & _current(day) & Q(post_kind__in=LEADERSHIP_POSTS))
    ]
    entries += [
        RosterEntry(p, InterviewBasis.KEY_POST)
        for p in _positions(Q(organization=unit) & _current(day) & Q(post_kind=PostKind.KEY_POST))
    ]
    entries += [RosterEntry(p, InterviewBasis.KEY_POST) for p in _supervision_heads(unit, day)]
    entries += [RosterEntry(p, InterviewBasis.RETIRED_LEADER) for p in _retired(assignment, day, unit_only=True)]
    return _unique(entries)
