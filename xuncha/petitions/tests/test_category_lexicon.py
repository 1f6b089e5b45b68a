"""Six-discipline suggestions read with the lexicon of the 纪律处分条例 and everyday phrasing, ranked with
the words that matched, and still learning from staff decisions (issue 11 §4)."""

import pytest

from xuncha.petitions.decisions.services import petition_dispose
from xuncha.petitions.tests.factories import PetitionFactory
from xuncha.petitions.triage.categories import category_explained, category_suggestions, suggest_category


@pytest.mark.parametrize(
    ("what", "code"),
    [
        # 政治纪律
        ("该局长在干部大会上妄议中央大政方针，还要求下属统一口径对抗组织审查。", "political"),
        ("他在单位搞团团伙伙、拉帮结派，对上级的决策部署阳奉阴违、搞变通。", "political"),
        ("局长热衷算命看风水，办公楼改门朝向，还请人烧香拜佛。", "political"),
        # 组织纪律
        ("去年提拔的几个副科长都是局长的老乡，存在跑官要官和拉票现象。", "organizational"),
        ("他没有如实报告个人有关事项，隐瞒了在外地的房产。", "organizational"),
        # 廉洁纪律
        ("某科长多次收受工程老板红包和购物卡。", "integrity"),
        ("财务负责人违规报销差旅费，还虚开发票套取资金。", "integrity"),
        ("副镇长利用职务便利为其弟弟承揽工程，收了十万元好处费。", "integrity"),
        # 群众纪律
        ("村干部在低保评定中优亲厚友，把自己亲戚都评上了。", "mass"),
        ("窗口工作人员对前来办事的老百姓态度恶劣，门难进脸难看事难办。", "mass"),
        # 工作纪律
        ("住建局对小区漏水问题推诿扯皮，拖了半年不处理。", "work"),
        ("道路改造工程偷工减料，验收时监管不力，质量问题严重。", "work"),
        ("脱贫数据弄虚作假，各种检查材料层层加码走过场。", "work"),
        # 生活纪律
        ("该干部生活作风有问题，长期包养情人，还育有私生子。", "personal_conduct"),
        ("他经常和老板聚众赌博，喝酒到通宵，家风不正。", "personal_conduct"),
    ],
)
def test_each_discipline_is_suggested_first_from_its_wording(db, what, code):
    assert suggest_category({"what": what}) == code
    best = category_explained({"what": what})[0]
    assert best.code == code and best.terms and all(t in what for t in best.terms)
    assert best.reason.startswith("命中用语：") and f"“{best.terms[0]}”" in best.reason


def test_up_to_three_are_shown_each_with_the_words_that_matched(db):
    content = {"what": "局长拿回扣，在低保评定中优亲厚友，还长期不在岗。"}
    shown = category_suggestions(content)
    assert len(shown) == 3 and set(shown) == {"integrity", "mass", "work"}
    reasons = {s.code: s.reason for s in category_explained(content)[:3]}
    assert "“回扣”" in reasons["integrity"] and "“优亲厚友”" in reasons["mass"] and "“长期不在岗”" in reasons["work"]


def test_a_phrase_counts_once_for_the_discipline_of_its_article(db):
    # 吃拿卡要群众 is 群众纪律 (not also 廉洁纪律's 吃拿卡要); 收受礼金 is one term, not also 礼金.
    [best] = category_explained({"what": "办事员向群众吃拿卡要。"})[:1]
    assert best.code == "mass" and best.terms == ("向群众吃拿卡要",)
    integrity = next(s for s in category_explained({"what": "收受礼金。"}) if s.code == "integrity")
    assert integrity.terms == ("收受礼金",)


def test_nothing_pointing_anywhere_suggests_nothing(db):
    assert category_suggestions({"what": "小区门口的路灯坏了很久。"}) == []
    assert suggest_category({"what": ""}) == ""


def test_staff_decisions_still_teach_what_the_lexicon_lacks(team_world):
    unusual = "该同志天天在办公室刷短视频直播带货"
    assert suggest_category({"what": "他又在办公室刷短视频"}) != "work"
    petition = PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"], what=unusual)
    petition_dispose(actor=team_world["leader"], petition=petition, disposition="use_clue", category="work")
    best = category_explained({"what": "他又在办公室刷短视频"})[0]
    assert best.code == "work" and best.learned > 0 and "与此前定为该类的信访用语相近" in best.reason
    # The lexicon still leads where it names the offence.
    assert suggest_category({"what": "他在办公室刷短视频时收受红包和礼金"}) == "integrity"
