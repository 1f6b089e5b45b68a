"""Configuration is partitioned like data (ADR 0016): a committee sets it for itself and those below,
national data (the statutory calendar, the code tables themselves) only from the top."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xuncha.core.codetables import (
    code_choices,
    code_override_delete,
    code_override_set,
    code_resolved,
    code_table_new_version,
)
from xuncha.core.models import AuditEvent, CalendarDay, CodeItemOverride, CodeTable, Committee, ConfigValue
from xuncha.core.models.calendar import DayKind
from xuncha.core.params import committees_affected, param_reset, param_set, param_value
from xuncha.core.roles import Role
from xuncha.core.services import calendar_day_delete, calendar_day_set
from xuncha.core.workdays import add_working_days, is_working_day

SATURDAY = date(2025, 3, 8)
FRIDAY = date(2025, 3, 7)


@pytest.fixture
def admins(make_user: Any, committees: dict[str, Committee]) -> dict[str, Any]:
    """An office administrator at each committee (the province is the top of this installation)."""
    return {
        name: make_user(f"{name}_admin", Role.OFFICE_ADMIN, committees[name])
        for name in ("province", "city", "yuhua", "yuelu")
    }


def _snapshot() -> tuple[Any, ...]:
    return (
        sorted(CalendarDay.objects.values_list("date", "kind", "committee_id", "name")),
        sorted(ConfigValue.objects.values_list("param__key", "committee_id", "value")),
        sorted(CodeTable.objects.values_list("key", "version", "is_current")),
        sorted(CodeItemOverride.objects.values_list("committee_id", "table_key", "code", "label", "is_active")),
        AuditEvent.objects.count(),
    )


def test_the_district_admin_cannot_change_the_national_calendar(admins: dict, committees: dict) -> None:
    yuhua = admins["yuhua"]
    before = _snapshot()
    with pytest.raises(PermissionDenied, match="全国统一的配置只能由最高一级巡察办管理员修改"):
        calendar_day_set(actor=yuhua, committee=None, day=FRIDAY, kind=DayKind.HOLIDAY, name="擅自放假")
    with pytest.raises(PermissionDenied, match="最高一级"):
        calendar_day_delete(actor=yuhua, committee=None, day=date(2025, 10, 1))
    # Nor through the city: a local entry for a committee above is refused as well.
    with pytest.raises(PermissionDenied, match="您无权修改中共长沙市委的配置"):
        calendar_day_set(actor=yuhua, committee=committees["city"], day=FRIDAY, kind=DayKind.HOLIDAY, name="x")
    # A city office is not the top either.
    with pytest.raises(PermissionDenied, match="最高一级"):
        calendar_day_set(actor=admins["city"], committee=None, day=FRIDAY, kind=DayKind.HOLIDAY, name="x")
    assert _snapshot() == before
    assert is_working_day(FRIDAY, committee=committees["yuhua"])


def test_the_district_admin_cannot_change_the_city_code_table(admins: dict, committees: dict) -> None:
    code_override_set(
        actor=admins["city"], committee=committees["city"], key="three_focuses", code="focus_policy", label="市级表述"
    )
    before = _snapshot()
    yuhua = admins["yuhua"]
    with pytest.raises(PermissionDenied, match="您无权修改中共长沙市委的配置"):
        code_override_set(
            actor=yuhua, committee=committees["city"], key="three_focuses", code="focus_policy", label="篡改"
        )
    with pytest.raises(PermissionDenied, match="您无权修改中共长沙市委的配置"):
        code_override_delete(actor=yuhua, committee=committees["city"], key="three_focuses", code="focus_policy")
    with pytest.raises(PermissionDenied, match="最高一级"):
        code_table_new_version(actor=yuhua, key="six_disciplines", items=[("political", "政治纪律")])
    with pytest.raises(PermissionDenied, match="最高一级"):
        code_table_new_version(actor=admins["city"], key="three_focuses", items=[("a", "甲")])
    # The six disciplines are national: not even a district's own relabel is allowed.
    with pytest.raises(PermissionDenied, match="全国统一代码表"):
        code_override_set(actor=yuhua, committee=committees["yuhua"], key="six_disciplines", code="mass", label="x")
    assert _snapshot() == before
    assert dict(code_choices("three_focuses", committee=committees["yuelu"]))["focus_policy"] == "市级表述"


def test_the_district_admin_cannot_change_the_city_parameters(admins: dict, committees: dict) -> None:
    param_set(actor=admins["city"], key="rect_plan_due_working_days", committee=committees["city"], value=20)
    before = _snapshot()
    with pytest.raises(PermissionDenied, match="您无权修改中共长沙市委的配置"):
        param_set(actor=admins["yuhua"], key="rect_plan_due_working_days", committee=committees["city"], value=5)
    with pytest.raises(PermissionDenied, match="您无权修改中共长沙市委的配置"):
        param_reset(actor=admins["yuhua"], key="rect_plan_due_working_days", committee=committees["city"])
    with pytest.raises(PermissionDenied, match="中共岳麓区委"):
        param_set(actor=admins["yuhua"], key="rect_plan_due_working_days", committee=committees["yuelu"], value=5)
    assert _snapshot() == before
    assert param_value("rect_plan_due_working_days", committee=committees["yuelu"]) == 20


def test_a_district_local_swap_day_applies_to_the_district_only(admins: dict, committees: dict) -> None:
    calendar_day_set(
        actor=admins["yuhua"], committee=committees["yuhua"], day=SATURDAY, kind=DayKind.WORKDAY, name="区内调休上班"
    )
    assert is_working_day(SATURDAY, committee=committees["yuhua"])
    assert not is_working_day(SATURDAY, committee=committees["city"])
    assert not is_working_day(SATURDAY, committee=committees["yuelu"])
    assert not is_working_day(SATURDAY, committee=None)
    assert add_working_days(FRIDAY, 1, committee=committees["yuhua"]) == SATURDAY
    assert add_working_days(FRIDAY, 1, committee=committees["city"]) == date(2025, 3, 10)
    event = AuditEvent.objects.filter(action="config.calendar_set").latest("seq")
    assert event.committee_id == committees["yuhua"].pk and "雨花区委本级日历" in event.summary


def test_the_city_override_applies_to_both_districts_unless_one_overrides_it(admins: dict, committees: dict) -> None:
    city, yuhua, yuelu = committees["city"], committees["yuhua"], committees["yuelu"]
    calendar_day_set(actor=admins["city"], committee=city, day=FRIDAY, kind=DayKind.HOLIDAY, name="市内放假")
    assert not is_working_day(FRIDAY, committee=yuhua)
    assert not is_working_day(FRIDAY, committee=yuelu)
    assert is_working_day(FRIDAY, committee=committees["province"])
    # 雨花区 keeps working that day: its own entry is nearer than the city's.
    calendar_day_set(actor=admins["yuhua"], committee=yuhua, day=FRIDAY, kind=DayKind.WORKDAY, name="区内照常上班")
    assert is_working_day(FRIDAY, committee=yuhua)
    assert not is_working_day(FRIDAY, committee=yuelu)
    calendar_day_delete(actor=admins["yuhua"], committee=yuhua, day=FRIDAY)
    assert not is_working_day(FRIDAY, committee=yuhua)
    # The city's office may also write for a district below it.
    calendar_day_set(actor=admins["city"], committee=yuelu, day=SATURDAY, kind=DayKind.WORKDAY, name="调休")
    assert is_working_day(SATURDAY, committee=yuelu) and not is_working_day(SATURDAY, committee=yuhua)


def test_a_local_entry_must_change_something_and_cannot_cancel_a_statutory_holiday(
    admins: dict, committees: dict
) -> None:
    yuhua = committees["yuhua"]
    with pytest.raises(ValidationError, match="全国统一的法定节假日"):
        calendar_day_set(actor=admins["yuhua"], committee=yuhua, day=date(2025, 10, 1), kind=DayKind.WORKDAY, name="x")
    with pytest.raises(ValidationError, match="已是休息日"):
        calendar_day_set(actor=admins["yuhua"], committee=yuhua, day=SATURDAY, kind=DayKind.HOLIDAY, name="x")
    with pytest.raises(ValidationError, match="已是工作日"):
        calendar_day_set(actor=admins["yuhua"], committee=yuhua, day=FRIDAY, kind=DayKind.WORKDAY, name="x")
    assert not CalendarDay.objects.filter(committee__isnull=False).exists()


def test_the_top_changes_the_national_calendar_and_everyone_follows(admins: dict, committees: dict) -> None:
    calendar_day_set(actor=admins["province"], committee=None, day=FRIDAY, kind=DayKind.HOLIDAY, name="全国放假")
    for name in ("province", "city", "yuhua", "yuelu"):
        assert not is_working_day(FRIDAY, committee=committees[name]), name
    event = AuditEvent.objects.filter(action="config.calendar_set").latest("seq")
    assert event.actor_id == admins["province"].pk and "全国统一日历" in event.summary
    calendar_day_delete(actor=admins["province"], committee=None, day=FRIDAY)
    assert is_working_day(FRIDAY, committee=committees["yuhua"])


def test_code_relabels_and_local_items_resolve_nearest_first(admins: dict, committees: dict) -> None:
    city, yuhua, yuelu = committees["city"], committees["yuhua"], committees["yuelu"]
    code_override_set(actor=admins["city"], committee=city, key="sector_tags", code="soe", label="市属国有企业")
    code_override_set(actor=admins["yuhua"], committee=yuhua, key="sector_tags", code="soe", label="区属国有企业")
    code_override_set(actor=admins["yuelu"], committee=yuelu, key="sector_tags", code="campus", label="高校园区")
    code_override_set(
        actor=admins["yuelu"], committee=yuelu, key="sector_tags", code="finance", label="x", active=False
    )
    assert dict(code_choices("sector_tags", committee=committees["province"]))["soe"] == "国有企业"
    assert dict(code_choices("sector_tags", committee=city))["soe"] == "市属国有企业"
    assert dict(code_choices("sector_tags", committee=yuhua))["soe"] == "区属国有企业"
    yuelu_codes = dict(code_choices("sector_tags", committee=yuelu))
    assert yuelu_codes["soe"] == "市属国有企业" and yuelu_codes["campus"] == "高校园区" and "finance" not in yuelu_codes
    assert "campus" not in dict(code_choices("sector_tags", committee=yuhua))
    scope = {r.code: r.owner for r in code_resolved("sector_tags", committee=yuelu)}
    assert scope["soe"] == city and scope["campus"] == yuelu and scope["education"] is None
    # A new national version keeps the local items and relabels (they are keyed by the table, not a version).
    code_table_new_version(actor=admins["province"], key="sector_tags", items=[("soe", "国有企业"), ("rural", "农村")])
    assert dict(code_choices("sector_tags", committee=yuelu)) == {
        "soe": "市属国有企业",
        "rural": "农村",
        "campus": "高校园区",
    }
    code_override_delete(actor=admins["yuhua"], committee=yuhua, key="sector_tags", code="soe")
    assert dict(code_choices("sector_tags", committee=yuhua))["soe"] == "市属国有企业"


def test_a_change_reaches_only_the_committees_that_inherit_it(admins: dict, committees: dict) -> None:
    c = committees
    param_set(actor=admins["yuhua"], key="notice_lead_days", committee=c["yuhua"], value=12)
    assert committees_affected("notice_lead_days", c["city"]) == {c["city"].pk, c["yuelu"].pk}
    assert committees_affected("notice_lead_days", c["province"]) == {c["province"].pk, c["city"].pk, c["yuelu"].pk}
    assert committees_affected("calendar", c["yuhua"]) == {c["yuhua"].pk}


def test_national_defaults_change_only_from_the_top_and_reach_everyone_who_inherits(
    admins: dict, committees: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xuncha.core import params

    c = committees
    param_set(actor=admins["yuhua"], key="notice_lead_days", committee=c["yuhua"], value=12)
    before = _snapshot()
    for name in ("city", "yuhua"):
        with pytest.raises(PermissionDenied, match="最高一级"):
            params.param_default_set(actor=admins[name], key="notice_lead_days", value=5)
    assert _snapshot() == before
    seen: list[Any] = []
    monkeypatch.setattr(params, "_listeners", [lambda key, ids: seen.append((key, ids))])
    params.param_default_set(actor=admins["province"], key="notice_lead_days", value=8)
    assert seen == [("notice_lead_days", None)]
    assert param_value("notice_lead_days", committee=c["yuelu"]) == 8
    assert param_value("notice_lead_days", committee=c["yuhua"]) == 12
    assert AuditEvent.objects.filter(action="config.param_default_set", actor=admins["province"]).exists()


def test_sign_in_parameters_are_national_only(admins: dict, committees: dict) -> None:
    before = _snapshot()
    for name in ("province", "city"):
        with pytest.raises(PermissionDenied, match="全国统一，不能按党委单独设置"):
            param_set(actor=admins[name], key="login_max_failures", committee=committees[name], value=3)
    assert _snapshot() == before


def test_reloading_the_reference_data_adds_national_days_beside_local_ones(admins: dict, committees: dict) -> None:
    from django.apps import apps

    from xuncha.core.seed.reference import load_reference_data

    national = CalendarDay.objects.get(committee__isnull=True, date=date(2025, 10, 1))
    national.delete()
    calendar_day_set(
        actor=admins["yuhua"], committee=committees["yuhua"], day=date(2025, 10, 1), kind=DayKind.HOLIDAY, name="区内"
    )
    load_reference_data(apps)
    assert CalendarDay.objects.filter(committee__isnull=True, date=date(2025, 10, 1), name=national.name).exists()
