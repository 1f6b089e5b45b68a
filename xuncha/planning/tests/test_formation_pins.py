"""Formation pins are written with names, not codes to look up: a person of the round's pools by name (or
number, where two share a name), a unit by its name, short name or code; each error names its line."""

import pytest
from django.core.exceptions import ValidationError

from xuncha.core.tests.setup import SETUP
from xuncha.planning.choices import PoolKind
from xuncha.planning.services.teams import pool_member_save
from xuncha.planning.tests.factories import AssignmentFactory, PersonFactory, RoundFactory
from xuncha.planning.views.teams import parse_options


def test_pins_take_names_and_say_which_line_is_wrong(committees, orgs):
    city = committees["city"]
    round_ = RoundFactory(committee=city)
    a = AssignmentFactory(round_=round_, organization=orgs["syjt"])
    zhang, li, li2 = PersonFactory(name="张三丰"), PersonFactory(name="李同名"), PersonFactory(name="李同名")
    for p in (zhang, li, li2):
        pool_member_save(actor=SETUP, committee=city, person=p, kind=PoolKind.TALENT, skills=[])
    options = parse_options(round_, {"team_count": 3, "pinned_people": "张三丰=1", "pinned_leaders": f"2={li.person_code}",
                                     "pinned_slots": f"{orgs['syjt'].name}=3", "excluded": ""})  # fmt: skip
    assert options["pinned_people"] == {str(zhang.pk): 0}
    assert options["pinned_leaders"] == {"1": li.pk}
    assert options["pinned_slots"] == {str(a.pk): 2}
    with pytest.raises(ValidationError) as refused:
        parse_options(round_, {"team_count": 3, "pinned_people": "李同名=1\n王无此人=2", "pinned_slots": "某局=1"})
    assert refused.value.messages == [
        "固定人员第 1 行：库内有 2 人名为“李同名”，请改写人员编号。",
        "固定人员第 2 行：组长库、人才库中没有“王无此人”。",
        "固定任务第 1 行：本轮没有名称或编码为“某局”的单位。",
    ]
