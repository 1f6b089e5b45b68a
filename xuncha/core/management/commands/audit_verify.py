"""Verify the audit chain and name the first broken link (exit status 1 when broken)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from xuncha.core.audit import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链，指出第一处断裂"

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = audit_verify()
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"审计日志完好：共校验 {checked} 条记录。"))
            return
        self.stderr.write(
            self.style.ERROR(f"审计日志在第 {broken.seq} 条处断裂：{broken.reason}（此前 {checked} 条完好）。")
        )
        sys.exit(1)
