"""Announcements tailored per round: editable hours and texts, kept once saved, shown as saved, and who may publish."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from pypdf import PdfReader

from xuncha.core.models import AuditEvent
from xuncha.core.params import param_set, param_value
from xuncha.core.tests.setup import SETUP
from xuncha.fieldwork.announcement_docs import announcement_lines, announcement_pdf
from xuncha.fieldwork.announcements import REFERRAL_SENTENCE, announcement_save, scope_sentence, within_reception_hours
from xuncha.fieldwork.models import Announcement
from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.tests.conftest import ON_SITE_DAY

BEIJING = ZoneInfo("Asia/Shanghai")
VILLAGE_SCOPE = (
    "巡察组主要受理反映跳马村党组织领导班子及其成员、村两委班子成员问题的来信、来电、来访，"
    "重点是民生实事、群众合理诉求和侵害群众切身利益等方面的举报和反映。"
)
NO_REPLY = "巡察组只受理来电来信来访，不负责答复。"
AFTERNOON_HOURS = [["08:30", "12:00"], ["14:30", "18:00"]]


def _tailor(announcement: Announcement, **changes):
    """Save `announcement` again with its channels unchanged and the given tailored values."""
    return announcement_save(
        actor=SETUP,
        assignment=announcement.assignment,
        hotline=announcement.hotline,
        po_box=announcement.po_box,
        supervision_phone=announcement.supervision_phone,
        **changes,
    )


def _form(announcement: Announcement, **changes) -> dict[str, str]:
    """The announcement page's POST data for `announcement`, with `changes`."""
    hours = "\n".join(f"{a}—{b}" for a, b in announcement.reception_hours["ranges"])
    data = {
        "issuer": announcement.issuer,
        "hotline": announcement.hotline,
        "po_box": announcement.po_box,
        "email": announcement.email,
        "address": announcement.address,
        "supervision_phone": announcement.supervision_phone,
        "reception_ranges": hours,
        "scope_text": announcement.scope_text,
        "referral_text": announcement.referral_text,
    }
    return {**data, **changes}


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


# The service: defaults once, then the saved values.


def test_a_new_announcement_starts_from_the_committee_hours_and_the_standard_sentences(team_world):
    a = team_world["announcement"]
    assert a.reception_hours == param_value("reception_hours", committee=a.assignment.round.committee)
    assert a.scope_text == scope_sentence(a.assignment) and a.referral_text == REFERRAL_SENTENCE


def test_edited_hours_and_texts_survive_later_saves_and_parameter_changes(team_world):
    a = _tailor(
        team_world["announcement"],
        reception_ranges=[["14:30", "18:00"], ["8:30", "12:00"]],
        scope_text=VILLAGE_SCOPE,
        referral_text=NO_REPLY,
    )
    assert a.reception_hours == {"weekdays": [1, 2, 3, 4, 5], "ranges": AFTERNOON_HOURS}  # padded, in order
    city = a.assignment.round.committee
    param_set(
        actor=SETUP, key="reception_hours", committee=city, value={"weekdays": [1], "ranges": [["10:00", "11:00"]]}
    )
    # A later save that passes only the channels (the demo loader, a script) keeps what was tailored.
    announcement_save(actor=SETUP, assignment=a.assignment, hotline="0731—1234", po_box=a.po_box)
    a.refresh_from_db()
    assert (a.hotline, a.reception_hours["ranges"], a.scope_text, a.referral_text) == (
        "0731—1234",
        AFTERNOON_HOURS,
        VILLAGE_SCOPE,
        NO_REPLY,
    )


def test_restoring_the_defaults_recomputes_hours_and_texts_from_the_committee(team_world):
    a = _tailor(team_world["announcement"], reception_ranges=AFTERNOON_HOURS, scope_text=VILLAGE_SCOPE)
    hours = {"weekdays": [1, 3, 5], "ranges": [["09:00", "11:30"]]}
    param_set(actor=SETUP, key="reception_hours", committee=a.assignment.round.committee, value=hours)
    a = _tailor(a, reception_ranges=[["07:00", "08:00"]], scope_text="旧的表述", restore_defaults=True)
    assert (a.reception_hours, a.scope_text, a.referral_text) == (
        hours,
        scope_sentence(a.assignment),
        REFERRAL_SENTENCE,
    )


def test_touching_ranges_are_not_overlapping(team_world):
    a = _tailor(team_world["announcement"], reception_ranges=[["12:00", "14:00"], ["09:00", "12:00"]])
    assert a.reception_hours["ranges"] == [["09:00", "12:00"], ["12:00", "14:00"]]


