"""Who performs a service: a signed-in person, or an explicit system actor (a command, a task, the demo).

No service takes `None` for "anyone": a command or task names itself with a `SystemActor`, which the
audit chain records by name and which holds no role, so it passes only the checks that say so.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class SystemActor:
    """A non-person actor, recorded by its Chinese name; never authenticated, never a role holder."""

    name: str
    is_authenticated = False
    pk = None

    def __str__(self) -> str:
        return f"系统：{self.name}"

    def active_grants(self) -> list[Any]:
        return []


Actor = AbstractBaseUser | SystemActor

DEMO = SystemActor("演示数据加载")
MIGRATION = SystemActor("数据迁移")
TASK_QUEUE = SystemActor("后台任务")
COMMAND_LINE = SystemActor("管理命令")


def is_system(actor: object) -> bool:
    """True for an explicit system actor."""
    return isinstance(actor, SystemActor)


def require_actor(actor: object) -> None:
    """Refuse a missing actor: every write names who performs it."""
    if actor is None:
        raise PermissionDenied("未指明操作人，操作被拒绝。")


def account_of(actor: object) -> Any:
    """The account to store in a `created_by`-style column: the user, or None for a system actor."""
    return None if actor is None or isinstance(actor, SystemActor) else actor
