"""The access chokepoint of planning: one predicate per object, shared by lists, details, documents and counts.

domain.md §6.2: plans and rounds are read by the committee, its leading group, office, discipline
commission and organisation department; a round filed (报备) with the upper committee is also
read there; a team reads its own assignments only; the inspected unit reads its own assignment
once the notice has gone out, and sees only the names of the leader and deputies.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from xuncha.core.actors import is_system, require_actor
from xuncha.core.models import Committee
from xuncha.core.permissions import Reach, committee_scope
from xuncha.core.roles import OFFICE_ROLES, THREE_ADMIN_ROLES, Role
from xuncha.planning.choices import ORDER, Approver, AssignmentState, TeamPost, TeamRole
from xuncha.planning.models import Assignment, Authorization, PoolMember, Round, Team, TeamMember

PLAN_READERS = frozenset(
    {
        Role.OFFICE_DIRECTOR,
        Role.OFFICE_ADMIN,
        Role.OFFICE_STAFF,
        Role.LEADING_GROUP,
        Role.COMMITTEE_MEMBER,
        Role.DISCIPLINE_ORG,
        Role.ORG_DEPT,
    }
)
UNIT_ROLES = frozenset({Role.UNIT_LEADER, Role.UNIT_LIAISON})
APPROVER_ROLES = {
    Approver.OFFICE: OFFICE_ROLES,
    Approver.LEADING_GROUP: frozenset({Role.LEADING_GROUP}),
    Approver.COMMITTEE: frozenset({Role.COMMITTEE_MEMBER}),
}
NOTIFIED_OR_LATER = ORDER[ORDER.index(AssignmentState.NOTIFIED) :]


def own_committee_ids(user: Any, roles: frozenset[str] = PLAN_READERS) -> set[int]:
    """Committees where the user holds one of `roles` directly (not those below): ADR 0018."""
    return committee_scope(user, roles, Reach.OWN)


def _below_condition(user: Any, field: str) -> Q:
    """Committees strictly below the user's own ones (they see a lower round once it is filed)."""
    paths = Committee.objects.filter(id__in=own_committee_ids(user)).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__path__startswith": path}) & ~Q(**{f"{field}__path": path})
    return condition


def team_person_ids(user: Any) -> set[int]:
    """The people (pool entries) this account is linked to; none for a 三员 account, whatever is linked.

    The 三员 hold no business role (core.roles): even a link written past the services (a tampered
    database) gives them no team capacity. A link alone is no capacity either: see team_capacities."""
    if not getattr(user, "is_authenticated", False) or user.has_any_role(THREE_ADMIN_ROLES):
        return set()
    if "_pool_person_ids" not in user.__dict__:
        user.__dict__["_pool_person_ids"] = set(
            PoolMember.objects.filter(user=user).values_list("person_id", flat=True)
        )
    ids: set[int] = user.__dict__["_pool_person_ids"]
    return ids


def may_reveal_on_a_team(user: Any) -> bool:
    """True when the account belongs to the leader or the petition officer (信访岗) of any team: the
    capacities that may reveal a reporter (petitions.permissions.can_reveal), so they sign in with TOTP."""
    if getattr(user, "pk", None) is None:
        return False
    persons = PoolMember.objects.filter(user_id=user.pk).values("person_id")
    members = TeamMember.objects.filter(person_id__in=persons).values_list("role", "posts")
    return any(role == TeamRole.LEADER or TeamPost.PETITION in (posts or []) for role, posts in members)


def team_capacities(user: Any) -> dict[int, set[int]]:
    """Assignment id → the persons through which this user acts on that assignment's team (ADR 0014).

    A person counts only when all hold: the account is linked to the person (team_person_ids, so never
    for a 三员 account), the person is on the roster of the team the assignment now has (TeamMember),
    and the person holds the assignment's 一次一授权 (Authorization) dated today or earlier. The one
    definition behind every team capacity: petitions lists, counts and exports, reveals, team pages."""
    persons = team_person_ids(user)
    if not persons:
        return {}
    if "_team_capacities" not in user.__dict__:
        rows = Authorization.objects.filter(
            person_id__in=persons,
            authorized_on__lte=timezone.localdate(),
            assignment__team__members__person_id=F("person_id"),
        ).values_list("assignment_id", "person_id")
        found: dict[int, set[int]] = {}
        for assignment_id, person_id in rows:
            found.setdefault(assignment_id, set()).add(person_id)
        user.__dict__["_team_capacities"] = found
    capacities: dict[int, set[int]] = user.__dict__["_team_capacities"]
    return capacities


def acting_persons(user: Any, assignment: Assignment | None) -> set[int]:
    """The persons through which this user acts on `assignment`'s team (empty when none)."""
    if assignment is None or assignment.pk is None:
        return set()
    return team_capacities(user).get(assignment.pk, set())


def team_assignment_ids(user: Any) -> set[int]:
    """The assignments on which this user holds a team capacity."""
    return set(team_capacities(user))


