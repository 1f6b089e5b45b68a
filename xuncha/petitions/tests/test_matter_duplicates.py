"""Near-duplicates by who and what (issue 11 §4, ADR 0022): paraphrases of one matter that share few
character pairs are proposed when they are about the same person of the roster and the same matter; the
same person on another matter, or the same matter about another person, are not."""

import base64
import itertools
from datetime import date, datetime, timedelta

import pytest
import time_machine

from xuncha.core import sealing
from xuncha.core.actors import COMMAND_LINE
from xuncha.core.sealing import open_sealed
from xuncha.core.tests.setup import SETUP
from xuncha.orgs.choices import OrgLevel, PartyOrgType, PostKind
from xuncha.orgs.services import organization_save
from xuncha.petitions.models import PetitionMatter
from xuncha.petitions.rotation import rewrap
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory
from xuncha.petitions.triage import dedup
from xuncha.petitions.triage.categories import near_duplicates
from xuncha.petitions.triage.matters import main_acts, particulars, resolved_people
from xuncha.petitions.triage.scope import ScopeMatch

# Two tellings of one matter: the name written once in full and once as a title, other words, other figures.
KICKBACK = (
    "集团王董事长在管网改造工程招标中收受施工方回扣二十万元。",
    "反映王建军拿了搞管网改造那个老板的好处费，大概20万。",
)
EXPENSES = (
    "财务部刘部长多次用假发票报销私人开支。",
    "集团财务部部长虚开发票套取公款，报了好几万的私人消费。",
)
BRANCH = (
    "供水分公司一把手李经理在水表采购中收受供应商红包。",
    "举报李强，水表采购拿了厂家的钱。",
)


@pytest.fixture
def roster(team_world, make_person, orgs, committees):
    branch, _ = organization_save(
        actor=SETUP, org_code="CS-SYJT-GS", name="长沙市水业集团供水分公司", level=OrgLevel.SOE,
        party_org_type=PartyOrgType.BRANCH, managed_by=committees["city"], parent=orgs["syjt"],
    )  # fmt: skip
    return {
        "chair": make_person("王建军", orgs["syjt"], "党委书记、董事长", PostKind.TOP_LEADER, date(2019, 1, 1)),
        "cfo": make_person("刘芳", orgs["syjt"], "财务部部长", PostKind.KEY_POST, date(2020, 1, 1)),
        "branch": make_person("李强", branch, "党支部书记、经理", PostKind.TOP_LEADER, date(2022, 1, 1)),
    }


DAY = datetime.fromisoformat(ON_SITE_DAY)
_minutes = itertools.count()


def _petition(world, what, **extra):
    """A petition received a minute after the one before (duplicates are earlier petitions)."""
    with time_machine.travel(DAY + timedelta(minutes=next(_minutes)), tick=False):
        return PetitionFactory(actor=world["leader"], assignment=world["assignment"], what=what, extra=extra)


def _found(petition):
    with time_machine.travel(DAY + timedelta(hours=12), tick=False):
        return near_duplicates(petition, open_sealed(petition.sealed_content, "content"))


@pytest.mark.parametrize("pair", [KICKBACK, EXPENSES, BRANCH])
def test_a_paraphrase_sharing_few_character_pairs_is_proposed_with_why(team_world, roster, pair):
    # Hard for the character MinHash: the two texts share few pairs.
    assert dedup.jaccard(dedup.shingles(pair[0]), dedup.shingles(pair[1])) < 0.25
    first, second = _petition(team_world, pair[0]), _petition(team_world, pair[1])
    [dup] = _found(second)
    assert dup.petition.pk == first.pk and dup.similarity >= 0.5
    assert dup.reason.startswith("被反映人同为") and "反映事项相同" in dup.reason
    assert _found(first) == []  # only earlier petitions are proposed


def test_the_same_person_on_another_matter_is_not_proposed(team_world, roster):
    _petition(team_world, KICKBACK[0])
    other_matter = _petition(team_world, "王建军长期打牌赌博，经常深夜才回家。")
    assert _found(other_matter) == []
    same_kind_other_project = _petition(team_world, "王董事长在水厂扩建项目里收受设备商回扣。")
    assert [d.petition.pk for d in _found(same_kind_other_project)] == []


