"""Scope matching (domain.md §5.2): how reports name people — 王书记, 王某某副总, 欧阳主任, 财务部部长 —
against the current roster of the target's leadership, key posts and next-level top leaders."""

from datetime import date

import pytest

from xuncha.core.tests.setup import SETUP
from xuncha.orgs.choices import OrgLevel, PartyOrgType, PostKind
from xuncha.orgs.services import organization_save
from xuncha.petitions.triage.scope import ScopeMatch, scope_matches

ON = date(2024, 10, 15)


@pytest.fixture
def people(team_world, make_person, orgs, committees):
    syjt = orgs["syjt"]
    branch, _ = organization_save(
        actor=SETUP,
        org_code="CS-SYJT-GS",
        name="长沙市水业集团供水分公司",
        level=OrgLevel.SOE,
        party_org_type=PartyOrgType.BRANCH,
        managed_by=committees["city"],
        parent=syjt,
    )
    return {
        "chair": make_person("王建军", syjt, "党委书记、董事长", PostKind.TOP_LEADER, date(2019, 1, 1)),
        "deputy": make_person("王建国", syjt, "副总经理", PostKind.LEADERSHIP_MEMBER, date(2020, 3, 1)),
        "cfo": make_person("刘芳", syjt, "财务部部长", PostKind.KEY_POST, date(2020, 1, 1)),
        "office": make_person("欧阳明", syjt, "办公室主任", PostKind.KEY_POST, date(2021, 1, 1)),
        "branch_head": make_person("李强", branch, "党支部书记、经理", PostKind.TOP_LEADER, date(2022, 1, 1)),
        # Out of scope: staff, a next-level deputy, a former chairman, a leader of an unrelated unit.
        "clerk": make_person("陈小明", syjt, "出纳", PostKind.STAFF, date(2021, 1, 1)),
        "branch_deputy": make_person("王小平", branch, "副经理", PostKind.LEADERSHIP_MEMBER, date(2022, 1, 1)),
        "former": make_person("张伟", syjt, "董事长", PostKind.TOP_LEADER, date(2012, 1, 1), date(2018, 12, 31)),
        "elsewhere": make_person("王局", orgs["yh"], "区长", PostKind.TOP_LEADER, date(2020, 1, 1)),
    }


def _find(world, name="", position="", unit="") -> list[ScopeMatch]:
    content = {"subject_name": name, "subject_position": position, "subject_unit": unit}
    return scope_matches(world["assignment"], content, on=ON)


@pytest.mark.parametrize(
    ("name", "position", "who"),
    [
        ("王董事长", "", "王建军"),
        ("王书记", "", "王建军"),
        ("王董", "", "王建军"),
        ("王某某副总", "", "王建国"),
        ("王某某", "副总", "王建国"),
        ("王某", "副总经理", "王建国"),
        ("王XX", "董事长", "王建军"),
        ("王总", "", "王建国"),  # 副总经理 are called 王总 too
        ("欧阳主任", "", "欧阳明"),
        ("刘部长", "", "刘芳"),
        ("", "财务部部长", "刘芳"),
        ("财务部部长", "", "刘芳"),
        ("", "财务部长", "刘芳"),
        ("", "董事长", "王建军"),
        ("董事长", "", "王建军"),
        ("", "集团董事长", "王建军"),
        ("", "一把手", "王建军"),
        ("李经理", "", "李强"),
        ("", "供水分公司经理", "李强"),
        ("王建军董事长", "", "王建军"),
        ("刘芳同志", "", "刘芳"),
    ],
)
def test_a_reference_finds_the_right_person_first(team_world, people, name, position, who):
    found = _find(team_world, name, position)
    assert found and found[0].name == who, found
    assert found[0].score >= 0.8
    assert found[0].basis and found[0].kind.endswith(found[0].basis)  # how it matched, shown after the kind
    assert all(m.score < found[0].score for m in found[1:])