def rounds_visible(user: Any) -> QuerySet[Round]:
    """Own committees' rounds; lower committees' rounds once filed; rounds the user's team serves in."""
    if not getattr(user, "is_authenticated", False):
        return Round.objects.none()
    condition = Q(committee_id__in=own_committee_ids(user))
    condition |= _below_condition(user, "committee") & Q(filed_at__isnull=False)
    team_ids = team_assignment_ids(user)
    if team_ids:
        condition |= Q(assignments__in=team_ids)
    return Round.objects.filter(condition).distinct()


def assignments_visible(user: Any) -> QuerySet[Assignment]:
    """Assignments of readable rounds (office side), of the user's own team, or of the user's unit once notified."""
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    condition = Q(round__committee_id__in=own_committee_ids(user))
    condition |= _below_condition(user, "round__committee") & Q(round__filed_at__isnull=False)
    team_ids = team_assignment_ids(user)
    if team_ids:
        condition |= Q(pk__in=team_ids)
    unit_paths = [g.organization.path for g in user.active_grants() if g.role in UNIT_ROLES and g.organization_id]
    for path in unit_paths:
        condition |= Q(organization__path__startswith=path, state__in=NOTIFIED_OR_LATER)
    return Assignment.objects.filter(condition).distinct()


def reads_as_office(user: Any, round_: Round) -> bool:
    """True when the user reads `round_` for a committee (its own, or an upper one after filing)."""
    own = own_committee_ids(user)
    if round_.committee_id in own:
        return True
    if round_.filed_at is None or not own:
        return False
    paths = Committee.objects.filter(id__in=own).values_list("path", flat=True)
    return any(round_.committee.path.startswith(path) for path in paths)


def is_unit_viewer(user: Any, assignment: Assignment) -> bool:
    """True when the user sees `assignment` only as the inspected unit (names of leader and deputies only)."""
    return not reads_as_office(user, assignment.round) and not is_team_member(user, assignment)


def is_team_member(user: Any, assignment: Assignment | None) -> bool:
    """True when the user acts on `assignment`'s team (on its roster and authorised for it)."""
    return bool(acting_persons(user, assignment))


def is_team_leader(user: Any, assignment: Assignment | None) -> bool:
    """True when the user acts on `assignment`'s team as its leader."""
    persons = acting_persons(user, assignment)
    return bool(
        assignment is not None
        and persons
        and TeamMember.objects.filter(
            team__assignments=assignment, person_id__in=persons, role=TeamRole.LEADER
        ).exists()
    )


def serves_team(user: Any, team: Team | None) -> bool:
    """True when the user acts on one of `team`'s assignments (reads the team's page)."""
    return bool(team and team.assignments.filter(pk__in=team_assignment_ids(user)).exists())


def can_manage(user: Any, committee_id: int) -> bool:
    """The office of the committee itself drafts and edits its plans, rounds, pools and teams."""
    return committee_id in own_committee_ids(user, OFFICE_ROLES)


def manages_pool(user: Any, committee: Committee) -> bool:
    """The office of the pool's committee, or of a committee above it, manages its entries' accounts."""
    return committee.pk in committee_scope(user, OFFICE_ROLES, Reach.OWN_AND_BELOW)


def acts_as(user: Any, committee_id: int, assignment: Assignment | None = None) -> set[str]:
    """The approver capacities (巡察办, 领导小组, 常委会, 组长) the user holds for this committee; a system
    actor (a command, a task, the demo loader) acts in every capacity, named as itself in the records."""
    if is_system(user):
        return set(Approver.values)
    capacities = {
        str(capacity) for capacity, roles in APPROVER_ROLES.items() if committee_id in own_committee_ids(user, roles)
    }
    if is_team_leader(user, assignment):
        capacities.add(Approver.TEAM_LEADER)
    return capacities


def pool_visible(user: Any) -> QuerySet[PoolMember]:
    """Pools are personnel files: the office of the committee and those above it, the leading group, 组织部."""
    roles = frozenset({*OFFICE_ROLES, Role.LEADING_GROUP, Role.ORG_DEPT})
    ids = own_committee_ids(user, roles)
    paths = Committee.objects.filter(id__in=ids).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(committee__path__startswith=path)
    return PoolMember.objects.filter(condition)


def serves_on_team(user: Any) -> bool:
    """Access capacity for team pages: the account acts on some assignment's team."""
    return bool(team_assignment_ids(user))


DECIDERS = frozenset({Approver.LEADING_GROUP, Approver.COMMITTEE})


def manage_check(actor: Any, committee_id: int, message: str = "只有本级巡察办可以办理。") -> None:
    """The services' chokepoint for planning writes: the office of the committee itself, or a named system
    actor (a command, a task, the demo loader). Checked before anything else, so an outsider learns
    nothing of the object's state."""
    require_actor(actor)
    if not is_system(actor) and not can_manage(actor, committee_id):
        raise PermissionDenied(message)


def office_read_check(actor: Any, round_: Round, message: str) -> None:
    """The round's office papers (work plan, team notice): the offices and departments that read as office."""
    require_actor(actor)
    if not is_system(actor) and not reads_as_office(actor, round_):
        raise PermissionDenied(message)


def decide_check(actor: Any, committee_id: int) -> None:
    """Recusal decisions: the leading group or the standing committee of the committee (or the system)."""
    require_actor(actor)
    if not acts_as(actor, committee_id) & DECIDERS:
        raise PermissionDenied("回避事项由领导小组或党委审批。")
