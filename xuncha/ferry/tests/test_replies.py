"""The optional return channel: the team's reply and the status reach a reporter on the intake node,
sealed to the reporter's own code, so the node can show them to the code's holder and read none."""

import re

import pytest
import time_machine
from django.core import serializers
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xuncha.core.actors import COMMAND_LINE
from xuncha.core.models import AuditEvent
from xuncha.core.tests.setup import SETUP
from xuncha.ferry.bundles import bundle_export, bundle_import
from xuncha.ferry.models import ExportedBundle
from xuncha.ferry.replies import reply_export, reply_import
from xuncha.petitions.decisions.services import status_set
from xuncha.petitions.intake.receipts import reporter_view_open
from xuncha.petitions.intake.services import note_add, team_reply
from xuncha.petitions.models import Petition, PetitionMessage, ReporterView
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.planning.choices import AssignmentState
from xuncha.planning.tests.factories import assignment_advance

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


def _round_trip(team_world, nodes, client):
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
    data, _ = bundle_export(actor=COMMAND_LINE)
    on_node = _rows()
    _wipe()

    internal()
    bundle_import(data, actor=COMMAND_LINE)
    petition = Petition.objects.get()
    team_reply(actor=team_world["leader"], petition=petition, text=REPLY)
    note_add(actor=team_world["leader"], petition=petition, text=NOTE)
    status_set(actor=team_world["leader"], petition=petition, status="under_review")
    with pytest.raises(PermissionDenied, match="只有巡察办管理员"):
        reply_export(actor=team_world["leader"])  # a team leader does not move bundles
    replies, record = reply_export(actor=COMMAND_LINE)
    assert record.petitions == 1
    _restore(on_node)
    intake()
    return code, replies


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_reporter_reads_the_team_reply_on_the_intake_node_with_the_code(team_world, nodes, client):
    code, replies = _round_trip(team_world, nodes, client)
    before = client.post("/p/status/", {"code": code}).content.decode()
    assert "同步到本平台后" in before and REPLY not in before
    assert "正在送交巡察组" in before  # the addition is known to be on its way, not read
    assert reply_import(replies, actor=COMMAND_LINE)[1:] == (1, 1)
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
def test_a_tampered_older_or_foreign_return_file_changes_nothing(team_world, nodes, client):
    _, replies = _round_trip(team_world, nodes, client)
    tampered = bytearray(replies)
    tampered[-3] ^= 1
    with pytest.raises(ValidationError, match="签名验证失败"):
        reply_import(bytes(tampered), actor=COMMAND_LINE)
    with pytest.raises(ValidationError, match="数据包类型不对"):
        reply_import(b"XCB1" + replies[4:], actor=COMMAND_LINE)
    assert not ReporterView.objects.exists()
    assert reply_import(replies, actor=COMMAND_LINE)[1:] == (1, 1)
    assert reply_import(replies, actor=COMMAND_LINE)[1:] == (0, 1)  # the same file again: the view already there stays
    # A newer view is never replaced by an older file that arrives late.
    view = ReporterView.objects.get()
    newer = view.made_at.replace(year=2025)
    ReporterView.objects.filter(pk=view.pk).update(made_at=newer, sealed=b"newer")
    assert reply_import(replies, actor=COMMAND_LINE)[1:] == (0, 1)
    assert bytes(ReporterView.objects.get().sealed) == b"newer"


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_only_changed_petitions_go_back_and_an_empty_return_is_refused(team_world, nodes, personas, login):
    from datetime import timedelta

    from django.utils import timezone

    from xuncha.ferry.replies import reply_pending
    from xuncha.fieldwork.models import Announcement
    from xuncha.petitions.intake.services import petition_submit

    # The fixture's announcements were made on the real clock: put them on this test's (the day before).
    Announcement.objects.update(updated_at=timezone.now() - timedelta(days=1))
    intake, internal = nodes
    intake()
    for what in ("反映某科长违规领取加班补贴。", "反映某站长安排亲属吃空饷。"):
        petition_submit(announcement=team_world["announcement"], content={"what": what})
    data, _ = bundle_export(actor=COMMAND_LINE)
    _wipe()
    internal()
    bundle_import(data, actor=COMMAND_LINE)
    staff = petition_register_letter(team_world)  # registered inside: never goes back
    assert reply_pending() == (2, 2)  # both announcements (never sent yet) and the two petitions from the node
    admin = login(personas["city_admin"])
    assert "待回传：公告 2 份、信访件 2 件" in admin.get("/ferry/transfer/").content.decode()
    with time_machine.travel("2024-10-15 10:20:00+08:00", tick=False):
        download = admin.post("/ferry/transfer/", {"action": "reply_export"})
        assert download["Content-Disposition"] == 'attachment; filename="xuncha-replies-000001.xcr"'
        assert download.content[:4] == b"XCR1" and reply_pending() == (0, 0)
        with pytest.raises(ValidationError, match="没有需要回传"):
            reply_export(actor=COMMAND_LINE)
    with time_machine.travel("2024-10-15 11:00:00+08:00", tick=False):
        team_reply(actor=team_world["leader"], petition=Petition.objects.exclude(pk=staff.pk).first(), text=REPLY)
        assert reply_pending() == (0, 1)
        _, record = reply_export(actor=COMMAND_LINE)
    # Only what changed went back (the other petition last changed well before the first export).
    assert (record.seq, record.petitions) == (2, 1)
    _, full = reply_export(full=True, actor=COMMAND_LINE)  # after a lost file: everything again
    assert (full.seq, full.petitions, full.announcements) == (3, 2, 2)
    _, bare = reply_export(full=True, views=False, actor=COMMAND_LINE)  # a site that carries no reporter's view outward
    assert (bare.petitions, bare.announcements) == (0, 2)