def test_a_surname_and_title_lists_every_namesake_with_the_fitting_title_first(team_world, people):
    chair, deputy = _find(team_world, "王书记")
    assert (chair.name, chair.title, chair.kind.split("；")[0]) == (
        "王建军",
        "党委书记、董事长",
        "主要负责人（一把手）",
    )
    assert "姓氏“王”相符" in chair.basis and "党委书记" in chair.basis
    assert deputy.name == "王建国" and deputy.score <= 0.3 and "仅姓氏“王”相符" in deputy.basis
    # The surname alone: both, neither claimed (the top leader first at equal scores).
    both = _find(team_world, "王某某")
    assert [m.name for m in both] == ["王建军", "王建国"] and {m.score for m in both} == {0.5}
    assert "未写职务" in both[0].kind
    # Out of scope: the next-level deputy 王小平, and 王局 of an unrelated unit.
    assert {m.name for m in both} == {m.name for m in _find(team_world, "王某")}


def test_a_title_no_one_of_that_surname_holds_claims_no_certainty(team_world, people):
    found = _find(team_world, "王局长")
    assert {m.name for m in found} == {"王建军", "王建国"}
    assert all(m.score <= 0.3 and "所写职务“局长”与现任职务不符" in m.basis for m in found)
    # A deputy is addressed by the principal's title; a principal is not by the deputy's.
    [m, *_] = _find(team_world, "王总经理")
    assert m.name == "王建国" and 0.6 < m.score < 0.9 and "副职" in m.basis
    assert _find(team_world, "刘副部长")[0].score < _find(team_world, "刘部长")[0].score


def test_a_title_read_as_a_name_does_not_bring_namesakes(team_world, people, make_person, orgs):
    make_person("董丽", orgs["syjt"], "工会主席", PostKind.LEADERSHIP_MEMBER, date(2020, 1, 1))
    assert [m.name for m in _find(team_world, "董事长")] == ["王建军"]
    assert [m.name for m in _find(team_world, "董某某")] == ["董丽"]
    assert _find(team_world, "董主席")[0].name == "董丽"


def test_compound_surnames_are_read_whole(team_world, people):
    [m] = _find(team_world, "欧阳主任")
    assert m.name == "欧阳明" and m.score >= 0.9 and "姓氏“欧阳”相符" in m.basis
    [m] = _find(team_world, "欧阳某某")
    assert m.name == "欧阳明" and m.score == 0.5 and "仅姓氏“欧阳”相符，未写职务" in m.basis
    # 欧 could be a single surname: found, with less certainty, and said so.
    [m] = _find(team_world, "欧主任")
    assert m.name == "欧阳明" and m.score < 0.6 and "姓名开头“欧”（其姓为“欧阳”）相符" in m.basis


def test_the_unit_written_raises_those_in_it_and_lowers_the_others(team_world, people):
    [m] = _find(team_world, "李某", unit="供水分公司")
    assert m.name == "李强" and m.kind.startswith("下一级主要负责人") and "单位相符" in m.basis
    assert m.score > _find(team_world, "李某")[0].score
    for unit in ("水业集团", "长沙市水业集团有限公司"):
        assert {m.name for m in _find(team_world, "王某某", unit=unit)} == {"王建军", "王建国"}
    [m] = _find(team_world, "", "部长", unit="集团财务部")
    assert m.name == "刘芳" and "单位相符" in m.basis
    # Another unit: the chairman is still shown, less certain; the surname alone no longer.
    [m] = _find(team_world, "王某某", "董事长", unit="市交通运输局")
    assert m.name == "王建军" and m.score < 0.6 and "所写单位“市交通运输局”与其任职单位不符" in m.basis
    assert _find(team_world, "王某某", unit="市交通运输局") == []
    # The title of the next-level unit is not the target's.
    assert [m.name for m in _find(team_world, "", "供水分公司书记")] == ["李强"]


def test_full_names_are_exact_and_a_different_name_with_a_title_is_flagged(team_world, people):
    [m] = _find(team_world, "王建国")
    assert (m.name, m.score, m.basis) == ("王建国", 1.0, "姓名相同")
    [m] = _find(team_world, "王建国", "副总经理")
    assert m.score == 1.0 and "职务" in m.basis
    assert _find(team_world, "王建华") == []  # one character off: not guessed
    [m] = _find(team_world, "财务部刘芳")
    assert (m.name, m.score) == ("刘芳", 1.0) and "单位相符" in m.basis
    [m] = _find(team_world, "张三", "董事长")
    assert m.name == "王建军" and m.score < 0.6 and "所写姓名“张三”与现任者不符" in m.basis


