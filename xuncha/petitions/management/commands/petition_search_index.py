"""Rebuild the blind search index of petitions (ADR 0019): manage.py petition_search_index."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuncha.core.actors import COMMAND_LINE
from xuncha.core.audit import audit_record
from xuncha.core.sealing import can_open
from xuncha.petitions.triage.search import search_index_rebuild


class Command(BaseCommand):
    help = "重建信访件检索索引（关键词散列，不保存明文）"

    def handle(self, *args: Any, **options: Any) -> None:
        if not can_open():
            raise CommandError("本节点没有内网私钥，无法重建检索索引，请在内网系统上执行。")
        count = search_index_rebuild()
        audit_record(action="petitions.search_index", actor=COMMAND_LINE, summary=f"重建信访件检索索引（{count} 件）")
        self.stdout.write(f"已重建 {count} 件信访件的检索索引。")
