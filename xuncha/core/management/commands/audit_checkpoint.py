"""Sign the audit chain's head into the checkpoint store now (for cron beside the task worker)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from xuncha.core.anchor import AnchorRefused, checkpoint_write


class Command(BaseCommand):
    help = "为审计日志链尾签署库外检查点（docs/adr/0013）"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = checkpoint_write()
        except AnchorRefused as exc:
            self.stderr.write(self.style.ERROR(str(exc)))
            sys.exit(1)
        if checkpoint is None:
            self.stdout.write("链尾自上一个检查点以来没有变化，未写入新检查点。")
            return
        self.stdout.write(self.style.SUCCESS(f"已写入检查点：第 {checkpoint.seq} 条，{checkpoint.at}。"))