def test_a_shorter_name_within_a_longer_one_is_not_that_person(team_world, people, make_person, orgs):
    make_person("王建", orgs["syjt"], "纪委书记", PostKind.LEADERSHIP_MEMBER, date(2020, 1, 1))
    assert [m.name for m in _find(team_world, "王建军")] == ["王建军"]
    assert [m.name for m in _find(team_world, "王建")] == ["王建"]


def test_several_people_in_one_reference(team_world, people):
    assert {m.name for m in _find(team_world, "王书记、刘某")} == {"王建军", "刘芳", "王建国"}


@pytest.mark.parametrize(
    ("name", "position", "unit"),
    [
        ("张三", "", ""),
        ("赵某某", "", ""),
        ("赵某某", "局长", ""),
        ("", "局长", ""),
        ("陈小明", "出纳", ""),  # staff
        ("王小平", "副经理", ""),  # a next-level deputy
        ("张伟", "董事长", ""),  # no longer in post: the current chairman only, and not as the person named
        ("", "", "长沙市水业集团有限公司"),
        ("", "", ""),
    ],
)
def test_unrelated_or_out_of_scope_references_find_nobody_certain(team_world, people, name, position, unit):
    found = _find(team_world, name, position, unit)
    assert all(m.name not in {"陈小明", "王小平", "张伟", "王局"} for m in found)
    assert all(m.score < 0.6 for m in found)
    if not position or position == "局长":
        assert found == []


def test_positions_ended_before_the_day_do_not_count(team_world, people):
    assert [m.name for m in _find(team_world, "", "董事长")] == ["王建军"]
    found = scope_matches(team_world["assignment"], {"subject_position": "董事长"}, on=date(2015, 6, 1))
    assert [m.name for m in found] == ["张伟"]


def test_a_unit_or_department_before_the_name(team_world, people):
    [m] = _find(team_world, "办公室欧阳某")
    assert m.name == "欧阳明" and "单位相符" in m.basis
    [m, *_] = _find(team_world, "长沙市水业集团王某某", "董事长")
    assert m.name == "王建军" and "单位相符" in m.basis
    assert _find(team_world, "财务部王某") == []  # no 王 in 财务部 among the leaders and key posts


def test_a_deputy_written_for_a_principal_is_less_certain(team_world, people):
    [m, *_] = _find(team_world, "王副书记")
    assert m.name == "王建军" and m.score < _find(team_world, "王书记")[0].score and "所写为副职" in m.basis
    # A containing title is no near one: 总经理 is not the 经理 of the next-level unit.
    assert "李强" not in {m.name for m in _find(team_world, "", "总经理")}


def test_the_petition_page_shows_the_candidates_and_how_they_matched(team_world, people, login):
    import time_machine

    from xuncha.petitions.intake.services import petition_register
    from xuncha.petitions.tests.conftest import ON_SITE_DAY

    with time_machine.travel(ON_SITE_DAY, tick=False):
        petition = petition_register(
            actor=team_world["leader"], assignment=team_world["assignment"], channel="letter",
            content={"what": "反映王书记违规插手工程招标", "subject_name": "王书记"},
        )  # fmt: skip
        page = login(team_world["leader"]).get(f"/petitions/{petition.pk}/").content.decode()
    line = next(x for x in page.splitlines() if "受理范围：" in x)
    assert "王建军（长沙市水业集团有限公司党委书记、董事长，主要负责人（一把手）；姓氏“王”相符" in line
    assert line.index("王建军") < line.index("王建国") and "仅姓氏“王”相符" in line


# --- The text read (issue 11 §4): people named only in content["what"] -------------------------------


