"""Home-page items of the accounts app."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.models import CredentialReset, ResetStatus, User
from xuncha.core.roles import Role
from xuncha.core.todo import Todo, posts_for


def account_todos(user: Any) -> list[Todo]:
    """Locked accounts for the system administrator; pending resets for the security administrator;
    a role-less account for its holder."""
    items: list[Todo] = []
    if not user.active_grants() and not posts_for(user):
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
    if user.has_any_role({Role.SEC_ADMIN}):
        pending = CredentialReset.objects.filter(status=ResetStatus.PENDING, expires_at__gt=timezone.now()).count()
        if pending:
            items.append(
                Todo(
                    f"{pending} 个账号重置申请待审批",
                    "核实申请事由和本人身份后批准或驳回；批准后临时密码只显示一次。",
                    reverse("accounts:reset_list"),
                    "warning",
                )
            )
    return items
