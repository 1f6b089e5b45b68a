"""The task worker survives transient database errors, and a stopped worker is noticed."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from xuncha.core import worker
from xuncha.core.management.commands.task_worker import ResilientWorker
from xuncha.core.todo import todos_for
from xuncha.core.worker import is_transient, retrying, task_backlog

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("could not serialize access")
        self.sqlstate = sqlstate


def _pg(sqlstate: str) -> DatabaseError:
    exc = OperationalError("could not serialize access due to concurrent update")
    exc.__cause__ = _PgError(sqlstate)
    return exc


def test_locks_serialization_failures_and_deadlocks_are_transient_and_nothing_else():
    assert is_transient(OperationalError("database is locked"))
    assert is_transient(_pg("40001")) and is_transient(_pg("40P01"))
    assert not is_transient(OperationalError("no such table: petitions_petition"))
    assert not is_transient(_pg("23505"))  # a unique violation is a real error
    assert not is_transient(ValueError("database is locked"))


def test_a_task_body_is_run_again_after_a_lock_and_a_real_error_is_not_retried(monkeypatch, transactional_db):
    monkeypatch.setattr(worker.time, "sleep", lambda s: None)
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert retrying(flaky)() == "done" and len(calls) == 3

    def broken() -> None:
        calls.append(1)
        raise OperationalError("no such column: x")

    calls.clear()
    with pytest.raises(OperationalError, match="no such column"):
        retrying(broken)()
    assert len(calls) == 1


def test_the_worker_loop_backs_off_after_a_lock_instead_of_exiting(monkeypatch, db):
    runs = []

    def base_run(self) -> None:
        runs.append(1)
        if len(runs) < 3:
            raise OperationalError("database is locked")

    monkeypatch.setattr(db_worker.Worker, "run", base_run)
    monkeypatch.setattr("xuncha.core.management.commands.task_worker.time.sleep", lambda s: None)
    w = ResilientWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                        startup_delay=False, max_tasks=None, worker_id="t", excluded_queue_names=[])  # fmt: skip
    w.run()
    assert len(runs) == 3

    def fatal(self) -> None:
        raise OperationalError("no such table: django_tasks_db_dbtaskresult")

    monkeypatch.setattr(db_worker.Worker, "run", fatal)
    with pytest.raises(OperationalError, match="no such table"):
        w.run()


@override_settings(TASKS=DB_TASKS)
def test_tasks_waiting_with_no_worker_warn_the_office_and_fail_the_health_command(personas):
    from xuncha.core.tasks import audit_checkpoint

    healthy = io.StringIO()
    call_command("task_health", stdout=healthy)
    assert "正常" in healthy.getvalue()
    audit_checkpoint.enqueue()
    assert task_backlog().healthy  # just enqueued: a worker has had no time yet
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        backlog = task_backlog()
        assert (backlog.waiting, backlog.healthy) == (1, False) and backlog.oldest_minutes >= 9
        with pytest.raises(CommandError, match="1 项任务已等待"):
            call_command("task_health")
        office = [t.title for t in todos_for(personas["city_office"])]
        assert "后台任务处理已停止" in office
        assert "后台任务处理已停止" in [t.title for t in todos_for(personas["sys_admin"])]
        assert "后台任务处理已停止" not in [t.title for t in todos_for(personas["discipline"])]
        # A worker that takes the task clears the warning (the row as the worker leaves it).
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status="READY").update(status="SUCCESSFUL", finished_at=timezone.now())
        assert task_backlog().healthy
