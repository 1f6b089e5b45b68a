"""Create an account with one role from the command line: the first administrators of a new
deployment, and the office administrator of an intake node (which has no user pages).

manage.py account_create USERNAME --name 姓名 --role office_admin --committee 长沙市委 [--password-file F]
manage.py account_create USERNAME --name 姓名 --role unit_liaison --org ORG_CODE
manage.py account_create USERNAME --name 姓名 --role sys_admin
"""

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from xuncha.accounts.services import role_grant_add, user_create
from xuncha.core.actors import COMMAND_LINE
from xuncha.core.models import Committee
from xuncha.core.roles import Role
from xuncha.orgs.models import Organization


class Command(BaseCommand):
    help = "创建账号并授予一个角色（新部署的首批管理员、受理节点的巡察办管理员）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="姓名")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--committee", help="派出党委的名称或简称（党委角色）")
        parser.add_argument("--org", help="单位编码（单位角色）")
        parser.add_argument("--password-file", help="从文件读取初始密码（不指定则在终端输入）")

    def handle(self, *args: Any, **options: Any) -> None:
        committee = self._committee(options["committee"]) if options["committee"] else None
        organization = self._organization(options["org"]) if options["org"] else None
        password = self._password(options["password_file"])
        try:
            with transaction.atomic():
                user = user_create(
                    actor=COMMAND_LINE, username=options["username"], full_name=options["name"], password=password
                )
                grant = role_grant_add(
                    actor=COMMAND_LINE, user=user, role=options["role"], committee=committee, organization=organization
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建账号 {user.username}，授予：{grant}。"))

    def _committee(self, name: str) -> Committee:
        found = list(Committee.objects.filter(Q(name=name) | Q(short_name=name))[:2])
        if len(found) != 1:
            raise CommandError(f"找不到唯一的派出党委“{name}”（请使用全称）。")
        return found[0]

    def _organization(self, code: str) -> Any:

        org = Organization.objects.filter(org_code=code).first()
        if org is None:
            raise CommandError(f"找不到单位编码为“{code}”的单位。")
        return org

    def _password(self, path: str | None) -> str:
        if path:
            return Path(path).read_text().strip()
        first = getpass.getpass("初始密码：")
        if first != getpass.getpass("再次输入：") or not first:
            raise CommandError("两次输入的密码不一致或为空。")
        return first
