"""Registration with scans and 上级转办, the named reporter's clocks, overdue lists and to-dos, and every
follow-up endpoint against every persona (a refused write changes nothing)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xuncha.core.models import AuditEvent
from xuncha.core.sealing import open_sealed
from xuncha.core.todo import todos_for
from xuncha.petitions.decisions.clocks import overdue_flags
from xuncha.petitions.decisions.services import (
    incoming_report,
    petition_acknowledge,
    petition_dispose,
    petition_result_notify,
    status_set,
)
from xuncha.petitions.intake.attachments import attachment_bytes
from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.models import Attachment, IncomingReferral, Petition, PetitionNote
from xuncha.petitions.tests.conftest import ON_SITE_DAY

NAMED = {"name": "褚某某", "phone": "13300000000"}


def _letter(team_world, what="反映水业集团某部长违规发放津贴补贴。", identity=None, **extra):
    return petition_register(
        actor=team_world["leader"],
        assignment=team_world["assignment"],
        channel=extra.pop("channel", "letter"),
        content={"what": what},
        identity=identity,
        **extra,
    )


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_scanned_letter_is_registered_with_its_scan_on_the_page(team_world, personas, login):
    from xuncha.petitions.tests.test_attachments import _jpeg_with_gps

    client = login(personas["petition_officer"])
    page = client.get("/petitions/register/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="attachments"' in page
    response = client.post(
        "/petitions/register/",
        {
            "assignment": team_world["assignment"].pk,
            "channel": "letter",
            "received_at": "2024-10-15T09:30",
            "what": "来信反映水业集团某科长违规报销，附来信扫描件。",
            "attachments": [SimpleUploadedFile("来信.jpg", _jpeg_with_gps(), content_type="image/jpeg")],
        },
    )
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/petitions/{petition.pk}/"
    scan = Attachment.objects.get(petition=petition)
    data = attachment_bytes(scan)
    assert data[:3] == b"\xff\xd8\xff" and b"ReporterPhone-Model-X" not in data
    assert AuditEvent.objects.get(action="petitions.registered").data["attachments"] == 1
    assert "附件" in client.get(f"/petitions/{petition.pk}/").content.decode()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_referral_from_above_carries_its_letter_and_its_report_back(team_world, personas, login):
    with pytest.raises(ValidationError, match="来文单位和来文文号"):
        _letter(team_world, channel="referral_in", incoming={"source_office": "省委巡视办"})
    with pytest.raises(ValidationError, match="办理要求"):
        _letter(
            team_world,
            channel="referral_in",
            incoming={"source_office": "省委巡视办", "letter_no": "湘巡转〔2024〕12号"},
        )
    assert not Petition.objects.exists()
    petition = _letter(
        team_world,
        channel="referral_in",
        incoming={"source_office": "省委巡视办", "letter_no": "湘巡转〔2024〕12号", "requirement": "result",
                  "due_on": date(2024, 11, 15)},
    )  # fmt: skip
    incoming = IncomingReferral.objects.get(petition=petition)
    assert (incoming.source_office, incoming.due_on) == ("省委巡视办", date(2024, 11, 15))
    assert petition.handle_due == date(2024, 11, 15)  # the sender's date is earlier than 3 months
    assert "incoming" in overdue_flags(petition, date(2024, 11, 16))
    page = login(personas["leader"]).get(f"/petitions/{petition.pk}/").content.decode()
    assert "湘巡转〔2024〕12号" in page and "要结果" in page and "记录报结" in page
    with pytest.raises(PermissionDenied):
        incoming_report(actor=personas["city_office"], incoming=incoming, reported_on=date(2024, 10, 15), text="x")
    response = login(personas["leader"]).post(
        f"/petitions/{petition.pk}/incoming/",
        {"reported_on": "2024-10-15", "text": "经了解，反映问题部分属实，已纳入巡察报告。"},
    )
    assert response.status_code == 302
    incoming.refresh_from_db()
    assert incoming.reported_on == date(2024, 10, 15)
    assert open_sealed(incoming.sealed_report, "incoming_report").startswith("经了解")
    assert b"\xe7\xbb\x8f\xe4\xba\x86\xe8\xa7\xa3" not in bytes(incoming.sealed_report)  # "经了解" sealed
    assert "incoming" not in overdue_flags(petition, date(2024, 11, 16))
    with pytest.raises(ValidationError, match="不能重复报结"):
        incoming_report(actor=personas["leader"], incoming=incoming, reported_on=date(2024, 10, 15), text="再报")
    # A letter for information only asks for no report and runs no report clock.
    noted = _letter(team_world, "阅知件内容：反映某站长工作作风问题。", channel="referral_in",
                    incoming={"source_office": "市纪委信访室", "letter_no": "长纪信〔2024〕5号", "requirement": "note"})  # fmt: skip
    assert noted.incoming.due_on is None and "incoming" not in overdue_flags(noted, date(2026, 1, 1))


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_named_registration_needs_a_name_and_a_way_to_reach_the_reporter(team_world):
    with pytest.raises(ValidationError, match="须填写反映人姓名"):
        _letter(team_world, identity={"unit": "某单位"})
    with pytest.raises(ValidationError, match="联系电话或联系地址"):
        _letter(team_world, identity={"name": "褚某某"})
    assert not Petition.objects.exists()
    letter = _letter(team_world, identity={"name": "褚某某", "address": "长沙市天心区某路1号"})
    assert not letter.anonymous and letter.ack_due is not None
    assert _letter(team_world, identity={"name": "", "phone": ""}).anonymous


def test_the_named_reporter_is_told_of_acceptance_and_of_the_result_on_time(team_world, personas):
    with time_machine.travel(ON_SITE_DAY, tick=False):
        petition = _letter(team_world, identity=NAMED)
        assert petition.ack_due == date(2024, 11, 5)  # 15 working days, across no holiday
    with time_machine.travel("2024-11-06 09:00:00+08:00", tick=False):
        assert "ack" in overdue_flags(petition)
        with pytest.raises(ValidationError, match="办结后才能反馈"):
            petition_result_notify(actor=personas["leader"], petition=petition, via="phone")
        petition_acknowledge(actor=personas["petition_officer"], petition=petition, via="phone")
        petition.refresh_from_db()
        assert petition.acknowledged_via == "phone" and "ack" not in overdue_flags(petition)
        petition_dispose(actor=personas["leader"], petition=petition, disposition="archive")
        petition.refresh_from_db()
        # On file is final: the result is owed within 15 working days (National Day is past; none in between).
        assert petition.status == "archived" and petition.reply_due == date(2024, 11, 27)
    with time_machine.travel("2024-11-28 09:00:00+08:00", tick=False):
        assert "reply" in overdue_flags(petition)
        petition_result_notify(actor=personas["leader"], petition=petition, via="letter")
        petition.refresh_from_db()
        assert petition.replied_via == "letter" and not overdue_flags(petition)
    assert AuditEvent.objects.filter(action="petitions.result_notified", actor=personas["leader"]).exists()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_contact_records_refuse_anonymous_petitions_and_impossible_times(team_world, personas):
    anonymous = _letter(team_world)
    with pytest.raises(ValidationError, match="匿名信访件无需告知"):
        petition_acknowledge(actor=personas["leader"], petition=anonymous, via="phone")
    named = _letter(team_world, identity=NAMED)
    with pytest.raises(ValidationError, match="不晚于现在"):
        petition_acknowledge(
            actor=personas["leader"], petition=named, via="phone", at=timezone.now() + timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="告知方式"):
        petition_acknowledge(actor=personas["leader"], petition=named, via="pigeon")
    with pytest.raises(PermissionDenied):
        petition_acknowledge(actor=personas["other_team"], petition=named, via="phone")
    named.refresh_from_db()
    assert named.acknowledged_at is None


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_used_petition_is_closed_from_the_page_and_the_reason_is_kept_sealed(team_world, personas, login):
    petition = _letter(team_world, identity=NAMED)
    petition_dispose(actor=personas["leader"], petition=petition, disposition="use_problem", category="integrity")
    client = login(personas["leader"])
    page = client.get(f"/petitions/{petition.pk}/").content.decode()
    assert 'value="closed"' in page and "更新状态" in page
    client.post(f"/petitions/{petition.pk}/status/", {"status": "closed", "reason": "问题已写入巡察报告底稿"})
    petition.refresh_from_db()
    assert petition.status == "closed" and petition.closed_at is not None and petition.reply_due is not None
    note = PetitionNote.objects.get(petition=petition)
    assert open_sealed(note.sealed_body, "note").endswith("问题已写入巡察报告底稿")
    assert "问题已写入" not in str(AuditEvent.objects.filter(action="petitions.status").values_list("summary", "data"))
    with pytest.raises(ValidationError, match="不能改为"):
        status_set(actor=personas["leader"], petition=petition, status="received")


def test_overdue_petitions_are_listed_by_clock_and_waiting_on_the_home_page(team_world, personas, login):
    with time_machine.travel(ON_SITE_DAY, tick=False):
        late = _letter(team_world, identity=NAMED)
        signed = _letter(team_world, "反映某科长长期不在岗，群众意见很大。")
        from xuncha.petitions.decisions.services import petition_sign

        petition_sign(actor=personas["leader"], petition=signed)
    with time_machine.travel("2024-10-28 09:00:00+08:00", tick=False):
        client = login(personas["leader"])
        listed = client.get("/petitions/", {"overdue": "sign"}).content.decode()
        assert "共 1 件" in listed and late.number in listed and signed.number not in listed
        titles = [t.title for t in todos_for(personas["leader"])]
        assert "1 件信访件签收超期" in titles
        # The office sees the same count over its committee; the inspected unit sees nothing.
        assert "1 件信访件签收超期" in [t.title for t in todos_for(personas["city_office"])]
        assert not [t for t in todos_for(personas["unit_leader"]) if "信访" in t.title]
        assert not [t for t in todos_for(personas["other_team"]) if "超期" in t.title]
        home = client.get("/").content.decode()
        assert "签收超期" in home and "?overdue=sign" in home


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_follow_up_endpoints_by_persona_and_refusals_change_nothing(team_world, personas, login):
    petition = _letter(team_world, identity=NAMED, channel="referral_in",
                       incoming={"source_office": "省委巡视办", "letter_no": "湘巡转〔2024〕1号", "requirement": "result"})  # fmt: skip
    referred = _letter(team_world, "反映物业公司乱收费问题，属于业务范围外。")
    petition_dispose(actor=personas["leader"], petition=referred, disposition="refer_out",
                     receiver="市住建局", letter_no="长巡转〔2024〕3号", sent_on=date(2024, 10, 15))  # fmt: skip
    team = {"leader", "petition_officer", "member"}
    writes = [
        (f"/petitions/{petition.pk}/sign/", {}),
        (f"/petitions/{petition.pk}/dispose/", {"disposition": "archive"}),
        (f"/petitions/{petition.pk}/incoming/", {"reported_on": "2024-10-15", "text": "报结"}),
        (f"/petitions/{petition.pk}/contact/acknowledge/", {"via": "phone", "at": "2024-10-15T10:00"}),
        (f"/petitions/{petition.pk}/reply/", {"text": "答复"}),
        (f"/petitions/{petition.pk}/note/", {"text": "记录"}),
        (f"/petitions/{petition.pk}/status/", {"status": "under_review"}),
        (f"/petitions/{referred.pk}/referral/", {"result": "已办结", "result_on": "2024-10-15"}),
    ]
    before = _state(petition, referred)
    for name, user in personas.items():
        if name in team:
            continue
        for url, data in writes:
            status = login(user).post(url, data).status_code
            # Offices reach the page but may not act (403); other teams and committees see no such petition.
            assert status in (403, 404), f"{name} → {url}: {status}"
        registered = login(user).post("/petitions/register/", {"assignment": team_world["assignment"].pk,
                                      "channel": "letter", "what": "冒名登记", "received_at": "2024-10-15T09:00"})  # fmt: skip
        # Another team gets its own form back: this assignment is not among its choices.
        assert registered.status_code == (200 if name == "other_team" else 403), name
    assert _state(petition, referred) == before and Petition.objects.count() == 2
    assert login(None).post(writes[0][0]).status_code == 302  # signed out: to the log-in page
    # The team may: each write lands.
    for url, data in writes:
        assert login(personas["leader"]).post(url, data).status_code == 302, url
    petition.refresh_from_db()
    assert petition.signed_at and petition.acknowledged_at and petition.incoming.reported_on
    assert petition.status == "archived" and petition.notes.exists()


def _state(*petitions):
    rows = []
    for p in petitions:
        p = Petition.objects.get(pk=p.pk)
        rows.append((p.status, p.signed_at, p.acknowledged_at, p.messages.count(), p.notes.count(),
                     getattr(getattr(p, "incoming", None), "reported_on", None),
                     getattr(getattr(p, "referral", None), "result_on", None)))  # fmt: skip
    return rows


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_list_filters_by_assignment_and_named_and_searches_only_by_post(team_world, personas, login):
    _letter(team_world, identity=NAMED)
    _letter(team_world, "反映某队长酒后驾驶公车，影响恶劣。")
    client = login(personas["city_office"])
    assert "共 1 件" in client.get("/petitions/", {"named": "1"}).content.decode()
    assert "共 2 件" in client.get("/petitions/", {"assignment": team_world["assignment"].pk}).content.decode()
    assert "共 0 件" in client.get("/petitions/", {"assignment": team_world["other"].pk}).content.decode()
    page = client.get("/petitions/").content.decode()
    assert 'method="post"' in page and 'hx-post="/petitions/"' in page and "hx-get" not in page
    assert "共 1 件" in client.post("/petitions/", {"q": "酒后驾驶"}, HTTP_HX_REQUEST="true").content.decode()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_noted_without_action_closes_the_petition_and_owes_the_named_reporter_the_result(team_world, personas):
    from xuncha.petitions.choices import Disposition

    assert "noted" in Disposition.values
    petition = _letter(team_world, identity=NAMED)
    petition_dispose(actor=personas["leader"], petition=petition, disposition="noted", petition_class="suggestion")
    petition.refresh_from_db()
    assert petition.status == "closed" and petition.reply_due == date(2024, 11, 5)
