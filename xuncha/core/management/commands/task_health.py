"""Exit non-zero when no task worker is taking tasks (for a monitor or a systemd health check)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuncha.core.worker import task_backlog


class Command(BaseCommand):
    help = "检查后台任务进程：有任务超时未处理或执行中断时以非零状态退出。"

    def handle(self, *args: Any, **options: Any) -> None:
        backlog = task_backlog()
        if backlog is None:
            self.stdout.write("后台任务不使用数据库队列，由所配置的任务队列自行监控。")
            return
        if not backlog.healthy:
            raise CommandError(
                f"后台任务处理异常：{backlog.waiting} 项任务已等待 {backlog.oldest_minutes} 分钟未处理，"
                f"{backlog.stuck} 项任务执行中断。请检查并重启任务进程（manage.py task_worker）。"
            )
        self.stdout.write("后台任务进程正常。")
