"""Recusal (回避) rule engine over relationships and position history (domain.md §4.2).

The rules, each explained in Chinese:

* worked_in_target — held a post in the target (or a unit below it) within the look-back period;
* long_service (组长、副组长) — served there for the look-back length or longer at any time;
* relative — spouse or direct blood relative of anyone on the target's staff, or a collateral /
  close in-law relative of a member of its leadership team;
* former_superior — was the superior or subordinate of a leadership member within the period;
* close_tie (组长、副组长) — co-service in one leadership team, classmates or a shared supervisor;
* cross_same_area — in a cross inspection (交叉巡察), currently serving in the target's own county
  or district;
* previous_leader (组长) — led the last inspection of this unit (三个不固定);
* declared — a self-declaration or a unit's request that is pending or was upheld.

The engine works inverted, from each target to the people connected with it, so a pool of
thousands is checked against a round in a few queries and without looking at every pair.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from xuncha.core.params import param_value
from xuncha.orgs.choices import LEADERSHIP_POSTS, OrgLevel, RelationKind
from xuncha.orgs.models import Organization, Person, Position, Relationship
from xuncha.planning.choices import DeclarationResult, TeamRole
from xuncha.planning.models import Assignment, ConflictDeclaration, TeamMember

RULES = {
    "worked_in_target": "近期在被巡察单位任职",
    "long_service": "曾在被巡察单位长期任职",
    "relative": "与被巡察单位人员有亲属关系",
    "former_superior": "与被巡察单位领导班子成员曾为上下级",
    "close_tie": "与被巡察单位领导班子成员关系密切",
    "cross_same_area": "交叉巡察本地回避",
    "previous_leader": "三个不固定",
    "declared": "本人申报或被巡察单位提出",
}
# Plain strings: the roles a conflict binds are compared with stored role codes.
LEADER_ROLES = frozenset({"leader", "deputy"})
STAFF_RELATIVES = frozenset({RelationKind.SPOUSE, RelationKind.DIRECT_BLOOD})
LEADERSHIP_RELATIVES = frozenset({RelationKind.COLLATERAL, RelationKind.IN_LAW})
TIES = frozenset({RelationKind.CO_SERVICE, RelationKind.CLASSMATE})
AREA_LEVELS = frozenset({OrgLevel.COUNTY})


@dataclass(frozen=True)
class Conflict:
    """One reason why `person_id` may not serve on `assignment_id` (in `applies_to` roles, all when empty)."""

    person_id: int
    assignment_id: int
    rule: str
    reason: str
    applies_to: frozenset[str] = frozenset()

    def binds(self, role: str) -> bool:
        return not self.applies_to or role in self.applies_to

    @property
    def rule_label(self) -> str:
        return RULES[self.rule]


@dataclass(frozen=True)
class OrgInfo:
    id: int
    name: str
    path: str
    level: str


@dataclass(frozen=True)
class Post:
    person_id: int
    org_id: int
    title: str
    post_kind: str
    start: date
    end: date | None

    def overlaps(self, lo: date, hi: date) -> bool:
        return self.start <= hi and (self.end is None or self.end >= lo)

    def years(self, until: date) -> float:
        return ((self.end or until) - self.start).days / 365.25

    def span(self) -> str:
        return f"{self.start.year}—{self.end.year} 年" if self.end else f"{self.start.year} 年至今"


@dataclass(frozen=True)
class Relation:
    other_id: int
    kind: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class Target:
    """What the engine needs of an assignment."""

    assignment_id: int
    org_ids: tuple[int, ...]
    flags: frozenset[str]
    on: date
    lookback_years: int
    previous_leader_ids: frozenset[int] = frozenset()
    declared: tuple[tuple[int, str], ...] = ()
    waived: frozenset[tuple[int, str]] = frozenset()


@dataclass
class RecusalData:
    """Plain data the rules run on: organisations, posts and relations, indexed both ways."""

    orgs: dict[int, OrgInfo]
    names: dict[int, str]
    posts_by_person: dict[int, list[Post]] = field(default_factory=lambda: defaultdict(list))
    posts_by_org: dict[int, list[Post]] = field(default_factory=lambda: defaultdict(list))
    relations: dict[int, list[Relation]] = field(default_factory=lambda: defaultdict(list))

    def add_post(self, post: Post) -> None:
        self.posts_by_person[post.person_id].append(post)
        self.posts_by_org[post.org_id].append(post)

    def add_relation(self, a: int, b: int, kind: str, valid_from: date | None, valid_to: date | None) -> None:
        self.relations[a].append(Relation(b, kind, valid_from, valid_to))
        self.relations[b].append(Relation(a, kind, valid_from, valid_to))

    def subtree(self, org_id: int) -> list[int]:
        path = self.orgs[org_id].path
        return [o.id for o in self.orgs.values() if o.path.startswith(path)]

    def area_of(self, org_id: int) -> OrgInfo | None:
        """The county or district an organisation lies in (itself when it is one)."""
        for pk in reversed([int(p) for p in self.orgs[org_id].path.strip("/").split("/") if p]):
            info = self.orgs.get(pk)
            if info is not None and info.level in AREA_LEVELS:
                return info
        return None


def _years_ago(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def find_conflicts(data: RecusalData, person_ids: Iterable[int], targets: Iterable[Target]) -> list[Conflict]:
    """Every conflict between the given people and targets, with its reason in Chinese."""
    people = set(person_ids)
    found: dict[tuple[int, int, str], Conflict] = {}
    leaders_only = frozenset(LEADER_ROLES)

    def add(person: int, target: Target, rule: str, reason: str, applies_to: frozenset[str] = frozenset()) -> None:
        if person in people and (person, rule) not in target.waived:
            found.setdefault(
                (person, target.assignment_id, rule), Conflict(person, target.assignment_id, rule, reason, applies_to)
            )

    for target in targets:
        lo = _years_ago(target.on, target.lookback_years)
        main = data.orgs[target.org_ids[0]]
        subtree = {pk for org_id in target.org_ids for pk in data.subtree(org_id)}
        staff: dict[int, Post] = {}
        for org_id in subtree:
            for post in data.posts_by_org.get(org_id, []):
                name = data.names[post.person_id]
                unit = data.orgs[post.org_id].name
                if post.overlaps(lo, target.on):
                    add(post.person_id, target, "worked_in_target", f"{name} {post.span()}在{unit}任{post.title}")
                elif post.years(target.on) >= target.lookback_years:
                    add(
                        post.person_id,
                        target,
                        "long_service",
                        f"{name} {post.span()}在{unit}任{post.title}，任职满 {target.lookback_years} 年",
                        leaders_only,
                    )
                if post.overlaps(target.on, target.on):
                    staff.setdefault(post.person_id, post)
        for staff_id, post in staff.items():
            in_leadership = post.post_kind in LEADERSHIP_POSTS
            who = f"{data.names[staff_id]}（{data.orgs[post.org_id].name}{post.title}）"
            for rel in data.relations.get(staff_id, []):
                other = data.names.get(rel.other_id, "")
                kind_label = RelationKind(rel.kind).label
                recent = rel.valid_to is None or rel.valid_to >= lo
                if rel.kind in STAFF_RELATIVES or (rel.kind in LEADERSHIP_RELATIVES and in_leadership):
                    add(rel.other_id, target, "relative", f"{other}与{who}系{kind_label}")
                elif rel.kind == RelationKind.FORMER_SUPERIOR and in_leadership and recent:
                    add(
                        rel.other_id,
                        target,
                        "former_superior",
                        f"{other}与{who}近 {target.lookback_years} 年内{kind_label}",
                    )
                elif rel.kind in TIES and in_leadership:
                    add(rel.other_id, target, "close_tie", f"{other}与{who}{kind_label}", leaders_only)
        if "cross" in target.flags:
            area = data.area_of(main.id)
            if area is not None:
                area_orgs = set(data.subtree(area.id))
                for org_id in area_orgs:
                    for post in data.posts_by_org.get(org_id, []):
                        if post.overlaps(target.on, target.on):
                            add(
                                post.person_id,
                                target,
                                "cross_same_area",
                                f"交叉巡察：{data.names[post.person_id]}现任{data.orgs[org_id].name}{post.title}，"
                                f"与被巡察对象同属{area.name}",
                            )
        for leader_id in target.previous_leader_ids:
            add(
                leader_id,
                target,
                "previous_leader",
                f"{data.names.get(leader_id, '')}任上一次巡察{main.name}的巡察组组长（三个不固定）",
                frozenset({"leader"}),
            )
        for person, reason in target.declared:
            add(person, target, "declared", reason)
    return list(found.values())


def load_targets(assignments: Iterable[Assignment]) -> list[Target]:
    """Targets of stored assignments, with previous leaders, declarations and waivers."""
    result = []
    for a in assignments:
        lookback = int(param_value("avoidance_lookback_years", committee=a.round.committee))
        previous = (
            Assignment.objects.filter(organization_id=a.organization_id, planned_entry__lt=a.planned_entry)
            .exclude(round_id=a.round_id)
            .exclude(team__isnull=True)
            .order_by("-planned_entry")
            .first()
        )
        leaders: frozenset[int] = frozenset()
        if previous is not None and previous.team_id is not None:
            leaders = frozenset(
                TeamMember.objects.filter(team_id=previous.team_id, role=TeamRole.LEADER).values_list(
                    "person_id", flat=True
                )
            )
        declarations = list(ConflictDeclaration.objects.filter(assignment=a))
        declared = tuple(
            (d.person_id, d.reason)
            for d in declarations
            if d.rule in {"", "declared"} and d.result in {DeclarationResult.PENDING, DeclarationResult.RECUSED}
        )
        waived = frozenset(
            (d.person_id, d.rule) for d in declarations if d.result == DeclarationResult.WAIVED and d.rule
        )
        org_ids = (a.organization_id, *a.extra_orgs.values_list("id", flat=True))
        result.append(Target(a.pk, org_ids, frozenset(a.flags), a.planned_entry, lookback, leaders, declared, waived))
    return result


def load_data(person_ids: Iterable[int], targets: list[Target]) -> RecusalData:
    """Organisations, the posts of the people and of the targets' staff, and their relations."""
    orgs = {
        o.id: OrgInfo(o.id, o.short_name or o.name, o.path, o.level)
        for o in Organization.objects.only("id", "name", "short_name", "path", "level")
    }
    people = set(person_ids)
    data = RecusalData(orgs=orgs, names={})
    # Cross inspections need everyone serving in the target's area, not only its own staff.
    probe = RecusalData(orgs, {})
    areas = {area.id for t in targets if "cross" in t.flags and (area := probe.area_of(t.org_ids[0])) is not None}
    target_orgs = {pk for t in targets for o in t.org_ids for pk in _subtree(orgs, o)}
    target_orgs |= {pk for area in areas for pk in _subtree(orgs, area)}
    posts = (
        Position.objects.filter(Q(person_id__in=people) | Q(organization_id__in=target_orgs))
        .order_by()
        .values_list("person_id", "organization_id", "title", "post_kind", "start_date", "end_date")
    )
    staff = set()
    for row in posts:
        data.add_post(Post(*row))
        staff.add(row[0])
    for a, b, kind, vf, vt in Relationship.objects.filter(
        Q(person_a_id__in=staff, person_b_id__in=people) | Q(person_b_id__in=staff, person_a_id__in=people)
    ).values_list("person_a_id", "person_b_id", "kind", "valid_from", "valid_to"):
        data.add_relation(a, b, kind, vf, vt)
    data.names = dict(Person.objects.filter(id__in=people | staff).values_list("id", "name"))
    return data


def _subtree(orgs: dict[int, OrgInfo], org_id: int) -> list[int]:
    path = orgs[org_id].path
    return [o.id for o in orgs.values() if o.path.startswith(path)]


def recusal_conflicts(assignments: Iterable[Assignment], person_ids: Iterable[int]) -> list[Conflict]:
    """The conflicts between stored assignments and people, from the database."""
    targets = load_targets(assignments)
    people = list(person_ids)
    return find_conflicts(load_data(people, targets), people, targets)
