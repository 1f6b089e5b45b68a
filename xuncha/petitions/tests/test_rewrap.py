"""Key rotation, the data side: every sealed column and file is rewrapped to the current key, from the
task queue and the command, and what no key opens is counted and left alone."""

import base64
import io
import logging
from datetime import date

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core import sealing
from xuncha.core.actors import COMMAND_LINE
from xuncha.core.models import AuditEvent
from xuncha.core.uploads import check
from xuncha.ferry.bundles import bundle_export, bundle_import
from xuncha.ferry.replies import PURPOSE as VIEW_PURPOSE
from xuncha.petitions.choices import SourceRequirement
from xuncha.petitions.intake.receipts import reporter_key
from xuncha.petitions.intake.services import note_add, petition_process, petition_submit, reporter_add, team_reply
from xuncha.petitions.models import IncomingReferral, Petition, PetitionNote, PetitionSignature, Referral, ReporterView
from xuncha.petitions.rotation import key_status, rewrap, rotated_columns
from xuncha.petitions.tasks import petition_rewrap
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.leaks import found, kept_logs
from xuncha.petitions.tests.test_rotation import SECRETS, WHAT, _id, _key


def test_every_column_sealed_to_the_internal_key_is_rewrapped():
    """Every binary column named sealed* is a SealedField (so rotation finds it), or sealed to a reporter."""
    sealed = {
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.BinaryField) and f.name.startswith("sealed")
    }
    assert sealed == {(c.model, c.field) for c in rotated_columns()} | {(ReporterView, "sealed")}


def test_a_sealed_column_added_by_any_app_is_found_through_the_registry_without_being_listed():
    from xuncha.core.sealed_fields import SealedField

    class LaterStageRecord(models.Model):
        sealed_record = SealedField("后续阶段的密文", purpose="later_stage")

        class Meta:
            app_label = "core"
            managed = False

    try:
        found = {(c.model, c.field, c.purpose, c.label) for c in rotated_columns()}
        assert (LaterStageRecord, "sealed_record", "later_stage", "后续阶段的密文") in found
    finally:
        del apps.all_models["core"]["laterstagerecord"]
        apps.clear_cache()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_sealed_value_opens_only_on_request_and_never_prints_its_content(team_world):
    petition, _ = petition_submit(announcement=team_world["announcement"], content={"what": WHAT})
    stored = Petition.objects.get(pk=petition.pk).sealed_content
    assert WHAT not in repr(stored) and WHAT not in str(stored) and "content" in repr(stored)
    assert WHAT.encode() not in bytes(stored)
    assert stored.open()["what"] == WHAT


def _world(team_world, old_public: X25519PublicKey) -> tuple[Petition, Petition]:
    """Every sealed column of every table filled, sealed to the key in use; one value still in version 1."""
    leader = team_world["leader"]
    petition, code = petition_submit(
        announcement=team_world["announcement"],
        content={"subject_name": "郑某", "what": WHAT},
        identity={"name": SECRETS["reporter name"], "phone": SECRETS["reporter phone"]},
        attachments=[check("材料.pdf", b"%PDF-1.7\n% " + SECRETS["attachment"].encode())],
    )
    petition_process(petition.pk)
    reporter_add(petition=petition, text=SECRETS["addition"])
    team_reply(actor=leader, petition=petition, text=SECRETS["reply"])
    note_add(actor=leader, petition=petition, text=SECRETS["note"])
    Referral.objects.create(
        petition=petition,
        receiver="市住建局",
        letter_no="长巡转〔2024〕1号",
        sent_on=date(2024, 10, 15),
        due_on=date(2024, 11, 15),
        sealed_result=sealing.seal(SECRETS["referral result"], "referral_result"),
    )
    second, _ = petition_submit(
        announcement=team_world["announcement"], content={"what": SECRETS["second petition"] + "，情节恶劣。"}
    )
    petition_process(second.pk)
    IncomingReferral.objects.create(
        petition=second,
        source_office="市纪委监委信访室",
        letter_no="长纪信转〔2024〕7号",
        requirement=SourceRequirement.RESULT,
        sealed_report=sealing.seal(SECRETS["incoming report"], "incoming_report"),
    )
    PetitionNote.objects.create(petition=second, sealed_body=sealing.seal_to(old_public, SECRETS["old note"], "note"))
    view = sealing.seal_to(reporter_key(code).public_key(), {"status": "办理中"}, VIEW_PURPOSE)
    ReporterView.objects.create(petition=petition, sealed=view, made_at=timezone.now())
    _onsite_sealed(team_world)
    _lead_sealed(team_world)
    return petition, second


