"""The task worker's resilience: transient database errors are retried, and a stopped worker is noticed.

SQLite answers "database is locked" when another connection holds the write lock past the busy
timeout; PostgreSQL refuses a transaction with a serialization failure (40001) or a deadlock (40P01).
Both are retried with backoff, in the task (`retrying`) and in the worker's own loop (`task_worker`).
A worker that has stopped shows as tasks waiting past their time (`task_backlog`): the `task_health`
command exits non-zero on it and the offices' home page warns.
"""

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger("xuncha.worker")

TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock detected
LOCKED_MESSAGES = ("database is locked", "database table is locked")
STALE_AFTER = timedelta(minutes=3)  # a task waiting this long past its time means no worker is taking them
STUCK_AFTER = timedelta(minutes=30)  # a task running this long means its worker died under it


def is_transient(exc: BaseException) -> bool:
    """True for a database error that a retry may clear (a lock, a serialization failure, a deadlock)."""
    if not isinstance(exc, DatabaseError):
        return False
    if any(m in str(exc) for m in LOCKED_MESSAGES):
        return True
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return state in TRANSIENT_SQLSTATES


def retrying[**P, T](func: Callable[P, T], attempts: int = 6, delay: float = 0.25) -> Callable[P, T]:
    """Run `func` again after a transient database error, with exponential backoff (not inside an atomic
    block: a task's body is its own unit of work)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(attempts):
            try:
                return func(*args, **kwargs)
            except DatabaseError as exc:
                if attempt == attempts - 1 or not is_transient(exc) or connection.in_atomic_block:
                    raise
                logger.warning("任务 %s 遇到暂时性数据库错误（第 %d 次），稍后重试。", func.__name__, attempt + 1)
                close_old_connections()
                time.sleep(delay * 2**attempt)
        raise AssertionError("unreachable")

    return wrapper


@dataclass(frozen=True)
class Backlog:
    waiting: int  # tasks whose time has come more than STALE_AFTER ago and that no worker took
    oldest_minutes: int
    stuck: int  # tasks claimed longer than STUCK_AFTER ago and not finished

    @property
    def healthy(self) -> bool:
        return not self.waiting and not self.stuck


def task_backlog() -> Backlog | None:
    """What the task queue shows of its workers, or None when tasks do not run on the database backend."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    ready = DBTaskResult.objects.filter(status="READY")
    overdue = ready.filter(run_after__lt=now - STALE_AFTER).exclude(run_after=get_date_max())
    waiting_since = ready.filter(run_after=get_date_max(), enqueued_at__lt=now - STALE_AFTER)
    oldest = min(
        [t for t in (overdue.order_by("run_after").values_list("run_after", flat=True).first(),
                     waiting_since.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()) if t],
        default=None,
    )  # fmt: skip
    stuck = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=now - STUCK_AFTER).count()
    minutes = int((now - oldest).total_seconds() // 60) if oldest else 0
    return Backlog(waiting=overdue.count() + waiting_since.count(), oldest_minutes=minutes, stuck=stuck)


def worker_todos(user: Any) -> list[Any]:
    """A warning on the offices' and the system administrator's home page when no worker takes tasks."""
    from xuncha.core.roles import OFFICE_ROLES, Role
    from xuncha.core.todo import Todo

    if not user.has_any_role({*OFFICE_ROLES, Role.SYS_ADMIN}):
        return []
    backlog = task_backlog()
    if backlog is None or backlog.healthy:
        return []
    detail = (
        f"{backlog.waiting} 项后台任务已等待 {backlog.oldest_minutes} 分钟未处理"
        + (f"，{backlog.stuck} 项任务执行中断" if backlog.stuck else "")
        + "：新收到的网上信访的办理时限、重复件比对等尚未完成。请系统管理员检查并重启任务进程（manage.py task_worker）。"
    )
    return [Todo("后台任务处理已停止", detail, level="danger")]
