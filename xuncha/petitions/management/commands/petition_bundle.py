"""Export (on the intake node) or import (on the internal side) a signed petition bundle.

manage.py petition_bundle export FILE
manage.py petition_bundle import FILE
manage.py petition_bundle keys        # print new key pairs for a deployment
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.petitions.bundles import bundle_export, bundle_import, generate_signing_pair
from xuncha.petitions.sealing import generate_key_pair


class Command(BaseCommand):
    help = "信访数据包：受理节点导出、内网导入（单向传输）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import", "keys"])
        parser.add_argument("file", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        action, file = options["action"], options["file"]
        try:
            if action == "keys":
                private, public = generate_key_pair()
                signing, verify = generate_signing_pair()
                self.stdout.write("内网：XUNCHA_PETITION_PRIVATE_KEY_FILE 文件内容（勿外传）：" + private)
                self.stdout.write("两端：XUNCHA_PETITION_PUBLIC_KEY=" + public)
                self.stdout.write("受理节点：XUNCHA_BUNDLE_SIGNING_KEY_FILE 文件内容（勿外传）：" + signing)
                self.stdout.write("内网：XUNCHA_BUNDLE_VERIFY_KEY=" + verify)
                return
            if not file:
                raise CommandError("请指定文件。")
            if action == "export":
                data, sent = bundle_export()
                Path(file).write_bytes(data)
                self.stdout.write(self.style.SUCCESS(f"已导出到 {file}：{sent.counts()}。"))
            else:
                got = bundle_import(Path(file).read_bytes())
                if got.total:
                    self.stdout.write(self.style.SUCCESS(f"已导入数据包 {got.bundle}：{got.counts()}。"))
                else:
                    self.stdout.write(f"数据包 {got.bundle} 已导入过或没有新内容，未重复导入。")
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
