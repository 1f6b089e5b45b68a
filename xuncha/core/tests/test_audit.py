"""The audit chain catches edited, deleted and truncated rows."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from xuncha.core.audit import audit_record, audit_verify
from xuncha.core.models import AuditEvent


@pytest.fixture
def chain(db: object) -> list[AuditEvent]:
    return [audit_record(action="test.event", summary=f"第{i}条", data={"n": i}) for i in range(1, 6)]


def test_an_untouched_chain_verifies(chain: list[AuditEvent]) -> None:
    checked, broken = audit_verify()
    assert checked == 5
    assert broken is None
    assert chain[1].prev_hash == chain[0].hash


def test_editing_a_row_directly_in_the_database_is_caught(chain: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET summary = %s WHERE seq = %s", ["篡改", 3])
    checked, broken = audit_verify()
    assert broken is not None
    assert broken.seq == 3
    assert checked == 2
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify", stdout=out, stderr=out)
    assert exit_info.value.code == 1
    assert "第 3 条" in out.getvalue()


def test_rewriting_a_row_and_its_hash_breaks_the_next_link(chain: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET hash = %s WHERE seq = %s", ["f" * 64, 2])
    _, broken = audit_verify()
    assert broken is not None and broken.seq == 2


def test_deleting_a_middle_row_is_caught(chain: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = %s", [4])
    _, broken = audit_verify()
    assert broken is not None and broken.seq == 4
    assert "删除" in broken.reason


def test_deleting_the_last_row_is_caught(chain: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = %s", [5])
    _, broken = audit_verify()
    assert broken is not None and broken.seq == 5


def test_the_verify_command_reports_success(chain: list[AuditEvent]) -> None:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "5" in out.getvalue() and "完好" in out.getvalue()


def test_audit_rows_refuse_orm_updates(chain: list[AuditEvent]) -> None:
    event = chain[0]
    event.summary = "改"
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
