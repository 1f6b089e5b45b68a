"""The one-way transfer: the intake node's signed bundles import exactly once; tampering is refused."""

import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from xuncha.core import sealing
from xuncha.core.actors import COMMAND_LINE
from xuncha.core.models import AuditEvent
from xuncha.core.uploads import check
from xuncha.ferry.bundles import (
    bundle_export,
    bundle_import,
    bundle_reexport,
    bundles_missing,
    generate_signing_pair,
)
from xuncha.ferry.models import ExportedBundle, ImportedBundle
from xuncha.petitions.intake.attachments import attachment_bytes
from xuncha.petitions.intake.services import petition_submit, reporter_add
from xuncha.petitions.models import Attachment, Petition, PetitionMessage
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.test_attachments import _jpeg_with_gps


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_intake_to_internal_exactly_once(team_world, nodes):
    intake, internal = nodes
    intake()
    petition, _code = petition_submit(
        announcement=team_world["announcement"],
        content={"subject_name": "郑某", "what": "郑某违规收受下属单位购物卡若干。"},
        identity={"name": "冯某", "phone": "13500000000"},
    )
    reporter_add(petition=petition, text="补充：时间为今年春节前后。")
    # The intake node's database and configuration cannot read what it took in.
    with pytest.raises(sealing.SealingUnavailable):
        sealing.open_sealed(Petition.objects.get().sealed_content, "content")
    data, sent = bundle_export(actor=COMMAND_LINE)
    assert (sent.petitions, sent.additions, sent.seq) == (1, 1, 1)
    with pytest.raises(ValidationError, match="没有待导出的内容"):  # nothing is exported twice
        bundle_export(actor=COMMAND_LINE)
    Petition.objects.all().delete()  # the internal system has its own database

    internal()
    got = bundle_import(data, actor=COMMAND_LINE)
    assert (got.petitions, got.additions, got.attachments) == (1, 1, 0)
    imported = Petition.objects.get()
    assert sealing.open_sealed(imported.sealed_content, "content")["subject_name"] == "郑某"
    assert sealing.open_sealed(imported.sealed_identity, "identity")["name"] == "冯某"
    assert sealing.open_sealed(imported.messages.get().sealed_body, "message") == "补充：时间为今年春节前后。"
    assert imported.sign_due is not None and imported.signature is not None
    assert bundle_import(data, actor=COMMAND_LINE).total == 0
    assert Petition.objects.count() == 1 and ImportedBundle.objects.count() == 1
    assert AuditEvent.objects.filter(action="petitions.bundle_import").count() == 1


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_tampered_or_foreign_bundle_is_refused_and_writes_nothing(team_world, nodes, settings):
    intake, internal = nodes
    intake()
    petition_submit(announcement=team_world["announcement"], content={"what": "反映某科长上班时间长期不在岗。"})
    data, _ = bundle_export(actor=COMMAND_LINE)
    Petition.objects.all().delete()
    internal()
    tampered = bytearray(data)
    tampered[-5] ^= 0x01
    with pytest.raises(ValidationError, match="签名验证失败"):
        bundle_import(bytes(tampered), actor=COMMAND_LINE)
    settings.BUNDLE_VERIFY_KEY = generate_signing_pair()[1]
    with pytest.raises(ValidationError, match="签名验证失败"):
        bundle_import(data, actor=COMMAND_LINE)
    with pytest.raises(ValidationError, match="不是受理节点导出的数据包"):
        bundle_import(b"PK\x03\x04 not a bundle", actor=COMMAND_LINE)
    assert not Petition.objects.exists() and not ImportedBundle.objects.exists()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_intake_node_status_page_shows_the_status_without_opening_anything(team_world, nodes, client):
    intake, _ = nodes
    intake()
    _, code = petition_submit(
        announcement=team_world["announcement"], content={"what": "反映某所长违规收费，情节恶劣。"}
    )
    reporter_add(petition=Petition.objects.get(), text="补充材料")
    page = client.post("/p/status/", {"code": code})
    assert page.status_code == 200 and "已收到，正在处理" in page.content.decode()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_attachments_and_later_additions_follow_in_order_and_out_of_order_is_refused(team_world, nodes, tmp_path):
    intake, internal = nodes
    intake()
    petition, _ = petition_submit(
        announcement=team_world["announcement"],
        content={"what": "反映某站长在收费站违规安排亲属上岗，附现场照片。"},
        attachments=[check("现场.jpg", _jpeg_with_gps()), check("材料.pdf", b"%PDF-1.7\n% proof")],
    )
    first, sent = bundle_export(actor=COMMAND_LINE)
    assert (sent.petitions, sent.additions, sent.attachments) == (1, 0, 2)
    with time_machine.travel("2024-10-17 15:00:00+08:00", tick=False):
        reporter_add(petition=petition, text="补充：其亲属名叫某某，于去年九月上岗。")
    call_command("petition_bundle", "export", str(tmp_path / "second.xcb"), stdout=io.StringIO())
    second = (tmp_path / "second.xcb").read_bytes()
    Petition.objects.all().delete()

    internal()
    # The later bundle alone cannot be placed: refused whole, nothing written.
    with pytest.raises(ValidationError, match="请按导出的先后顺序导入数据包"):
        bundle_import(second, actor=COMMAND_LINE)
    assert not PetitionMessage.objects.exists() and not ImportedBundle.objects.exists()
    got = bundle_import(first, actor=COMMAND_LINE)
    assert (got.petitions, got.attachments) == (1, 2)
    out = io.StringIO()
    call_command("petition_bundle", "import", str(tmp_path / "second.xcb"), stdout=out)
    assert "补充材料 1 条" in out.getvalue()
    imported = Petition.objects.get()
    addition = imported.messages.get()
    assert sealing.open_sealed(addition.sealed_body, "message").startswith("补充：其亲属名叫某某")
    assert addition.created_at.isoformat().startswith("2024-10-17T07:00")  # the time it was made on the intake node
    files = {a.extension: attachment_bytes(a) for a in Attachment.objects.all()}
    assert files["pdf"] == b"%PDF-1.7\n% proof" and files["jpg"][:3] == b"\xff\xd8\xff"
    assert b"ReporterPhone-Model-X" not in files["jpg"]
    # Importing again adds nothing.
    assert bundle_import(first, actor=COMMAND_LINE).total == 0 and bundle_import(second, actor=COMMAND_LINE).total == 0
    assert Attachment.objects.count() == 2 and PetitionMessage.objects.count() == 1


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_transfer_page_exports_on_the_node_and_imports_inside_for_the_office_admin_only(
    team_world, nodes, personas, login
):
    intake, internal = nodes
    intake()
    petition_submit(announcement=team_world["announcement"], content={"what": "反映某科长违规操办婚宴，收受礼金。"})
    admin = login(personas["city_admin"])
    page = admin.get("/ferry/transfer/").content.decode()
    assert "待导出：信访件 1 件" in page
    for name in ("city_office", "leader", "petition_officer", "unit_leader", "sys_admin"):
        assert login(personas[name]).get("/ferry/transfer/").status_code == 403, name
    admin = login(personas["city_admin"])
    download = admin.post("/ferry/transfer/")
    assert download["Content-Disposition"].startswith('attachment; filename="xuncha-')
    data = b"".join(download.streaming_content) if download.streaming else download.content
    assert AuditEvent.objects.get(action="petitions.bundle_export").actor_id == personas["city_admin"].pk
    assert download["Content-Disposition"].startswith('attachment; filename="xuncha-000001-')
    page = admin.get("/ferry/transfer/").content.decode()
    assert "第 1 号" in page and "重新导出" in page and "待导出：信访件 0 件" in page
    for name in ("city_office", "leader", "petition_officer"):
        assert login(personas[name]).post("/ferry/transfer/", {"seq": "1"}).status_code == 403, name
    assert ExportedBundle.objects.get().reexported == 0
    admin = login(personas["city_admin"])
    again = admin.post("/ferry/transfer/", {"seq": "1"})
    assert again["Content-Disposition"].startswith('attachment; filename="xuncha-000001-')
    assert ExportedBundle.objects.get().reexported == 1
    assert "没有待导出的内容" in admin.post("/ferry/transfer/", follow=True).content.decode()
    Petition.objects.all().delete()

    internal()
    assert "导入记录" in admin.get("/ferry/transfer/").content.decode()
    tampered = bytearray(data)
    tampered[-1] ^= 1
    page = admin.post(
        "/ferry/transfer/", {"bundle": SimpleUploadedFile("x.xcb", bytes(tampered))}, follow=True
    ).content.decode()
    assert "签名验证失败" in page and not Petition.objects.exists()
    page = admin.post("/ferry/transfer/", {"bundle": SimpleUploadedFile("x.xcb", data)}, follow=True).content.decode()
    assert "已导入数据包：信访件 1 件" in page and Petition.objects.count() == 1
    page = admin.post("/ferry/transfer/", {"bundle": SimpleUploadedFile("x.xcb", data)}, follow=True).content.decode()
    assert "已导入过" in page and Petition.objects.count() == 1
    assert AuditEvent.objects.get(action="petitions.bundle_import").actor_id == personas["city_admin"].pk


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_lost_bundle_is_made_again_by_number_with_the_same_contents(team_world, nodes, tmp_path):
    intake, internal = nodes
    intake()
    announcement = team_world["announcement"]
    first, _ = petition_submit(announcement=announcement, content={"what": "反映某科长违规领取加班补贴多年。"})
    lost, sent = bundle_export(actor=COMMAND_LINE)
    assert sent.seq == 1
    reporter_add(petition=first, text="补充：补贴由财务科长签字发放。")
    petition_submit(announcement=announcement, content={"what": "反映某站长安排亲属在站内吃空饷。"})
    later, sent = bundle_export(actor=COMMAND_LINE)
    assert (sent.seq, sent.petitions, sent.additions) == (2, 1, 1)
    again, record = bundle_reexport(seq=1, actor=COMMAND_LINE)
    assert record.reexported == 1 and again != lost  # sealed and signed anew
    call_command("petition_bundle", "reexport", "1", str(tmp_path / "again.xcb"), stdout=io.StringIO())
    assert (tmp_path / "again.xcb").read_bytes()[:4] == b"XCB1"
    assert AuditEvent.objects.filter(action="petitions.bundle_reexport", object_id=record.bundle_id).exists()
    with pytest.raises(ValidationError, match="没有第 9 号数据包"):
        bundle_reexport(seq=9, actor=COMMAND_LINE)
    Petition.objects.all().delete()

    internal()
    # Bundle 2 needs bundle 1's petition; the file made again stands in for the lost one.
    with pytest.raises(ValidationError, match="请按导出的先后顺序导入数据包"):
        bundle_import(later, actor=COMMAND_LINE)
    got = bundle_import(again, actor=COMMAND_LINE)
    assert (got.bundle, got.seq, got.petitions) == (record.bundle_id, 1, 1)
    assert sealing.open_sealed(Petition.objects.get().sealed_content, "content")["what"].startswith("反映某科长")
    assert bundle_import(later, actor=COMMAND_LINE).additions == 1
    # The original turns up after all: it is the same bundle, already imported.
    assert bundle_import(lost, actor=COMMAND_LINE).total == 0
    assert Petition.objects.count() == 2 and PetitionMessage.objects.count() == 1
    assert sorted(ImportedBundle.objects.values_list("seq", flat=True)) == [1, 2]


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_internal_side_names_the_bundle_numbers_it_has_not_seen(team_world, nodes, personas, login):
    intake, internal = nodes
    intake()
    files = []
    for what in ("反映某所长违规发放奖金。", "反映某队长酒后驾驶公车。", "反映某主任违规报销差旅费。"):
        petition_submit(announcement=team_world["announcement"], content={"what": what})
        files.append(bundle_export(actor=COMMAND_LINE)[0])
    Petition.objects.all().delete()

    internal()
    bundle_import(files[0], actor=COMMAND_LINE)
    assert bundles_missing() == []
    bundle_import(files[2], actor=COMMAND_LINE)
    assert bundles_missing() == [2]
    page = login(personas["city_admin"]).get("/ferry/transfer/").content.decode()
    assert "尚未导入第 2 号数据包" in page
    out = io.StringIO()
    call_command("petition_bundle", "list", stdout=out)
    assert "导入 第 3 号" in out.getvalue() and "尚未导入：第 2 号" in out.getvalue()
    bundle_import(files[1], actor=COMMAND_LINE)
    assert bundles_missing() == []
    assert "尚未导入" not in login(personas["city_admin"]).get("/ferry/transfer/").content.decode()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_exports_made_before_numbering_are_numbered_in_order_on_the_node_only(team_world):
    import importlib

    from django.apps import apps as live

    class apps:  # the registry as the migration saw it: the bundle models were the petitions app's then
        moved = {"ExportedBundle": ExportedBundle, "ImportedBundle": ImportedBundle}

        @classmethod
        def get_model(cls, app_label, name):
            return cls.moved.get(name) or live.get_model(app_label, name)

    migration = importlib.import_module("xuncha.petitions.migrations.0007_numbered_bundles")

    announcement = team_world["announcement"]
    older, _ = petition_submit(announcement=announcement, content={"what": "反映某科长违规领取加班补贴。"})
    newer, _ = petition_submit(announcement=announcement, content={"what": "反映某站长安排亲属吃空饷。"})
    imported, _ = petition_submit(announcement=announcement, content={"what": "反映某主任违规报销差旅费。"})
    Petition.objects.filter(pk=older.pk).update(exported_in="b-old", created_at=older.created_at.replace(hour=1))
    Petition.objects.filter(pk=newer.pk).update(exported_in="b-new")
    Petition.objects.filter(pk=imported.pk).update(exported_in="b-in")
    PetitionMessage.objects.create(petition=newer, from_reporter=True, sealed_body=b"x", exported_in="b-new")
    ImportedBundle.objects.create(bundle_id="b-in", items=1, signer="f")
    migration.number_earlier_exports(apps, None)
    numbered = list(ExportedBundle.objects.order_by("seq").values_list("seq", "bundle_id", "petitions", "additions"))
    assert numbered == [(1, "b-old", 1, 0), (2, "b-new", 1, 1)]


