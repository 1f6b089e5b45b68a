"""Export (on the intake node) or import (on the internal side) a signed petition bundle.

manage.py petition_bundle export FILE
manage.py petition_bundle reexport SEQ FILE   # make numbered bundle SEQ again (its file was lost)
manage.py petition_bundle import FILE
manage.py petition_bundle list                # exports on the intake node, imports and gaps inside
manage.py petition_bundle reply-export FILE [--full] [--announcements-only]   # inside: for the intake node
manage.py petition_bundle reply-import FILE   # on the intake node (also before its first account exists)
manage.py petition_bundle keys        # print new key pairs for a deployment
"""

import base64
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.core.actors import COMMAND_LINE
from xuncha.core.sealing import generate_key_pair
from xuncha.ferry.bundles import (
    bundle_export,
    bundle_import,
    bundle_reexport,
    bundles_missing,
    generate_signing_pair,
    record_transfer,
)
from xuncha.ferry.models import ExportedBundle, ImportedBundle
from xuncha.ferry.replies import reply_export, reply_import


class Command(BaseCommand):
    help = "信访数据包：受理节点导出、内网导入（单向传输）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["export", "reexport", "import", "list", "reply-export", "reply-import", "keys"]
        )
        parser.add_argument("operands", nargs="*", metavar="[SEQ] FILE")
        parser.add_argument("--full", action="store_true", help="回传数据包：全部重发（数据包遗失时）")
        parser.add_argument("--announcements-only", action="store_true", help="回传数据包：仅发布公告")

    def handle(self, *args: Any, **options: Any) -> None:
        action, rest = options["action"], list(options["operands"])
        try:
            if action == "keys":
                private, public = generate_key_pair()
                signing, verify = generate_signing_pair()
                self.stdout.write("内网：XUNCHA_PETITION_PRIVATE_KEY_FILE 文件内容（勿外传）：" + private)
                self.stdout.write("两端：XUNCHA_PETITION_PUBLIC_KEY=" + public)
                feature = base64.b64encode(secrets.token_bytes(32)).decode()
                self.stdout.write(
                    "内网：XUNCHA_PETITION_FEATURE_KEY_FILE 文件内容（勿外传，轮换密钥时保持不变）：" + feature
                )
                self.stdout.write("受理节点：XUNCHA_BUNDLE_SIGNING_KEY_FILE 文件内容（勿外传）：" + signing)
                self.stdout.write("内网：XUNCHA_BUNDLE_VERIFY_KEY=" + verify)
                reply_signing, reply_verify = generate_signing_pair()
                self.stdout.write(
                    "内网（答复回传，可选）：XUNCHA_REPLY_SIGNING_KEY_FILE 文件内容（勿外传）：" + reply_signing
                )
                self.stdout.write("受理节点（答复回传，可选）：XUNCHA_REPLY_VERIFY_KEY=" + reply_verify)
                return
            if action == "list":
                self._list()
                return
            if action == "reexport":
                if len(rest) != 2 or not rest[0].isdigit():
                    raise CommandError("用法：petition_bundle reexport 序号 文件")
                data, record = bundle_reexport(seq=int(rest[0]), actor=COMMAND_LINE)
                Path(rest[1]).write_bytes(data)
                self.stdout.write(self.style.SUCCESS(f"已重新导出第 {record.seq} 号数据包到 {rest[1]}。"))
                return
            if len(rest) != 1:
                raise CommandError("请指定文件。")
            file = rest[0]
            if action == "reply-export":
                data, replies = reply_export(
                    full=options["full"], views=not options["announcements_only"], actor=COMMAND_LINE
                )
                Path(file).write_bytes(data)
                self.stdout.write(
                    self.style.SUCCESS(f"已导出回传数据包第 {replies.seq} 号到 {file}：信访件 {replies.petitions} 件。")
                )
            elif action == "reply-import":
                published, applied, seq = reply_import(Path(file).read_bytes(), actor=COMMAND_LINE)
                self.stdout.write(
                    self.style.SUCCESS(f"已导入回传数据包第 {seq} 号：公告 {published} 份，更新信访件 {applied} 件。")
                )
            elif action == "export":
                data, sent = bundle_export(actor=COMMAND_LINE)
                Path(file).write_bytes(data)
                self.stdout.write(self.style.SUCCESS(f"已导出第 {sent.seq} 号数据包到 {file}：{sent.counts()}。"))
            else:
                got = bundle_import(Path(file).read_bytes(), actor=COMMAND_LINE)
                if got.total:
                    self.stdout.write(self.style.SUCCESS(f"已导入数据包 {got.bundle}：{got.counts()}。"))
                else:
                    self.stdout.write(f"数据包 {got.bundle} 已导入过或没有新内容，未重复导入。")
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    def _list(self) -> None:
        for record in ExportedBundle.objects.order_by("seq"):
            self.stdout.write(
                f"导出 第 {record.seq} 号 {record.created_at:%Y-%m-%d %H:%M} {record_transfer(record).counts()}"
            )
        for imported in ImportedBundle.objects.order_by("imported_at"):
            number = f"第 {imported.seq} 号" if imported.seq else "（无序号）"
            self.stdout.write(f"导入 {number} {imported.imported_at:%Y-%m-%d %H:%M} {imported.items} 条")
        missing = bundles_missing()
        if missing:
            self.stdout.write(self.style.WARNING("尚未导入：" + "、".join(f"第 {n} 号" for n in missing)))
