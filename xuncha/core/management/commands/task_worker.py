"""`db_worker` that survives transient database errors: the loop backs off and goes on instead of exiting."""

import logging
import time
from typing import Any

from django.db import DatabaseError, close_old_connections
from django_tasks_db.management.commands import db_worker

from xuncha.core.worker import is_transient

logger = logging.getLogger("xuncha.worker")


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        delay = 0.5
        while self.running:
            try:
                super().run()
                return  # batch or max-tasks mode finished
            except DatabaseError as exc:
                if not is_transient(exc):
                    raise
                logger.warning("任务进程遇到暂时性数据库错误，%.1f 秒后继续。", delay)
                close_old_connections()
                time.sleep(delay)
                delay = min(delay * 2, 30.0)


class Command(db_worker.Command):
    help = "运行后台任务进程（遇到数据库暂时锁定、序列化冲突时退避重试，不退出）。"

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
