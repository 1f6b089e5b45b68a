"""The 转办函 of a referred petition: an official .docx read back, carrying the matter but never the reporter."""

import zipfile
from datetime import date
from io import BytesIO

import time_machine
from docx import Document

from xuncha.core.models import AuditEvent
from xuncha.petitions.decisions.services import petition_dispose
from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.tests.conftest import ON_SITE_DAY

REPORTER = {"name": "褚某某", "phone": "13300000000", "address": "长沙市天心区某路1号"}
CONTENT = {
    "subject_name": "钱某某",
    "subject_unit": "长沙市某物业管理有限公司",
    "subject_position": "经理",
    # The reporter signs the text too: the letter must not carry that to the receiver.
    "what": "反映该公司向业主违规收取电梯维修费。\n我是褚某某，电话13300000000，多次反映未果。",
    "when": "2024年8月",
    "where": "某小区",
}
TEAM = {"leader", "petition_officer", "member"}


def _referred(team_world, identity=REPORTER):
    petition = petition_register(
        actor=team_world["leader"], assignment=team_world["assignment"], channel="visit",
        content=CONTENT, identity=identity,
    )  # fmt: skip
    petition_dispose(
        actor=team_world["leader"], petition=petition, disposition="refer_out", petition_class="out_of_scope",
        receiver="市住房和城乡建设局", letter_no="长巡转〔2024〕3号", sent_on=date(2024, 10, 16),
    )  # fmt: skip
    return petition


def _texts(doc) -> list[str]:
    """Every piece of text a reader of the file could find: body, tables, headers, footers, properties."""
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for s in doc.sections:
        for part in (s.header, s.footer, s.first_page_header, s.first_page_footer, s.even_page_header):
            texts += [p.text for p in part.paragraphs]
    cp = doc.core_properties
    texts += [cp.author, cp.title, cp.subject, cp.comments, cp.keywords, cp.last_modified_by, cp.category]
    return texts


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_letter_carries_number_receiver_matter_and_due_date_but_never_the_reporter(team_world, login):
    petition = _referred(team_world)
    response = login(team_world["member"]).get(f"/petitions/{petition.pk}/referral/letter.docx")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store" and response["Content-Disposition"].startswith("attachment;")
    raw = response.content
    doc = Document(BytesIO(raw))
    body = [p.text for p in doc.paragraphs]
    assert body[0] == "中共长沙市委第一巡察组" and str(doc.paragraphs[0].runs[0].font.color.rgb) == "E60012"
    assert body[1] == "长巡转〔2024〕3号"
    assert "关于转办信访件的函" in body and "市住房和城乡建设局：" in body
    assert any("对长沙市水业集团有限公司党组织开展巡察" in t and "分级负责、归口办理" in t for t in body)
    assert "被反映人：钱某某，长沙市某物业管理有限公司经理。" in body
    assert "反映事项：反映该公司向业主违规收取电梯维修费。" in body
    assert "发生时间：2024年8月" in body and "发生地点：某小区" in body
    assert any("请于2025年1月16日前将办理结果反馈我组" in t for t in body)
    assert any("不得泄露反映人信息" in t and "不得将信访件转给被反映人" in t for t in body)
    assert body[-2:] == ["中共长沙市委第一巡察组", "2024年10月16日"]
    footer = " ".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert "生成人：member" in footer and "2024-10-15 10:00" in footer and "仅限" in footer
    texts = _texts(doc)
    for secret in (*REPORTER.values(), "实名", "匿名", "来访"):
        assert not [t for t in texts if secret in t], secret
    # Nor anywhere in the package (fields, settings, relationship targets).
    with zipfile.ZipFile(BytesIO(raw)) as package:
        for name in package.namelist():
            for secret in REPORTER.values():
                assert secret.encode() not in package.read(name), (name, secret)
    event = AuditEvent.objects.get(action="petitions.referral_letter")
    assert event.actor == team_world["member"] and event.object_id == str(petition.pk)
    assert "电梯" not in event.summary and "钱某某" not in event.summary


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_only_the_assignments_team_generates_the_letter_and_each_one_is_logged(team_world, personas, login):
    petition = _referred(team_world)
    url = f"/petitions/{petition.pk}/referral/letter.docx"
    for name, user in personas.items():
        status = login(user).get(url).status_code
        # Offices see the petition masked and are refused (403); other teams and everyone else see no petition.
        assert status in ((200,) if name in TEAM else (403, 404)), f"{name}: {status}"
    assert login(personas["city_office"]).get(url).status_code == 403
    assert login(personas["other_team"]).get(url).status_code == 404
    assert login(None).get(url).status_code == 302  # signed out: to the log-in page
    events = AuditEvent.objects.filter(action="petitions.referral_letter")
    assert sorted(e.actor.username for e in events) == sorted(TEAM)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_petition_not_referred_has_no_letter(team_world, login):
    petition = petition_register(
        actor=team_world["leader"], assignment=team_world["assignment"], channel="letter", content={"what": "反映问题"}
    )
    assert login(team_world["leader"]).get(f"/petitions/{petition.pk}/referral/letter.docx").status_code == 404
    assert not AuditEvent.objects.filter(action="petitions.referral_letter").exists()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_detail_page_links_the_letter_for_the_team_only(team_world, personas, login):
    petition = _referred(team_world, identity=None)
    link = f"/petitions/{petition.pk}/referral/letter.docx"
    assert link in login(personas["leader"]).get(f"/petitions/{petition.pk}/").content.decode()
    assert link not in login(personas["city_office"]).get(f"/petitions/{petition.pk}/").content.decode()
    doc = Document(BytesIO(login(personas["leader"]).get(link).content))
    assert "被反映人：钱某某，长沙市某物业管理有限公司经理。" in [p.text for p in doc.paragraphs]
