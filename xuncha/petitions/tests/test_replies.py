"""The optional return channel: the team's reply and the status reach a reporter on the intake node,
sealed to the reporter's own code, so the node can show them to the code's holder and read none."""

import re

import pytest
import time_machine
from django.core import serializers
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xuncha.core.models import AuditEvent
from xuncha.petitions.bundles import bundle_export, bundle_import
from xuncha.petitions.decisions import status_set
from xuncha.petitions.models import ExportedBundle, Petition, PetitionMessage, ReporterView
from xuncha.petitions.replies import reply_export, reply_import, reporter_view_open
from xuncha.petitions.services import note_add, team_reply
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.test_bundles import nodes  # noqa: F401 - the fixture

REPORT = {"anonymous": "1", "subject_name": "郑某", "what": "郑某违规收受下属单位购物卡，数额较大。"}
REPLY = "感谢反映，巡察组已收到并将认真研究核实。"
NOTE = "内部研判：需调阅财务凭证"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def _rows():
    """Everything one node holds of the petitions, to set aside while the other node's database is in use."""
    models = (Petition, PetitionMessage, ReporterView, ExportedBundle)
    return serializers.serialize("json", [obj for model in models for obj in model.objects.all()])


def _wipe():
    ReporterView.objects.all().delete()
    PetitionMessage.objects.all().delete()
    Petition.objects.all().delete()
    ExportedBundle.objects.all().delete()


def _restore(saved):
    _wipe()
    for obj in serializers.deserialize("json", saved):
        obj.save()


def _code(page: str) -> str:
    return re.search(r'id="receipt-code">([A-Z0-9-]+)<', page).group(1)


def _round_trip(team_world, nodes, client):  # noqa: F811
    """A report and an addition on the node, carried in; the team replies inside; the views carried back."""
    intake, internal = nodes
    intake()
    url = f"/p/{team_world['announcement'].token}/"
    client.get(url)
    code = _code(client.post(url, REPORT).content.decode())
    assert (
        "已收到您的补充材料"
        in client.post("/p/status/", {"code": code, "addition": "补充：购物卡面值五千元。"}).content.decode()
    )
    data, _ = bundle_export()
    on_node = _rows()
    _wipe()

    internal()
    bundle_import(data)
    petition = Petition.objects.get()
    team_reply(actor=team_world["leader"], petition=petition, text=REPLY)
    note_add(actor=team_world["leader"], petition=petition, text=NOTE)
    status_set(actor=team_world["leader"], petition=petition, status="under_review")
    replies, record = reply_export(actor=team_world["leader"])
    assert record.petitions == 1
    _restore(on_node)
    intake()
    return code, replies


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_reporter_reads_the_team_reply_on_the_intake_node_with_the_code(team_world, nodes, client):  # noqa: F811
    code, replies = _round_trip(team_world, nodes, client)
    before = client.post("/p/status/", {"code": code}).content.decode()
    assert "同步到本平台后" in before and REPLY not in before
    assert "正在送交巡察组" in before  # the addition is known to be on its way, not read
    assert reply_import(replies) == (1, 1)
    page = client.post("/p/status/", {"code": code}).content.decode()
    assert "巡察组正在研究" in page and REPLY in page and "购物卡面值五千元" in page
    assert NOTE not in page and "正在送交巡察组" not in page  # the addition came back inside the view
    # The node holds the view sealed: without the code nothing opens, and no text is stored in clear.
    petition = Petition.objects.get()
    assert reporter_view_open(petition, "AAAA-BBBB-CCCC-DDDD-EEEE") is None
    sealed = bytes(ReporterView.objects.get().sealed)
    assert REPLY.encode() not in sealed and "巡察组正在研究".encode() not in sealed and NOTE.encode() not in replies
    assert REPLY.encode() not in replies
    assert AuditEvent.objects.filter(action="petitions.reply_import").count() == 1


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_tampered_older_or_foreign_return_file_changes_nothing(team_world, nodes, client):  # noqa: F811
    _, replies = _round_trip(team_world, nodes, client)
    tampered = bytearray(replies)
    tampered[-3] ^= 1
    with pytest.raises(ValidationError, match="签名验证失败"):
        reply_import(bytes(tampered))
    with pytest.raises(ValidationError, match="数据包类型不对"):
        reply_import(b"XCB1" + replies[4:])
    assert not ReporterView.objects.exists()
    assert reply_import(replies) == (1, 1)
    assert reply_import(replies) == (0, 1)  # the same file again: the view already there stays
    # A newer view is never replaced by an older file that arrives late.
    view = ReporterView.objects.get()
    newer = view.made_at.replace(year=2025)
    ReporterView.objects.filter(pk=view.pk).update(made_at=newer, sealed=b"newer")
    assert reply_import(replies) == (0, 1)
    assert bytes(ReporterView.objects.get().sealed) == b"newer"


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_only_changed_petitions_go_back_and_an_empty_return_is_refused(team_world, nodes, personas, login):  # noqa: F811
    from xuncha.petitions.replies import reply_pending
    from xuncha.petitions.services import petition_submit

    intake, internal = nodes
    intake()
    for what in ("反映某科长违规领取加班补贴。", "反映某站长安排亲属吃空饷。"):
        petition_submit(announcement=team_world["announcement"], content={"what": what})
    data, _ = bundle_export()
    _wipe()
    internal()
    bundle_import(data)
    staff = petition_register_letter(team_world)  # registered inside: never goes back
    assert reply_pending() == 2
    admin = login(personas["city_admin"])
    assert "有更新待回传：信访件 2 件" in admin.get("/petitions/transfer/").content.decode()
    download = admin.post("/petitions/transfer/", {"action": "reply_export"})
    assert download["Content-Disposition"] == 'attachment; filename="xuncha-replies-000001.xcr"'
    assert download.content[:4] == b"XCR1" and reply_pending() == 0
    with pytest.raises(ValidationError, match="没有需要回传"):
        reply_export()
    with time_machine.travel("2024-10-15 11:00:00+08:00", tick=False):
        team_reply(actor=team_world["leader"], petition=Petition.objects.exclude(pk=staff.pk).first(), text=REPLY)
        assert reply_pending() == 1
        _, record = reply_export()
    assert (record.seq, record.petitions) == (2, 1)


def petition_register_letter(team_world):
    from xuncha.petitions.services import petition_register

    return petition_register(
        actor=team_world["leader"], assignment=team_world["assignment"], channel="letter",
        content={"what": "来信反映某所长违规收费。"},
    )  # fmt: skip


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_transfer_pages_carry_replies_both_ways_for_the_office_admin(team_world, nodes, client, personas, login):  # noqa: F811
    code, replies = _round_trip(team_world, nodes, client)
    admin = login(personas["city_admin"])
    page = admin.get("/petitions/transfer/").content.decode()
    assert "导入答复" in page
    assert (
        login(personas["leader"])
        .post("/petitions/transfer/", {"action": "replies", "bundle": SimpleUploadedFile("r.xcr", replies)})
        .status_code
        == 403
    )
    assert not ReporterView.objects.exists()
    admin = login(personas["city_admin"])
    done = admin.post(
        "/petitions/transfer/", {"action": "replies", "bundle": SimpleUploadedFile("r.xcr", replies)}, follow=True
    ).content.decode()
    assert "更新 1 件" in done and ReporterView.objects.count() == 1
    assert REPLY in client.post("/p/status/", {"code": code}).content.decode()
