"""Reads of the organisation registry, always through the permission chokepoint."""

from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from xuncha.orgs.choices import LEADERSHIP_POSTS, PostKind
from xuncha.orgs.models import Organization, Person, Position, Relationship
from xuncha.orgs.permissions import organizations_visible, people_visible, relationships_visible


def organization_list(
    *, user: Any, query: str = "", level: str = "", committee_id: int | None = None
) -> QuerySet[Organization]:
    """Visible organisations, filtered."""
    qs = organizations_visible(user).select_related("parent", "managed_by")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(org_code__icontains=query))
    if level:
        qs = qs.filter(level=level)
    if committee_id:
        qs = qs.filter(managed_by_id=committee_id)
    return qs.order_by("path")


def organization_get(*, user: Any, pk: int) -> Organization:
    """One visible organisation (Organization.DoesNotExist otherwise)."""
    return organizations_visible(user).select_related("parent", "managed_by").get(pk=pk)


def current_positions(organization: Organization) -> QuerySet[Position]:
    """Who holds a post in `organization` today, top leader first."""
    today = timezone.localdate()
    qs = organization.positions.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
    return sorted_positions(qs)


def sorted_positions(qs: QuerySet[Position]) -> QuerySet[Position]:
    """Order positions by post kind (top leader first), then by start date."""
    ranking = Case(
        When(post_kind=PostKind.TOP_LEADER, then=Value(0)),
        When(post_kind=PostKind.LEADERSHIP_MEMBER, then=Value(1)),
        When(post_kind=PostKind.KEY_POST, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return qs.select_related("person").annotate(rank_order=ranking).order_by("rank_order", "start_date")


def leadership_roster(organization: Organization) -> QuerySet[Position]:
    """The current 领导班子 (top leader and members)."""
    return current_positions(organization).filter(post_kind__in=LEADERSHIP_POSTS)


def person_list(*, user: Any, query: str = "") -> QuerySet[Person]:
    """Visible people, with their current posts."""
    qs = people_visible(user)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(person_code__icontains=query))
    current = Position.objects.filter(end_date__isnull=True).select_related("organization")
    return qs.prefetch_related(Prefetch("positions", queryset=current, to_attr="current_posts")).order_by("name")


def person_get(*, user: Any, pk: int) -> Person:
    """One visible person."""
    return people_visible(user).get(pk=pk)


def person_positions(*, user: Any, person: Person) -> QuerySet[Position]:
    """A person's posts in organisations the user may see (the full history for the office)."""
    return person.positions.filter(organization__in=organizations_visible(user)).select_related("organization")


def person_relationships(*, user: Any, person: Person) -> QuerySet[Relationship]:
    """A person's recusal-relevant relations, for the office only."""
    return (
        relationships_visible(user)
        .filter(Q(person_a=person) | Q(person_b=person))
        .select_related("person_a", "person_b")
    )
