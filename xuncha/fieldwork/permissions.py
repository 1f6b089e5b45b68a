"""The access chokepoint of entry and on-site work: who publishes an announcement."""

from typing import Any

from django.core.exceptions import PermissionDenied

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.planning.models import Assignment
from xuncha.planning.permissions import can_manage, is_team_leader, is_team_member


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