@pytest.mark.parametrize(
    ("changes", "field", "messages"),
    [
        ({"reception_ranges": [["14:00", "12:00"]]}, "reception_ranges", ["接访时段“14:00—12:00”的开始时间应早于结束时间。"]),
        ({"reception_ranges": [["09:00", "12:00"], ["11:30", "14:00"]]}, "reception_ranges", ["接访时段“09:00—12:00”与“11:30—14:00”重叠。"]),
        ({"reception_ranges": [["08:00", "18:00"], ["09:00", "10:00"], ["12:00", "13:00"]]}, "reception_ranges",
         ["接访时段“08:00—18:00”与“09:00—10:00”重叠。", "接访时段“08:00—18:00”与“12:00—13:00”重叠。"]),
        ({"reception_ranges": [["9点", "12:00"], ["13:30", "25:00"]]}, "reception_ranges",
         ["接访时段“9点—12:00”应写成“HH:MM—HH:MM”，如 09:00—12:00。", "接访时段“13:30—25:00”应写成“HH:MM—HH:MM”，如 09:00—12:00。"]),
        ({"reception_ranges": []}, "reception_ranges", ["请至少填写一个接访时段。"]),
        ({"scope_text": "  \n "}, "scope_text", ["受理范围不能为空。"]),
    ],
)  # fmt: skip
def test_invalid_hours_and_an_empty_scope_are_refused_naming_the_range(team_world, changes, field, messages):
    a = team_world["announcement"]
    before = model_to_dict(a)
    with pytest.raises(ValidationError) as refused:
        _tailor(a, **changes)
    assert refused.value.message_dict == {field: messages}
    a.refresh_from_db()
    assert model_to_dict(a) == before


# The weekday rule on the statutory calendar (中秋国庆 2023: 09-29 to 10-06 off, 10-07 and 10-08 worked).

DEFAULT_DAYS = {"weekdays": [1, 2, 3, 4, 5], "ranges": [["09:00", "12:00"]]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "weekdays", "expected"),
    [
        ("2023-09-28 10:00", [1, 2, 3, 4, 5], True),  # Thursday before the holiday
        ("2023-10-02 10:00", [1, 2, 3, 4, 5], False),  # Monday inside National Day
        ("2023-10-07 10:00", [1, 2, 3, 4, 5], True),  # 调休 Saturday: a working day, the week is not restricted
        ("2023-10-08 10:00", [1, 2, 3, 4, 5], True),  # 调休 Sunday
        ("2023-10-07 10:00", None, True),  # no list: the statutory calendar alone
        ("2023-10-14 10:00", [1, 2, 3, 4, 5], False),  # an ordinary Saturday
        ("2023-10-07 10:00", [1, 3, 5], False),  # restricted: a 调休 Saturday is not one of the listed days
        ("2023-10-09 10:00", [1, 3, 5], True),  # Monday, listed
        ("2023-10-10 10:00", [1, 3, 5], False),  # Tuesday, not listed
        ("2023-10-04 10:00", [1, 3, 5], False),  # Wednesday, listed, but a holiday
        ("2023-10-07 10:00", [1, 3, 5, 6], True),  # Saturday listed and 调休
        ("2023-10-14 10:00", [1, 3, 5, 6], False),  # Saturday listed but not a working day
        ("2023-10-02 10:00", [1, 2, 3, 4, 5, 6, 7], False),  # a holiday is never a reception day
        ("2023-10-07 12:30", [1, 2, 3, 4, 5], False),  # a reception day, outside the ranges
    ],
)
def test_reception_days_follow_the_statutory_calendar_narrowed_by_the_weekdays(moment, weekdays, expected):
    hours = {"ranges": DEFAULT_DAYS["ranges"]} if weekdays is None else {**DEFAULT_DAYS, "weekdays": weekdays}
    assert within_reception_hours(_at(moment), hours, committee=None) is expected


@time_machine.travel(ON_SITE_DAY, tick=False)  # Tuesday 2024-10-15
def test_a_call_on_a_weekday_the_announcement_leaves_out_is_flagged(team_world):
    a = team_world["announcement"]
    city = a.assignment.round.committee
    param_set(actor=SETUP, key="reception_hours", committee=city, value={**DEFAULT_DAYS, "weekdays": [1, 3, 5]})
    _tailor(a, restore_defaults=True)
    call = {"actor": team_world["member"], "assignment": a.assignment, "channel": "phone", "content": {"what": "来电"}}
    assert petition_register(**call).out_of_hours
    with time_machine.travel("2024-10-16 10:00:00+08:00", tick=False):
        assert not petition_register(**call).out_of_hours


