"""Who moves bundles: the office administrator (巡察办管理员) on either side, or the command line.

A bundle carries only sealed data, but its numbering and the return channel decide what the other side
sees, so moving one is a right of its own (the transfer page's rule is the same role)."""

from django.core.exceptions import PermissionDenied

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.core.roles import Role

MOVERS = frozenset({Role.OFFICE_ADMIN})


def may_move_bundles(actor: object) -> bool:
    """True for a system actor (a command, a task) or an office administrator."""
    if is_system(actor):
        return True
    return bool(getattr(actor, "is_authenticated", False) and actor.has_any_role(MOVERS))  # type: ignore[attr-defined]


def bundle_move_check(actor: Actor) -> None:
    """Refuse, in Chinese, anyone but the office administrator or the command line."""
    require_actor(actor)
    if not may_move_bundles(actor):
        raise PermissionDenied("只有巡察办管理员可以导出、导入数据包。")