def petition_register_letter(team_world):
    from xuncha.petitions.tests.factories import PetitionFactory

    return PetitionFactory(
        actor=team_world["leader"], assignment=team_world["assignment"], what="来信反映某所长违规收费。"
    )


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_transfer_pages_carry_replies_both_ways_for_the_office_admin(team_world, nodes, client, personas, login):
    code, replies = _round_trip(team_world, nodes, client)
    admin = login(personas["city_admin"])
    page = admin.get("/ferry/transfer/").content.decode()
    assert "导入回传数据包" in page
    assert (
        login(personas["leader"])
        .post("/ferry/transfer/", {"action": "replies", "bundle": SimpleUploadedFile("r.xcr", replies)})
        .status_code
        == 403
    )
    assert not ReporterView.objects.exists()
    admin = login(personas["city_admin"])
    done = admin.post(
        "/ferry/transfer/", {"action": "replies", "bundle": SimpleUploadedFile("r.xcr", replies)}, follow=True
    ).content.decode()
    assert "更新 1 件信访件" in done and ReporterView.objects.count() == 1
    assert REPLY in client.post("/p/status/", {"code": code}).content.decode()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_an_intake_node_with_no_planning_serves_the_announcement_it_was_sent(team_world, nodes, client):
    """The node's announcements, with what their pages hang on, come in the return bundle, and nothing more."""
    from datetime import date

    from xuncha.core.models import Committee
    from xuncha.core.models.committee import CommitteeLevel
    from xuncha.core.services import committee_create
    from xuncha.fieldwork.announcements import announcement_save
    from xuncha.fieldwork.models import Announcement
    from xuncha.orgs.choices import OrgLevel, PartyOrgType
    from xuncha.orgs.models import Organization
    from xuncha.orgs.services import organization_save
    from xuncha.planning.models import Assignment, PoolMember, Round
    from xuncha.planning.services.assignments import assignment_create
    from xuncha.planning.services.plans import round_create

    intake, internal = nodes
    internal()
    city = Committee.objects.get(short_name="长沙市委")
    county = committee_create(
        actor=SETUP, name="中共浏阳市委", short_name="浏阳市委", level=CommitteeLevel.COUNTY, parent=city
    )
    org, _ = organization_save(actor=SETUP, org_code="LY-01", name="浏阳市交通运输局", level=OrgLevel.DEPARTMENT,
                               party_org_type=PartyOrgType.LEADING_GROUP, managed_by=county)  # fmt: skip
    round_ = round_create(actor=SETUP, committee=county, year=2024, seq_no=3, start_date=date(2024, 9, 1),
                          end_date=date(2024, 12, 31))  # fmt: skip
    assignment = assignment_create(actor=SETUP, round_=round_, organization=org, inspection_type="regular",
                                   planned_entry=date(2024, 10, 8))  # fmt: skip
    assignment = assignment_advance(assignment, AssignmentState.ON_SITE, entered_on=date(2024, 10, 8))
    announcement = announcement_save(
        actor=SETUP, assignment=assignment, hotline="0731—83000000", po_box="浏阳市A12号信箱"
    )
    data, record = reply_export(actor=COMMAND_LINE)
    assert record.announcements == 3 and "0731—83000000" in str(json_of(data)["publish"]["announcements"])
    # Teams, their members and the rosters stay inside (the fixture's teams have named members).
    assert "team_id" not in data[68:].decode() and "leader姓名" not in data[68:].decode()

    # The node knows nothing of it: its copies are all it will ever have.
    pks = (announcement.pk, assignment.pk, round_.pk, org.pk, county.pk)
    Announcement.objects.filter(pk=pks[0]).delete()
    Assignment.objects.filter(pk=pks[1]).delete()
    Round.objects.filter(pk=pks[2]).delete()
    Organization.objects.filter(pk=pks[3]).delete()
    PoolMember.objects.filter(committee_id=pks[4]).delete()
    Committee.objects.filter(pk=pks[4]).delete()
    intake()
    published, applied, _ = reply_import(data, actor=COMMAND_LINE)
    assert (published, applied) == (3, 0)
    copy = Announcement.objects.select_related("assignment__round__committee").get(pk=pks[0])
    assert copy.assignment.round.committee.name == "中共浏阳市委" and copy.assignment.round.committee.parent == city
    assert copy.assignment.team_id is None  # teams never leave the internal side
    page = client.get(f"/p/{copy.token}/").content.decode()
    assert "浏阳市交通运输局" in page and "0731—83000000" in page and "浏阳市A12号信箱" in page
    assert (
        reply_import(data, actor=COMMAND_LINE)[0] == 0
    )  # the same file again: nothing newer to apply, nothing doubled
    assert Announcement.objects.filter(token=copy.token).count() == 1


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_close_of_the_on_site_stage_travels_to_the_intake_node_and_shuts_its_page(team_world, nodes, client):
    from xuncha.fieldwork.models import Announcement
    from xuncha.planning.services.assignments import assignment_transition

    intake, internal = nodes
    internal()
    assignment_transition(
        actor=team_world["leader"], assignment=team_world["assignment"], code="close_onsite", reason="了解工作已完成"
    )
    data, _ = reply_export(actor=COMMAND_LINE)
    token = team_world["announcement"].token
    sent = {a["token"]: a for a in json_of(data)["publish"]["announcements"]}
    assert sent[token]["closed_on"] == "2024-10-15"
    Announcement.objects.filter(token=token).delete()  # the node holds only what it is sent
    intake()
    reply_import(data, actor=COMMAND_LINE)
    assert Announcement.objects.get(token=token).closed_on.isoformat() == "2024-10-15"
    page = client.get(f"/p/{token}/").content.decode()
    assert "网上信访受理已关闭" in page and "12388" in page and 'name="what"' not in page


