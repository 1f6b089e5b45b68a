"""The round's documents are real .docx files in official layout, read back."""

from io import BytesIO

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from xuncha.core.tests.setup import SETUP
from xuncha.planning.documents import team_notice_docx, work_plan_docx
from xuncha.planning.services.teams import team_create, team_member_add
from xuncha.planning.tests.conftest import pool_add


def _east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def _staffed(city_round, syjt_assignment, make_person, orgs, committees):
    team = team_create(actor=SETUP, round_=city_round)
    for name, role in [("张组长", "leader"), ("李副组长", "deputy"), ("王联络员", "liaison"), ("赵组员", "member")]:
        person = make_person(name, orgs["cs"])
        pool_add(committees["city"], person, "leader" if role == "leader" else "talent", ("discipline",))
        team_member_add(actor=SETUP, team=team, person=person, role=role)
    syjt_assignment.team = team
    syjt_assignment.save(update_fields=["team"])
    return team


def test_the_work_plan_is_an_a4_official_document_with_the_rounds_data(
    city_round, syjt_assignment, make_person, orgs, committees
):
    _staffed(city_round, syjt_assignment, make_person, orgs, committees)
    doc = Document(BytesIO(work_plan_docx(city_round)))
    section = doc.sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(s.mm) for s in sizes] == [210, 297, 37, 35, 28, 26]
    title = doc.paragraphs[0]
    assert title.text == "长沙市委2024年第一轮巡察工作方案"
    assert _east_asian(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    body = next(p for p in doc.paragraphs if p.text.startswith("本轮对"))
    assert body.text == "本轮对1个党组织开展巡察：常规巡察1个。"
    assert _east_asian(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.line_spacing == Pt(28.95)
    headings = [p.text for p in doc.paragraphs if p.runs and _east_asian(p.runs[0]) == "黑体"]
    assert headings == ["一、巡察对象和方式", "二、监督重点", "三、时间安排", "四、组织领导和人员安排", "五、工作要求"]
    assert "第一巡察组：组长张组长；副组长李副组长；联络员王联络员；负责长沙市水业集团有限公司。" in [
        p.text for p in doc.paragraphs
    ]
    row = doc.tables[0].rows[1]
    assert [c.text for c in row.cells] == [
        "第一巡察组",
        "长沙市水业集团有限公司",
        "常规巡察",
        "2024年10月8日",
        "2024年12月6日",
        "2024年11月29日",
    ]
    # Official fonts carry a Noto CJK alternate for machines without them.
    table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = table.blob.decode()
    assert 'w:name="方正小标宋简体"' in xml and 'w:val="Noto Serif CJK SC"' in xml


def test_the_team_notice_has_the_red_masthead_and_every_member(
    city_round, syjt_assignment, make_person, orgs, committees
):
    _staffed(city_round, syjt_assignment, make_person, orgs, committees)
    doc = Document(BytesIO(team_notice_docx(city_round)))
    texts = [p.text for p in doc.paragraphs]
    masthead = doc.paragraphs[0].runs[0]
    assert masthead.text == "中共长沙市委巡察工作领导小组文件" and str(masthead.font.color.rgb) == "E60012"
    assert texts[1] == "长巡发〔2024〕1号"
    assert "关于成立长沙市委2024年第一轮巡察组的通知" in texts
    for line in [
        "组长：张组长",
        "副组长：李副组长",
        "联络员：王联络员",
        "成员：赵组员",
        "巡察对象：长沙市水业集团有限公司",
    ]:
        assert line in texts
    assert texts[-1].endswith("日") and texts[-2] == "中共长沙市委巡察工作领导小组"


def test_a_provincial_round_is_worded_as_xunshi_and_unit_names_with_a_dunhao_stay_whole(committees, orgs):
    from datetime import date

    from xuncha.orgs.choices import OrgLevel, PartyOrgType
    from xuncha.orgs.services import organization_save
    from xuncha.planning.services.assignments import assignment_create
    from xuncha.planning.services.plans import round_create

    province = committees["province"]
    round_ = round_create(actor=SETUP, committee=province, year=2023, seq_no=2, start_date=date(2023, 9, 7),
                          end_date=date(2023, 11, 7))  # fmt: skip
    team = team_create(actor=SETUP, round_=round_)
    assert team.name == "第一巡视组"
    joint, _ = organization_save(actor=SETUP, org_code="CS-RF", name="长沙市住房和城乡建设局、人防办",
                                 level=OrgLevel.DEPARTMENT, party_org_type=PartyOrgType.LEADING_GROUP,
                                 managed_by=committees["city"])  # fmt: skip
    for org in (orgs["syjt"], joint):
        assignment_create(actor=SETUP, round_=round_, organization=org, inspection_type="regular",
                          planned_entry=date(2023, 9, 7), team=team)  # fmt: skip
    notice = [p.text for p in Document(BytesIO(team_notice_docx(round_))).paragraphs]
    title = next(t for t in notice if t.startswith("关于成立"))
    assert title == f"关于成立{round_.name.removesuffix('巡视')}巡视组的通知" and "巡察" not in "".join(notice)
    assert "巡视对象：长沙市水业集团有限公司；长沙市住房和城乡建设局、人防办" in notice
    plan = Document(BytesIO(work_plan_docx(round_)))
    text = "".join(p.text for p in plan.paragraphs) + "".join(c.text for c in plan.tables[0].rows[0].cells)
    assert "巡视组" in text and "被巡视党组织" in text and "巡察" not in text.replace("巡察工作条例", "")
