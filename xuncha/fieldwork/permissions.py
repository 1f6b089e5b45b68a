"""The access chokepoint of entry and on-site work: who publishes an announcement, who writes and reads the
on-site records."""

from typing import Any

from django.core.exceptions import PermissionDenied

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.core.roles import Role
from xuncha.fieldwork.choices import RESPONDER, TEAM, TEAM_LEADER
from xuncha.planning.choices import AssignmentState
from xuncha.planning.models import Assignment
from xuncha.planning.permissions import can_manage, is_team_leader, is_team_member, own_committee_ids


def may_publish(user: Any, assignment: Assignment) -> bool:
    """The office of the round's committee or the assignment's team leader publishes its 公告."""
    return can_manage(user, assignment.round.committee_id) or is_team_leader(user, assignment)


def publish_check(actor: Actor, assignment: Assignment) -> None:
    """Refuse (in Chinese) unless `actor` may publish `assignment`'s announcement, or is a system actor."""
    require_actor(actor)
    if not is_system(actor) and not may_publish(actor, assignment):
        raise PermissionDenied("公告由巡察办或本组组长发布。")


def may_read(user: Any, assignment: Assignment) -> bool:
    """The announcement's files and the survey's aggregate: the managing office and the whole team."""
    return can_manage(user, assignment.round.committee_id) or is_team_member(user, assignment)


# On-site records (domain.md §6.2): the assignment's team writes and reads them; the office of the round's
# committee reads them as the archive; nobody else (the unit, other teams, 纪委/组织部, the 三员).
ONSITE_STATES = frozenset({AssignmentState.ENTERED, AssignmentState.ON_SITE})


def may_read_onsite(user: Any, assignment: Assignment) -> bool:
    """The whole team of the assignment, and the managing office (read-only, the archive)."""
    return is_team_member(user, assignment) or can_manage(user, assignment.round.committee_id)


def onsite_read_check(actor: Actor, assignment: Assignment) -> None:
    """Refuse (in Chinese) a reader outside the team and the managing office."""
    require_actor(actor)
    if not is_system(actor) and not may_read_onsite(actor, assignment):
        raise PermissionDenied("现场工作记录仅限本组巡察人员和巡察办查阅。")


def team_capacities_on(actor: Actor, assignment: Assignment) -> set[str]:
    """The capacities on the on-site machines: 本组巡察人员, 本组组长 (a system actor acts in both)."""
    if is_system(actor):
        return {TEAM, TEAM_LEADER}
    capacities = set()
    if is_team_member(actor, assignment):
        capacities.add(TEAM)
    if is_team_leader(actor, assignment):
        capacities.add(TEAM_LEADER)
    return capacities


def onsite_write_check(actor: Actor, assignment: Assignment, *, leader: bool = False) -> None:
    """Refuse (in Chinese) unless `actor` acts on the team (as its leader when `leader`), or is a system
    actor; checked before anything else, so an outsider learns nothing of the assignment's state."""
    require_actor(actor)
    needed = TEAM_LEADER if leader else TEAM
    if needed not in team_capacities_on(actor, assignment):
        raise PermissionDenied("此项由本组组长办理。" if leader else "现场工作记录由本组巡察人员填写。")


def may_answer_urgent(user: Any, assignment: Assignment) -> bool:
    """The office or the leading group of the round's committee records the answer to a 请示报告."""
    committee_id = assignment.round.committee_id
    return can_manage(user, committee_id) or committee_id in own_committee_ids(user, frozenset({Role.LEADING_GROUP}))


def urgent_read_check(actor: Actor, assignment: Assignment) -> None:
    """A 请示报告 is read by the team, the office and the leading group it went to."""
    require_actor(actor)
    if not (is_system(actor) or may_read_onsite(actor, assignment) or may_answer_urgent(actor, assignment)):
        raise PermissionDenied("请示报告仅限本组、巡察办和领导小组查阅。")


def urgent_answer_check(actor: Actor, assignment: Assignment) -> set[str]:
    """The capacities of `actor` on the 请示报告 machine (refused in Chinese when none)."""
    require_actor(actor)
    if is_system(actor) or may_answer_urgent(actor, assignment):
        return {RESPONDER}
    raise PermissionDenied("请示报告的批示意见由巡察办或领导小组录入。")