def test_the_same_matter_about_another_person_is_not_proposed(team_world, roster):
    _petition(team_world, KICKBACK[0])
    # Close in wording too: the text MinHash alone would propose it.
    about_cfo = _petition(team_world, "财务部刘芳在管网改造工程招标中收受施工方回扣二十万元。")
    assert dedup.jaccard(dedup.shingles(KICKBACK[0]), dedup.shingles(about_cfo.sealed_content.open()["what"])) > 0.5
    assert _found(about_cfo) == []


def test_who_and_what_are_stored_only_as_keyed_hashes(team_world, roster):
    petition = _petition(team_world, KICKBACK[0])
    stored = list(PetitionMatter.objects.filter(petition=petition).values_list("feature", "assignment_id"))
    assert stored and all(a == team_world["assignment"].pk for _, a in stored)
    assert all(isinstance(f, int) for f, _ in stored)  # 64-bit HMACs: no name, no word
    # A petition naming no one of the roster stores nothing to compare.
    assert not PetitionMatter.objects.filter(petition=_petition(team_world, "小区路灯坏了收了钱也不修")).exists()


def test_the_features_survive_key_rotation_and_the_old_keys_removal(team_world, roster, ring):
    a, _ = sealing.generate_key_pair()
    b, _ = sealing.generate_key_pair()
    ring(a)
    first = _petition(team_world, KICKBACK[0])
    feature = sealing.feature_key()
    ring(b, a)  # rotation: the new key seals, the feature key stays
    rewrap(actor=COMMAND_LINE)
    second = _petition(team_world, KICKBACK[1])
    assert [d.petition.pk for d in _found(second)] == [first.pk]
    ring(b, feature=base64.b64encode(feature).decode())  # the old key removed, the feature key pinned
    assert [d.petition.pk for d in _found(second)] == [first.pk]


def test_the_same_person_on_a_matter_touching_the_other_is_not_proposed(team_world, roster):
    # Rigging told with 拿了: it touches on money taken, but is about the tender, not a kickback.
    _petition(team_world, KICKBACK[0])
    rigging = _petition(team_world, "王建军把管网改造工程内定给亲戚的公司，围标串标，亲戚拿了一大笔。")
    assert _found(rigging) == []
    assert main_acts(rigging.sealed_content.open()["what"]) == {"rigging"}


def test_the_same_kind_of_matter_at_another_place_is_not_proposed_beside_the_one_at_the_place(team_world, roster):
    here = _petition(team_world, "集团王董事长在荷花村管网改造工程招标中收受施工方回扣二十万元。")
    elsewhere = _petition(team_world, "集团王董事长在白沙村供水站管网改造工程招标中收受施工方回扣二十万元。")
    query = _petition(team_world, "反映王建军拿了荷花那边管网改造那个施工方老板的好处费，二十来万。")
    assert [d.petition.pk for d in _found(query)] == [here.pk]
    assert elsewhere.pk not in [d.petition.pk for d in _found(query)]


def _match(name, title, unit, score, pk):
    return ScopeMatch(name, title, unit, "", score, "", pk)


def test_the_particulars_leave_out_the_persons_unit_abbreviated_placeholders_and_figures():
    people = [_match("苏勇军", "财务股股长", "基准区卫生健康局", 0.9, 1)]
    words = particulars("卫健局的苏股长苏某某在菜市场提质中偷工减料，亏了九十四万元，二十来万，差不多三十万", people)
    assert "菜市场" in words
    assert not words & {"卫健局", "某某", "苏某某", "九十", "四万元", "二十来万", "三十万", "九十四万元"}


def test_of_people_as_sure_the_one_whose_title_is_written_is_kept():
    head = _match("田柏杰", "主任", "基准区同升街道", 0.84, 1)
    office = _match("姚涛松", "办公室主任", "基准区同升街道", 0.84, 2)
    assert resolved_people([head, office], "同升街道主任报假票") == [head]
    assert resolved_people([head, office], "同升街道办公室主任报假票") == [office]
    assert resolved_people([head, office], "同升街道的领导报假票") == [head, office]
    assert resolved_people([head, office], "姚涛松报假票") == [office]