def json_of(data: bytes) -> dict:
    import json

    return json.loads(data[68:])


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_survey_sheets_taken_on_the_node_reach_the_internal_side_once(team_world, nodes, client):
    from django.test import Client

    from xuncha.fieldwork.models import SurveyResponse
    from xuncha.fieldwork.survey import QUESTIONS

    intake, internal = nodes
    intake()
    url = f"/p/{team_world['announcement'].token}/survey/"
    for _ in range(3):
        Client().post(url, {code: "较好" for code, _ in QUESTIONS})
    data, sent = bundle_export(actor=COMMAND_LINE)
    assert sent.surveys == 3 and "测评表 3 份" in sent.counts()
    SurveyResponse.objects.all().delete()
    _wipe()
    internal()
    got = bundle_import(data, actor=COMMAND_LINE)
    assert got.surveys == 3 and SurveyResponse.objects.filter(assignment=team_world["assignment"]).count() == 3
    assert bundle_import(data, actor=COMMAND_LINE).total == 0 and SurveyResponse.objects.count() == 3


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_an_elevated_inspection_publishes_the_lower_committee_of_the_unit_too(team_world, nodes):
    """提级巡察: the city's round inspects a village managed by the district; the copies hold both."""
    from xuncha.core.models import Committee
    from xuncha.ferry.publication import publication_apply, published_rows
    from xuncha.fieldwork.models import Announcement

    _, internal = nodes
    internal()
    announcement = Announcement.objects.select_related("assignment__organization").get(pk=team_world["announcement"].pk)
    district = Committee.objects.get(short_name="雨花区委")
    org = announcement.assignment.organization
    type(org).objects.filter(pk=org.pk).update(managed_by=district)
    rows = published_rows(Announcement.objects.filter(pk=announcement.pk))
    sent = {c["short_name"] for c in rows["committees"]}
    assert {"长沙市委", "雨花区委"} <= sent
    # What the rounds and assignments carry: public dates only (the announcement's), no state or flags.
    assert set(rows["assignments"][0]) >= {"petition_cutoff", "onsite_end"} and "state" not in rows["assignments"][0]
    assert rows["assignments"][0]["report_due"] == announcement.period_end.isoformat()
    # A copy that points at a committee neither sent nor held is refused in words, not with a crash.
    broken = {**rows, "committees": [], "organizations": [{**rows["organizations"][0], "managed_by_id": 987654}]}
    with pytest.raises(ValidationError, match="缺少所依据的数据"):
        publication_apply(broken)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_an_older_return_file_arriving_late_does_not_put_back_an_announcement(team_world, nodes):
    from xuncha.fieldwork.announcements import announcement_save
    from xuncha.fieldwork.models import Announcement

    intake, internal = nodes
    internal()
    a = team_world["announcement"]
    first, _ = reply_export(full=True, views=False, actor=COMMAND_LINE)
    with time_machine.travel("2024-10-16 09:00:00+08:00", tick=False):
        announcement_save(actor=SETUP, assignment=a.assignment, hotline="0731—86660000", po_box=a.po_box)
        second, _ = reply_export(views=False, actor=COMMAND_LINE)
    intake()
    assert reply_import(second, actor=COMMAND_LINE)[0] >= 1
    assert reply_import(first, actor=COMMAND_LINE)[0] == 0  # older: its copies are not applied
    assert Announcement.objects.get(pk=a.pk).hotline == "0731—86660000"


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_office_chooses_a_full_resend_or_announcements_only_and_the_node_imports_from_the_command_line(
    team_world,
    nodes,
    personas,
    login,
    tmp_path,
):
    import io
    import json

    from django.core.management import call_command

    from xuncha.fieldwork.models import Announcement

    intake, internal = nodes
    internal()
    reply_export(actor=COMMAND_LINE)  # the first: everything so far
    admin = login(personas["city_admin"])
    page = admin.post("/ferry/transfer/", {"action": "reply_export", "full": "1", "announcements_only": "1"})
    body = json.loads(page.content[68:])
    assert len(body["publish"]["announcements"]) == Announcement.objects.count() and body["views"] == []
    (tmp_path / "r.xcr").write_bytes(page.content)
    intake()
    out = io.StringIO()
    call_command("petition_bundle", "reply-import", str(tmp_path / "r.xcr"), stdout=out)  # before any account
    assert "公告 2 份" in out.getvalue()