def _onsite_sealed(team_world) -> None:
    """Fieldwork's sealed columns: an interview record, an urgent report with its answer."""
    from xuncha.core.tests.setup import SETUP
    from xuncha.fieldwork.interviews import interview_record, interview_subject_add
    from xuncha.fieldwork.weekly import urgent_answer, urgent_report_send
    from xuncha.planning.models import TeamMember

    a = team_world["assignment"]
    team = [m.person for m in TeamMember.objects.filter(team__assignments=a).select_related("person")]
    subject = interview_subject_add(actor=SETUP, assignment=a, name="某甲", title="某")
    interview_record(actor=SETUP, subject=subject, held_on=date(2024, 10, 9), interviewers=team, recorder=team[0],
                     text="谈话内容", confirmed=True)  # fmt: skip
    report = urgent_report_send(actor=SETUP, assignment=a, matter="other", addressee="leading_group", content="某")
    urgent_answer(actor=SETUP, report=report, answer="批示")


# The sealed values `_world` leaves: 10 of petitions, 3 of fieldwork (interview, urgent report and its answer),
# 5 of a problem lead (content, subjects, remarks, result, transfer materials).
SEALED_IN_WORLD = 10 + 3 + 5
# The rows holding them: two petitions, two messages, two notes, one of each other petition record; an interview
# record and an urgent report; a lead and its transfer.
ROWS_IN_WORLD = 9 + 2 + 2


def _lead_sealed(team_world) -> None:
    """Findings' sealed columns: one problem lead reported back (content, subjects, remarks, result, materials)."""
    from xuncha.core.tests.setup import SETUP
    from xuncha.findings.tests.leads_world import register, walk

    world = {"assignment": team_world["assignment"], "leader": SETUP, "director": SETUP, "personas": {}}
    walk(world, register(world, actor=SETUP), "concluded", letter="测线移〔2024〕99号")


def _stored() -> dict[tuple[str, int], bytes]:
    return {
        (c.label, pk): bytes(blob)
        for c in rotated_columns()
        for pk, blob in c.model._default_manager.values_list("pk", c.field)
        if blob is not None
    }


