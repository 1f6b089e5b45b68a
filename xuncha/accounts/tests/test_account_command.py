"""The command that makes the first accounts of a deployment (and an intake node's administrator)."""

import io

import pytest
from django.core.management import CommandError, call_command

from xuncha.accounts.models import RoleGrant, User
from xuncha.core.models import AuditEvent


def test_an_account_with_its_role_is_made_from_the_command_line(committees, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("Xuncha-Initial-2024!\n")
    out = io.StringIO()
    call_command("account_create", "node_admin", "--name", "赵某", "--role", "office_admin",
                 "--committee", "长沙市委", "--password-file", str(secret), stdout=out)  # fmt: skip
    user = User.objects.get(username="node_admin")
    assert user.check_password("Xuncha-Initial-2024!") and user.full_name == "赵某"
    assert RoleGrant.objects.get(user=user).committee == committees["city"]
    assert "已创建账号 node_admin" in out.getvalue()
    assert AuditEvent.objects.filter(action__in=["accounts.user_create", "accounts.grant_add"]).count() == 2


def test_a_refused_account_leaves_nothing_behind(committees, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("Xuncha-Initial-2024!")
    with pytest.raises(CommandError, match="须指定所属派出党委"):
        call_command(
            "account_create", "half", "--name", "钱某", "--role", "office_admin", "--password-file", str(secret)
        )
    with pytest.raises(CommandError, match="找不到唯一的派出党委"):
        call_command("account_create", "half", "--name", "钱某", "--role", "office_admin", "--committee", "某县委",
                     "--password-file", str(secret))  # fmt: skip
    weak = tmp_path / "weak"
    weak.write_text("123")
    with pytest.raises(CommandError):
        call_command("account_create", "half", "--name", "钱某", "--role", "sys_admin", "--password-file", str(weak))
    assert not User.objects.filter(username="half").exists() and not RoleGrant.objects.exists()