# What the public page, the PDF and the poster show.


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_public_page_the_pdf_and_the_poster_show_the_saved_texts_and_hours(team_world, client):
    a = _tailor(
        team_world["announcement"], reception_ranges=AFTERNOON_HOURS, scope_text=VILLAGE_SCOPE, referral_text=NO_REPLY
    )
    page = client.get(f"/p/{a.token}/").content.decode()
    assert VILLAGE_SCOPE + NO_REPLY in page and "08:30—12:00、14:30—18:00" in page
    assert "重要岗位领导干部" not in page
    text = "".join(PdfReader(io.BytesIO(announcement_pdf(a))).pages[0].extract_text().replace("\x00", "").split())
    for expected in ["民生实事、群众合理诉求和侵害群众切身利益", "不负责答复", "08:30—12:00、14:30—18:00"]:
        assert expected in text, expected
    assert "重要岗位领导干部" not in text
    _, paragraphs = announcement_lines(a)
    assert "08:30—12:00、14:30—18:00" in paragraphs[2]  # the poster prints paragraphs[2:]


# The announcement page.


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_page_prefills_the_saved_values_and_keeps_them_when_only_a_channel_changes(team_world, login):
    a = _tailor(team_world["announcement"], reception_ranges=AFTERNOON_HOURS, scope_text=VILLAGE_SCOPE)
    client = login(team_world["leader"])
    url = f"/fieldwork/announcements/{a.assignment.pk}/"
    page = client.get(url).content.decode()
    assert VILLAGE_SCOPE in page and "08:30—12:00\n14:30—18:00" in page and "恢复默认" in page
    response = client.post(url, _form(a, hotline="0731—5555", reception_ranges="08:30 - 12:00、14:30—18:00"))
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.hotline, a.reception_hours["ranges"], a.scope_text) == ("0731—5555", AFTERNOON_HOURS, VILLAGE_SCOPE)
    client.post(url, _form(a, restore_defaults="on"))
    a.refresh_from_db()
    assert a.scope_text == scope_sentence(a.assignment) and a.reception_hours["ranges"][0] == ["09:00", "12:00"]


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_errors_are_shown_in_chinese_next_to_their_fields_and_nothing_is_saved(team_world, login):
    a = team_world["announcement"]
    before = model_to_dict(a)
    url = f"/fieldwork/announcements/{a.assignment.pk}/"
    response = login(team_world["leader"]).post(
        url, _form(a, reception_ranges="09:00—12:00\n11:00—14:00", scope_text="", hotline="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    for field, message, following in [
        ("reception_ranges", "接访时段“09:00—12:00”与“11:00—14:00”重叠。", "scope_text"),
        ("scope_text", "受理范围不能为空。", "referral_text"),
        ("hotline", "公告必须载明专门值班电话。", "po_box"),
    ]:
        assert page.index(f'name="{field}"') < page.index(message) < page.index(f'name="{following}"'), field
    bad = login(team_world["leader"]).post(url, _form(a, reception_ranges="上午九点"))
    assert "“上午九点”不是时段" in bad.content.decode()
    a.refresh_from_db()
    assert model_to_dict(a) == before


PUBLISHERS = {"city_admin", "city_office", "city_director", "leader"}
REFUSED = {"member": 403, "petition_officer": 403, "other_team": 404, "province_office": 404, "yuhua_office": 404, "yuelu_office": 404}  # fmt: skip


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_only_the_managing_office_and_the_team_leader_may_publish(team_world, personas, login):
    a = team_world["announcement"]
    url = f"/fieldwork/announcements/{a.assignment.pk}/"
    before, events = model_to_dict(a), AuditEvent.objects.filter(action="petitions.announcement_save").count()
    for name in set(personas) - PUBLISHERS:
        response = login(personas[name]).post(url, _form(a, scope_text=f"{name}改写的受理范围"))
        assert response.status_code == REFUSED.get(name, 403), name
    a.refresh_from_db()
    assert model_to_dict(a) == before
    assert AuditEvent.objects.filter(action="petitions.announcement_save").count() == events
    for name in sorted(PUBLISHERS):
        assert login(personas[name]).post(url, _form(a, scope_text=f"{name}改写的受理范围")).status_code == 302
        a.refresh_from_db()
        assert a.scope_text == f"{name}改写的受理范围"


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_list_links_each_persona_to_the_announcements_it_may_publish(team_world, personas, login):
    own, other = team_world["assignment"].pk, team_world["other"].pk
    expected = {
        "city_admin": {own, other},
        "city_office": {own, other},
        "leader": {own},
        "other_team": {other},
        "member": set(),
        "petition_officer": set(),
        "province_office": set(),
        "yuhua_office": set(),
        "yuelu_office": set(),
    }
    for name, pks in expected.items():
        client = login(personas[name])
        page = client.get("/petitions/").content.decode()
        for pk in (own, other):
            assert (f'href="/fieldwork/announcements/{pk}/"' in page) is (pk in pks), f"{name} → {pk}"
        for pk in pks:
            assert client.get(f"/fieldwork/announcements/{pk}/").status_code == 200, f"{name} → {pk}"
