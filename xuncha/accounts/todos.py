"""Home-page items of the accounts app."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.core.roles import Role
from xuncha.core.todo import Todo


def account_todos(user: Any) -> list[Todo]:
    """Locked accounts for the system administrator; a role-less account for its holder."""
    items: list[Todo] = []
    if not user.active_grants():
        items.append(Todo("您的账号尚未分配角色", "请联系安全保密管理员分配角色后再开展工作。", level="warning"))
    if user.has_any_role({Role.SYS_ADMIN}):
        locked = User.objects.filter(locked_until__gt=timezone.now()).count()
        if locked:
            items.append(
                Todo(
                    f"{locked} 个账号处于锁定状态",
                    "核实后可提前解除锁定。",
                    reverse("accounts:user_list") + "?locked=1",
                    "warning",
                )
            )
    return items
