"""Parameters inherit down the committee tree; code tables are versioned."""

import pytest
from django.core.exceptions import ValidationError

from xuncha.core.codetables import code_items, code_table_new_version, parse_items
from xuncha.core.models import CodeTable, Committee
from xuncha.core.params import param_reset, param_set, param_value
from xuncha.core.permissions import committees_visible
from xuncha.core.tests.setup import SETUP


def test_a_parameter_set_by_the_city_is_inherited_by_its_districts(committees: dict[str, Committee]) -> None:
    assert param_value("rect_plan_due_working_days", committee=committees["yuhua"]) == 15
    param_set(actor=SETUP, key="rect_plan_due_working_days", committee=committees["city"], value=20)
    assert param_value("rect_plan_due_working_days", committee=committees["yuhua"]) == 20
    param_set(actor=SETUP, key="rect_plan_due_working_days", committee=committees["yuhua"], value="12")
    assert param_value("rect_plan_due_working_days", committee=committees["yuhua"]) == 12
    assert param_value("rect_plan_due_working_days", committee=committees["yuelu"]) == 20
    assert param_value("rect_plan_due_working_days", committee=committees["province"]) == 15
    param_reset(actor=SETUP, key="rect_plan_due_working_days", committee=committees["yuhua"])
    assert param_value("rect_plan_due_working_days", committee=committees["yuhua"]) == 20


def test_a_parameter_out_of_range_is_refused_in_chinese(committees: dict[str, Committee]) -> None:
    with pytest.raises(ValidationError, match="不能大于 60"):
        param_set(actor=SETUP, key="rect_plan_due_working_days", committee=committees["city"], value=99)
    with pytest.raises(ValidationError, match="必须是整数"):
        param_set(actor=SETUP, key="rect_plan_due_working_days", committee=committees["city"], value="十五")
    with pytest.raises(ValidationError, match="green、yellow"):
        param_set(actor=SETUP, key="rect_warning_days", committee=committees["city"], value={"red": 1})
    assert param_value("rect_plan_due_working_days", committee=committees["city"]) == 15


def test_a_new_code_table_version_becomes_current_and_keeps_the_old_one(db: object) -> None:
    old = CodeTable.objects.get(key="three_focuses", is_current=True)
    items = parse_items("focus_policy 聚焦党的理论路线方针政策\nfocus_people 聚焦民生实事")
    new = code_table_new_version(actor=SETUP, key="three_focuses", items=items)
    assert new.version == old.version + 1
    assert [i.code for i in code_items("three_focuses")] == ["focus_policy", "focus_people"]
    assert code_items("three_focuses", version=old.version).count() == 3


def test_code_table_lines_are_validated_with_line_numbers(db: object) -> None:
    with pytest.raises(ValidationError, match="第 2 行"):
        parse_items("a 甲\na 乙")
    with pytest.raises(ValidationError, match="第 1 行"):
        parse_items("只有名称")


def test_a_city_office_sees_both_districts_and_a_district_office_only_its_own(personas: dict, committees: dict) -> None:
    city = set(committees_visible(personas["city_office"]).values_list("name", flat=True))
    assert city == {"中共长沙市委", "中共雨花区委", "中共岳麓区委"}
    yuhua = set(committees_visible(personas["yuhua_office"]).values_list("name", flat=True))
    assert yuhua == {"中共雨花区委"}
    assert not committees_visible(personas["sys_admin"]).exists()
    assert not committees_visible(personas["unit_liaison"]).exists()
