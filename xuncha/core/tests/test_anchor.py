"""Signed checkpoints outside the database catch what the chain alone cannot: a rewrite of the whole
chain from some row on (hashes and head recomputed) and a cut-back tail (docs/adr/0013)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus

from xuncha.core.anchor import AnchorRefused, anchor_verify, checkpoint_write, checkpoints_read
from xuncha.core.audit import GENESIS_HASH, audit_record, audit_verify, event_hash
from xuncha.core.models import AuditChainHead, AuditEvent
from xuncha.core.tasks import audit_checkpoint

EVENTS = AuditEvent._meta.db_table
HEAD = AuditChainHead._meta.db_table


@pytest.fixture
def chain(make_user):
    """Six events, the third a reveal of a reporter's identity by 张信访."""
    revealer = make_user("zhang_xinfang")
    other = make_user("li_other")
    audit_record(action="accounts.login", actor=revealer, summary="登录")
    audit_record(action="accounts.login", actor=other, summary="登录")
    audit_record(action="petitions.identity_reveal", actor=revealer, object_type="petitions.petition", object_id=7)
    for i in range(3):
        audit_record(action="config.param_set", actor=other, summary=f"第{i}次")
    return {"revealer": revealer, "other": other}


def _verify_command() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def _rewrite_from(seq: int, **changes: object) -> None:
    """What a database writer can do: change row `seq`, recompute every later hash and the head."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS_HASH
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            if event.seq == seq:
                for name, value in changes.items():
                    setattr(event, name, value)
            event.prev_hash = prev
            event.hash = event_hash(event)
            prev = event.hash
            cursor.execute(
                f"UPDATE {EVENTS} SET actor_id = %s, actor_label = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [event.actor_id, event.actor_label, event.prev_hash, event.hash, event.seq],
            )
        cursor.execute(f"UPDATE {HEAD} SET last_hash = %s WHERE id = 1", [prev])


def _cut_tail(keep: int) -> None:
    """Delete the events after `keep` and set the head back, so the chain alone is consistent."""
    last = AuditEvent.objects.get(seq=keep).hash
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE seq > %s", [keep])
        cursor.execute(f"UPDATE {HEAD} SET last_seq = %s, last_hash = %s WHERE id = 1", [keep, last])


def test_an_honest_chain_with_checkpoints_verifies(chain, audit_anchor_dir: Path) -> None:
    first = checkpoint_write()
    audit_record(action="config.param_set", summary="又一次")
    second = checkpoint_write()
    assert first is not None and second is not None and (first.seq, second.seq) == (6, 7)
    assert sorted(p.name for p in audit_anchor_dir.iterdir()) == ["000000000006.json", "000000000007.json"]
    report = anchor_verify()
    assert report.ok and report.checked == 2 and report.newest == 7
    code, output = _verify_command()
    assert code == 0, output
    assert "共 2 个" in output


def test_rewriting_the_whole_chain_after_a_reveal_is_caught(chain) -> None:
    checkpoint_write()
    other = chain["other"]
    _rewrite_from(3, actor_id=other.pk, actor_label=str(other))
    assert AuditEvent.objects.get(seq=3).actor_id == other.pk
    # The chain alone cannot tell: every hash and the head were recomputed.
    assert audit_verify() == (6, None)
    code, output = _verify_command()
    assert code == 1
    assert "第 6 条记录的哈希与检查点不一致" in output and "改写" in output


def test_a_rewrite_below_an_older_checkpoint_is_caught_by_it(chain) -> None:
    for _ in range(2):
        checkpoint_write()
        audit_record(action="config.param_set", summary="继续")
    _rewrite_from(2, actor_label="他人")
    problems = anchor_verify().problems
    assert {p.seq for p in problems} == {6, 7}


def test_deleting_the_last_events_is_caught(chain) -> None:
    checkpoint_write()
    _cut_tail(keep=4)
    assert audit_verify() == (4, None)
    report = anchor_verify()
    assert [(p.seq, "截断" in p.reason) for p in report.problems] == [(6, True)]
    code, output = _verify_command()
    assert code == 1 and "链尾 #4 低于检查点 #6" in output


def test_a_forged_checkpoint_is_reported(chain, audit_anchor_dir: Path) -> None:
    honest = checkpoint_write()
    assert honest is not None
    record = json.loads((audit_anchor_dir / honest.source).read_text())
    forged = {**record, "seq": 4, "hash": AuditEvent.objects.get(seq=4).hash}
    (audit_anchor_dir / "000000000004.json").write_text(json.dumps(forged))
    (audit_anchor_dir / "garbage.json").write_text("not json\n")
    report = anchor_verify()
    assert report.checked == 1
    reasons = {p.source: p.reason for p in report.problems}
    assert "签名无效" in reasons["000000000004.json"]
    assert "不是有效的检查点" in reasons["garbage.json"]
    code, output = _verify_command()
    assert code == 1 and "000000000004.json" in output


def test_a_checkpoint_signed_by_another_key_is_reported(chain, audit_anchor_dir: Path, settings, tmp_path) -> None:
    checkpoint_write()
    other_key = tmp_path / "other.key"
    other_key.write_text("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    settings.AUDIT_ANCHOR_KEY_FILE = str(other_key)
    assert [p.seq for p in anchor_verify().problems] == [6]


def test_no_checkpoint_is_signed_over_a_rewritten_or_cut_chain(chain, audit_anchor_dir: Path) -> None:
    checkpoint_write()
    audit_record(action="config.param_set", summary="未签")
    _rewrite_from(7, actor_label="他人")
    # An event not yet anchored can still be rewritten unnoticed: the window the checkpoint interval leaves.
    assert checkpoint_write() is not None
    _rewrite_from(5, actor_label="他人")
    with pytest.raises(AnchorRefused, match="改写"):
        checkpoint_write()
    _cut_tail(keep=3)
    with pytest.raises(AnchorRefused, match="截断"):
        checkpoint_write()
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit):
        call_command("audit_checkpoint", stdout=out, stderr=err)
    assert "截断" in err.getvalue()


def test_a_stored_checkpoint_is_never_replaced(chain, audit_anchor_dir: Path) -> None:
    first = checkpoint_write()
    assert first is not None
    assert checkpoint_write() is None  # nothing new
    path = audit_anchor_dir / first.source
    path.chmod(0o644)
    path.unlink()
    path.write_text("occupied")
    assert checkpoint_write() is None  # the name is taken: exclusive create, no overwrite
    assert path.read_text() == "occupied"


def test_the_task_and_the_command_write_checkpoints(chain, audit_anchor_dir: Path) -> None:
    result = audit_checkpoint.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 6
    audit_record(action="config.param_set", summary="再一次")
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert "第 7 条" in out.getvalue()
    found, problems = checkpoints_read()
    assert [c.seq for c in found] == [6, 7] and not problems


@pytest.mark.django_db(transaction=True)
def test_a_committed_event_queues_a_checkpoint(audit_anchor_dir: Path) -> None:
    audit_record(action="config.param_set", summary="提交后锚定")
    found, _ = checkpoints_read()
    assert [c.seq for c in found] == [1]
    assert anchor_verify().ok


def test_a_collector_extract_of_several_lines_verifies(chain, audit_anchor_dir: Path, tmp_path) -> None:
    lines = []
    for _ in range(2):
        checkpoint = checkpoint_write()
        assert checkpoint is not None
        lines.append(checkpoint.line())
        audit_record(action="config.param_set", summary="继续")
    extract = tmp_path / "collector"
    extract.mkdir()
    (extract / "syslog-extract.log").write_text("\n".join(lines) + "\n")
    assert anchor_verify(directory=extract).checked == 2
    out = StringIO()
    call_command("audit_verify", "--anchor-dir", str(extract), stdout=out)
    assert "共 2 个" in out.getvalue()


def test_the_deploy_check_asks_for_both_anchor_settings(settings) -> None:
    from xuncha.core.checks import audit_anchor_configured

    settings.AUDIT_ANCHOR_UNSET = ["XUNCHA_AUDIT_ANCHOR_DIR"]
    assert [w.id for w in audit_anchor_configured(None)] == ["xuncha.W003"]
    settings.AUDIT_ANCHOR_UNSET = []
    assert audit_anchor_configured(None) == []