def test_the_keys_command_prints_a_matching_set_for_a_deployment():
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    out = io.StringIO()
    call_command("petition_bundle", "keys", stdout=out)
    import re

    values = dict(re.findall(r"(XUNCHA_[A-Z_]+)[^=：\n]*[=：]([A-Za-z0-9+/]+=*)$", out.getvalue(), re.M))
    private = next(v for k, v in values.items() if "PRIVATE_KEY_FILE" in k)
    public = next(v for k, v in values.items() if k.endswith("PETITION_PUBLIC_KEY"))
    derived = X25519PrivateKey.from_private_bytes(base64.b64decode(private)).public_key()
    raw = derived.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert base64.b64encode(raw).decode() == public
    feature = next(v for k, v in values.items() if "FEATURE_KEY_FILE" in k)
    assert len(base64.b64decode(feature)) == 32 and feature not in (private, public)
    assert len([k for k in values if "REPLY" in k]) == 2 and len(values) == 7
    again = io.StringIO()
    call_command("petition_bundle", "keys", stdout=again)
    assert private not in again.getvalue()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_bundles_imported_before_numbering_are_not_taken_for_missing_ones(team_world, nodes):
    intake, internal = nodes
    intake()
    files = []
    for what in ("反映某所长违规发放奖金。", "反映某队长酒后驾驶公车。"):
        petition_submit(announcement=team_world["announcement"], content={"what": what})
        files.append(bundle_export(actor=COMMAND_LINE)[0])
    Petition.objects.all().delete()
    internal()
    bundle_import(files[0], actor=COMMAND_LINE)
    # As a bundle imported before bundles carried numbers is recorded: no number, no node.
    ImportedBundle.objects.update(seq=None, node="")
    bundle_import(files[1], actor=COMMAND_LINE)
    assert bundles_missing() == []
    assert sorted(ImportedBundle.objects.values_list("seq", flat=True)) == [1, 2]
    assert len(set(ImportedBundle.objects.values_list("node", flat=True))) == 1


def test_the_transfer_page_still_checks_csrf_though_it_sets_its_own_upload_handlers(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["city_admin"])
    refused = client.post("/ferry/transfer/", {"action": "reply_export"})
    assert refused.status_code == 403 and "页面已过期" in refused.content.decode()
    assert not ImportedBundle.objects.exists()