@pytest.fixture
def district(team_world, make_person, orgs, committees):
    """雨花区 (the other team's target) with two bureaus; key posts held in the bureaus are in scope."""

    def unit(code, name):
        org, _ = organization_save(
            actor=SETUP, org_code=code, name=name, level=OrgLevel.DEPARTMENT,
            party_org_type=PartyOrgType.LEADING_GROUP, managed_by=committees["city"], parent=orgs["yh"],
        )  # fmt: skip
        return org

    housing = unit("YH-ZJJ", "雨花区住房和城乡建设局")
    finance = unit("YH-CZJ", "雨花区财政局")
    start = date(2021, 1, 1)
    return {
        "secretary": make_person("刘志刚", orgs["yh"], "区委书记", PostKind.TOP_LEADER, start),
        "vice": make_person("王海", orgs["yh"], "副区长", PostKind.LEADERSHIP_MEMBER, start),
        "housing_head": make_person("郑国强", housing, "党组书记、局长", PostKind.TOP_LEADER, start),
        "housing_deputy": make_person("郑伟", housing, "副局长", PostKind.LEADERSHIP_MEMBER, start),  # out of scope
        "housing_office": make_person("李红", housing, "办公室主任", PostKind.KEY_POST, start),
        "housing_accounts": make_person("张丽", housing, "财务股股长", PostKind.KEY_POST, start),
        "finance_head": make_person("王志明", finance, "局长", PostKind.TOP_LEADER, start),
        "town_head": make_person("黄涛", orgs["tiaoma"], "党委书记", PostKind.TOP_LEADER, start),
    }


def _read(world, what, **fields) -> list[ScopeMatch]:
    return scope_matches(world["other"], {"what": what, **fields}, on=ON)


@pytest.mark.parametrize(
    ("what", "who"),
    [
        ("住建局郑局长在老旧小区改造工程中收受施工方回扣二十万元。", "郑国强"),
        ("反映住建局一把手插手工程招标，指定亲戚的公司中标。", "郑国强"),
        ("郑局多次让施工老板请吃饭，群众意见很大。", "郑国强"),
        ("那个姓郑的在拆迁中收了好处费。", "郑国强"),
        ("财政局局长违规报销发票，金额巨大。", "王志明"),
        ("王志明利用职务便利为其弟弟承揽工程。", "王志明"),
        ("跳马镇党委书记长期不在岗。", "黄涛"),
        ("住建局财务股张股长虚开发票套取资金。", "张丽"),  # a key post held in a sub-unit
        ("住建局办公室李主任公车私用。", "李红"),
        ("区里一把手搞一言堂，我们单位一把手刘书记不听意见。", "刘志刚"),
    ],
)
def test_people_named_only_in_the_text_are_found(team_world, district, what, who):
    found = _read(team_world, what)
    assert found and found[0].name == who, found
    # The surname alone (姓郑的) is found with the certainty of a surname; a title or unit with it, more.
    assert found[0].score >= (0.45 if "姓" in what else 0.6) and found[0].person_id == district_id(district, who)
    assert "正文提及" in found[0].basis and found[0].kind.endswith(found[0].basis)


def district_id(district, name):
    return next(p.pk for p in district.values() if p.name == name)


def test_a_key_post_of_a_sub_unit_is_in_scope_and_said_so(team_world, district):
    [m] = scope_matches(team_world["other"], {"subject_name": "张丽"}, on=ON)
    assert m.name == "张丽" and m.kind.startswith("下一级单位重要岗位") and m.unit == "雨花区住房和城乡建设局"
    # A next-level deputy is still out of scope, named in the text or in the fields.
    assert "郑伟" not in {m.name for m in _read(team_world, "郑伟副局长收受礼金", subject_name="郑伟")}


def test_the_fields_weigh_more_than_the_text_and_agreement_raises(team_world, district):
    found = _read(team_world, "听说住建局郑局长也参与了。", subject_name="王志明")
    assert [m.name for m in found[:2]] == ["王志明", "郑国强"]
    assert found[1].score < found[0].score and "正文提及“住建局郑局长”" in found[1].basis
    only_fields = scope_matches(team_world["other"], {"subject_name": "郑局长"}, on=ON)[0]
    both = _read(team_world, "郑局长收受回扣。", subject_name="郑局长")[0]
    assert both.name == only_fields.name == "郑国强" and both.score > only_fields.score
    alone = _read(team_world, "郑局长收受回扣。")[0]
    assert alone.name == "郑国强" and alone.score < both.score


def test_a_text_naming_no_one_in_scope_finds_nobody(team_world, district):
    assert _read(team_world, "小区物业乱收费，停车位被占用，希望尽快处理。") == []
    assert _read(team_world, "赵某某在菜市场缺斤少两。") == []
    # A deputy's title with the principal's surname: found, less certain than the principal's own title.
    deputy = _read(team_world, "住建局郑副局长收受礼金。")[0]
    assert deputy.name == "郑国强" and deputy.score < _read(team_world, "住建局郑局长收受礼金。")[0].score
