"""Verify the audit chain and its signed checkpoints; name every break (exit status 1 when broken)."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xuncha.core.anchor import anchor_dir, anchor_verify
from xuncha.core.audit import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链及库外签名检查点，指出断裂、改写和截断"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor-dir", type=Path, help="检查点目录（默认 XUNCHA_AUDIT_ANCHOR_DIR；也可指向从日志收集端导出的副本）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = audit_verify()
        failed = broken is not None
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"审计日志哈希链完好：共校验 {checked} 条记录。"))
        else:
            self.stderr.write(
                self.style.ERROR(f"审计日志在第 {broken.seq} 条处断裂：{broken.reason}（此前 {checked} 条完好）。")
            )
        directory = options["anchor_dir"] or anchor_dir()
        report = anchor_verify(directory=directory)
        for problem in report.problems:
            where = f"检查点 {problem.source}：" if problem.source else ""
            self.stderr.write(self.style.ERROR(f"{where}{problem.reason}。"))
        if report.problems:
            failed = True
        elif report.checked:
            self.stdout.write(
                self.style.SUCCESS(f"库外检查点完好：共 {report.checked} 个，最新为第 {report.newest} 条。")
            )
        elif checked:
            self.stdout.write(self.style.WARNING(f"检查点目录 {directory} 中尚无检查点：整链改写无法被发现。"))
        if failed:
            sys.exit(1)