def _opened() -> dict[tuple[str, int], bytes]:
    purposes = {c.label: c.purpose for c in rotated_columns()}
    return {where: sealing.open_raw(blob, purposes[where[0]]) for where, blob in _stored().items()}


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_rewrap_reseals_everything_then_the_old_key_can_go_and_a_second_run_changes_nothing(team_world, ring):
    a, a_pub = _key()
    b, b_pub = _key()
    ring(a)
    _world(team_world, a_pub)
    view_before = bytes(ReporterView.objects.get().sealed)
    plain = _opened()
    assert {label for label, _ in plain} == {
        c.label for c in rotated_columns()
    }  # every column of every table is filled
    signatures = dict(PetitionSignature.objects.values_list("petition_id", "minhash"))

    ring(b, a)
    status = {s.column.label: s for s in key_status()}
    assert status["内部备注"].unnamed == 1 and status["内部备注"].by_key == {_id(a_pub).hex(): 1}
    assert status["信访件·反映内容"].by_key == {_id(a_pub).hex(): 2}
    assert status["信访件·身份信息"].by_key == {_id(a_pub).hex(): 1}  # the second petition is anonymous
    out = io.StringIO()
    call_command("petition_keys", "status", stdout=out)
    assert f"已退役 {_id(a_pub).hex()}" in out.getvalue() and "旧格式（无密钥标识）1 个" in out.getvalue()
    assert f"尚有 {SEALED_IN_WORLD} 个密文未封装到当前密钥" in out.getvalue()

    audits = AuditEvent.objects.filter(action="petitions.keys_rewrap")
    with kept_logs("", "django.db.backends", level=logging.DEBUG) as logs, CaptureQueriesContext(connection) as queries:
        result = rewrap(batch_size=1, actor=COMMAND_LINE)
    assert sum(result.rewrapped.values()) == len(plain) == SEALED_IN_WORLD and not result.unreadable
    # One audit event per batch (a batch of one row here), with counts only.
    assert audits.count() == result.batches == ROWS_IN_WORLD  # a batch of one row each
    # Tables go in registry order (fieldwork's before petitions', findings' after): the petitions' batches in turn.
    summaries = [e.summary for e in audits.order_by("seq") if "：信访件第" in e.summary]
    assert summaries[0].startswith("信访密文换钥：信访件第 1 批") and summaries[1].startswith(
        "信访密文换钥：信访件第 2 批"
    )
    for event in audits:
        assert event.object_id == _id(b_pub).hex() and found(event.summary + str(event.data), SECRETS) == []
    # No plaintext reached a log or a statement: neither as text nor as the bytes of a parameter.
    assert logs.leaks(SECRETS) == []
    assert found("\n".join(q["sql"] for q in queries.captured_queries), SECRETS) == []
    sql_params = [
        bytes(getattr(p, "obj", p))
        for r in logs.records
        if r.name == "django.db.backends" and isinstance(r.args, tuple) and len(r.args) > 2
        if isinstance(r.args[2], list | tuple)
        for p in r.args[2]
        if isinstance(getattr(p, "obj", p), bytes | memoryview)
    ]
    assert sql_params and all(found(p, SECRETS) == [] for p in sql_params)

    stored = _stored()
    assert all(blob[:9] == b"\x02" + _id(b_pub) for blob in stored.values())
    assert _opened() == plain  # the very bytes that were sealed
    assert bytes(ReporterView.objects.get().sealed) == view_before  # the reporter's key: never touched
    assert dict(PetitionSignature.objects.values_list("petition_id", "minhash")) == signatures

    # A second run: nothing to do, nothing written, no audit event.
    again = rewrap(batch_size=1, actor=COMMAND_LINE)
    assert not again.rewrapped and again.batches == 0 and audits.count() == ROWS_IN_WORLD
    assert _stored() == stored
    out = io.StringIO()
    call_command("petition_keys", "rewrap", stdout=out)
    assert "没有需要重新封装的密文" in out.getvalue() and _stored() == stored

    ring(b)  # the retired key removed from the file: every sealed column of every table still opens
    assert _opened() == plain
    out = io.StringIO()
    call_command("petition_keys", "status", stdout=out)
    assert "全部密文都已封装到当前密钥" in out.getvalue() and _id(a_pub).hex() not in out.getvalue()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_rewrap_from_the_task_queue_and_the_command(team_world, ring):
    a, a_pub = _key()
    b, b_pub = _key()
    ring(a)
    _world(team_world, a_pub)
    ring(b, a)
    counts = petition_rewrap.call(batch_size=3)
    assert counts["key_id"] == _id(b_pub).hex() and sum(counts["rewrapped"].values()) == SEALED_IN_WORLD
    assert counts["batches"] == AuditEvent.objects.filter(action="petitions.keys_rewrap").count()
    assert petition_rewrap.call()["rewrapped"] == {}

    c, c_pub = _key()
    ring(c, b)
    out = io.StringIO()
    call_command("petition_keys", "rewrap", "--queue", stdout=out)  # the test settings run tasks at once
    assert "已交任务队列" in out.getvalue()
    assert all(blob[1:9] == _id(c_pub) for blob in _stored().values())
    ring(b, c)  # back to B as current, by the command this time
    out = io.StringIO()
    call_command("petition_keys", "rewrap", "--batch-size", "2", stdout=out)
    assert "已重新封装到当前密钥" in out.getvalue() and "信访件·反映内容 2 个" in out.getvalue()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_value_no_key_opens_is_counted_and_left_as_it_is(team_world, ring):
    a, _ = _key()
    b, _ = _key()
    _, stranger = _key()
    ring(a)
    petition, _ = petition_submit(announcement=team_world["announcement"], content={"what": WHAT})
    lost = sealing.seal_to(stranger, "别的系统的密文", "note")
    foreign = PetitionNote.objects.create(petition=petition, sealed_body=lost)
    ring(b, a)
    result = rewrap(actor=COMMAND_LINE)
    assert result.rewrapped == {"信访件·反映内容": 1} and result.unreadable == {"内部备注": 1}
    assert bytes(PetitionNote.objects.get(pk=foreign.pk).sealed_body) == lost
    out = io.StringIO()
    call_command("petition_keys", "rewrap", stdout=out)
    assert "无法用密钥文件中的任何密钥打开" in out.getvalue() and "内部备注 1 个" in out.getvalue()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_bundle_sealed_to_the_old_public_key_imports_while_the_old_key_is_kept(team_world, nodes, tmp_path):
    intake, internal = nodes
    old = (tmp_path / "internal.key").read_text().strip()
    old_id = _id(X25519PrivateKey.from_private_bytes(base64.b64decode(old)).public_key())
    intake()  # the node still has the old public key
    petition_submit(
        announcement=team_world["announcement"],
        content={"subject_name": "郑某", "what": WHAT},
        identity={"name": "冯某", "phone": "13500000000"},
    )
    first, _ = bundle_export(actor=COMMAND_LINE)
    petition_submit(announcement=team_world["announcement"], content={"what": "反映某所长违规收费，情节恶劣。"})
    second, _ = bundle_export(actor=COMMAND_LINE)
    assert first[68:69] == b"\x02" and first[69:77] == old_id  # the bundle names the key it is sealed to
    Petition.objects.all().delete()

    new, _ = _key()
    (tmp_path / "internal.key").write_text(f"{new}\n{old}\n")  # rotated inside before the bundle arrived
    internal()
    got = bundle_import(first, actor=COMMAND_LINE)
    assert got.petitions == 1
    imported = Petition.objects.get()
    assert sealing.open_sealed(imported.sealed_identity, "identity")["name"] == "冯某"
    assert bytes(imported.sealed_content)[1:9] == old_id  # imported as sealed: the rewrap takes it over
    assert rewrap(actor=COMMAND_LINE).rewrapped == {"信访件·身份信息": 1, "信访件·反映内容": 1}

    (tmp_path / "internal.key").write_text(f"{new}\n")  # the old key removed too early
    internal()
    assert sealing.open_sealed(Petition.objects.get().sealed_content, "content")["subject_name"] == "郑某"
    with pytest.raises(ValidationError, match="无法用本系统的密钥解密"):
        bundle_import(second, actor=COMMAND_LINE)
    assert Petition.objects.count() == 1


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_file_moved_whole_from_the_database_is_resealed_in_chunks_by_the_rewrap(team_world):
    from xuncha.core.sealed_files import STREAM, store_legacy, stored_bytes
    from xuncha.petitions.intake.attachments import attachment_bytes
    from xuncha.petitions.models import Attachment

    petition, _ = petition_submit(announcement=team_world["announcement"], content={"what": WHAT})
    name, digest = store_legacy(sealing.seal_bytes(b"old scan bytes", "attachment"), folder="attachments")
    old = Attachment.objects.create(
        petition=petition, kind="image", extension="jpg", size=14, stored_name=name, digest=digest
    )
    assert attachment_bytes(old) == b"old scan bytes"
    assert rewrap(actor=COMMAND_LINE).rewrapped["附件（整件改为分块加密）"] == 1
    old.refresh_from_db()
    assert old.sealed_key is not None and stored_bytes(old.stored_name)[:4] == STREAM
    assert attachment_bytes(old) == b"old scan bytes"
    assert rewrap(actor=COMMAND_LINE).rewrapped == {}  # nothing left to do
