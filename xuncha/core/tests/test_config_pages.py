"""The configuration pages: each value's scope in Chinese, typed widgets, GET filters, and refusals that change nothing."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from xuncha.core.models import AuditEvent, CalendarDay, CodeItemOverride, CodeTable, ConfigValue
from xuncha.core.params import param_set, param_value
from xuncha.core.roles import Role
from xuncha.core.services import calendar_day_set


@pytest.fixture
def yuhua_admin(make_user: Any, committees: dict) -> Any:
    return make_user("yuhua_admin", Role.OFFICE_ADMIN, committees["yuhua"])


@pytest.fixture
def top_admin(make_user: Any, committees: dict) -> Any:
    return make_user("province_admin", Role.OFFICE_ADMIN, committees["province"])


def _state() -> tuple[Any, ...]:
    return (
        sorted(CalendarDay.objects.values_list("date", "kind", "committee_id")),
        sorted(ConfigValue.objects.values_list("param__key", "committee_id", "value")),
        sorted(CodeTable.objects.values_list("key", "version", "is_current")),
        sorted(CodeItemOverride.objects.values_list("committee_id", "table_key", "code", "label", "is_active")),
        AuditEvent.objects.count(),
    )


def test_the_district_admin_is_refused_national_and_city_writes_through_the_pages(
    yuhua_admin: Any, committees: dict, login: Callable
) -> None:
    client = login(yuhua_admin)
    city = committees["city"].pk
    before = _state()
    day = {"day": "2025-03-07", "kind": "holiday", "name": "擅自放假", "source": ""}
    r = client.post("/settings/calendar/save/", {**day, "committee": "national"})
    assert r.status_code == 403 and "全国统一的配置只能由最高一级巡察办管理员修改" in r.content.decode()
    r = client.post("/settings/calendar/save/", {**day, "committee": city})
    assert r.status_code == 403 and "您无权修改中共长沙市委的配置" in r.content.decode()
    r = client.post("/settings/calendar/2025-10-01/delete/", {"committee": "national"})
    assert r.status_code == 403
    r = client.post("/settings/codes/three_focuses/local/save/", {"committee": city, "code": "x", "label": "篡改"})
    assert r.status_code == 403 and "中共长沙市委" in r.content.decode()
    r = client.post(
        "/settings/codes/six_disciplines/local/save/",
        {"committee": committees["yuhua"].pk, "code": "mass", "label": "x", "active": "on"},
    )
    assert r.status_code == 403 and "全国统一代码表" in r.content.decode()
    r = client.post("/settings/codes/six_disciplines/new-version/", {"name": "六大纪律", "items": "a 甲"})
    assert r.status_code == 403 and "最高一级" in r.content.decode()
    r = client.post(f"/settings/params/{city}/rect_plan_due_working_days/", {"value": "5"})
    assert r.status_code == 403 and "您无权修改中共长沙市委的配置" in r.content.decode()
    assert _state() == before


def test_the_district_admin_adds_a_local_swap_day_and_sees_it_as_its_own(
    yuhua_admin: Any, committees: dict, login: Callable
) -> None:
    client = login(yuhua_admin)
    yuhua = committees["yuhua"].pk
    r = client.post(
        "/settings/calendar/save/",
        {"committee": yuhua, "day": "2025-03-08", "kind": "workday", "name": "区内调休上班", "source": "区委通知"},
    )
    assert r.status_code == 302 and r["Location"] == f"/settings/calendar/?year=2025&committee={yuhua}"
    assert CalendarDay.objects.get(committee_id=yuhua).name == "区内调休上班"
    page = client.get(r["Location"]).content.decode()
    assert "区内调休上班" in page and "本级" in page and "全国统一" in page
    assert "登记雨花区委本级节假日或调休上班日" in page
    national = client.get("/settings/calendar/?year=2025&committee=national").content.decode()
    assert "区内调休上班" not in national and "登记全国统一" not in national
    assert "全国统一日历只能由最高一级巡察办管理员修改" in national


def test_a_lower_committee_sees_the_city_entry_as_inherited(personas: dict, committees: dict, login: Callable) -> None:
    calendar_day_set(
        actor=personas["city_admin"], committee=committees["city"], day=date(2025, 3, 7),
        kind="holiday", name="市内放假",
    )  # fmt: skip
    page = login(personas["yuelu_office"]).get("/settings/calendar/?year=2025").content.decode()
    assert "市内放假" in page and "继承自上级（中共长沙市委）" in page
    assert "/delete/" not in page and 'action="/settings/calendar/save/"' not in page  # an office member reads only


def test_the_top_admin_edits_the_national_calendar_from_the_page(top_admin: Any, login: Callable) -> None:
    client = login(top_admin)
    page = client.get("/settings/calendar/?year=2025&committee=national").content.decode()
    assert "登记全国统一的法定节假日或调休上班日" in page
    r = client.post(
        "/settings/calendar/save/",
        {"committee": "national", "day": "2025-03-07", "kind": "holiday", "name": "全国放假", "source": ""},
    )
    assert r.status_code == 302
    assert CalendarDay.objects.filter(committee__isnull=True, name="全国放假").exists()


def test_the_parameter_page_names_each_value_s_scope(personas: dict, committees: dict, login: Callable) -> None:
    city_admin = personas["city_admin"]
    param_set(actor=city_admin, key="rect_plan_due_working_days", committee=committees["city"], value=20)
    param_set(actor=city_admin, key="notice_lead_days", committee=committees["yuhua"], value=12)
    page = login(city_admin).get(f"/settings/params/?committee={committees['yuhua'].pk}").content.decode()
    assert "继承自上级（中共长沙市委）" in page and "本级" in page and "默认值（全国统一）" in page
    assert "绿色预警（距时限天数） 20；黄色预警（距时限天数） 10" in page  # not JSON
    assert '{"green"' not in page and '"weekdays"' not in page


def test_structured_parameters_are_edited_with_typed_widgets(personas: dict, committees: dict, login: Callable) -> None:
    client = login(personas["city_admin"])
    city = committees["city"]
    page = client.get(f"/settings/params/{city.pk}/rect_warning_days/").content.decode()
    assert 'type="number"' in page and 'name="part_green"' in page
    r = client.post(f"/settings/params/{city.pk}/rect_warning_days/", {"part_green": "25", "part_yellow": "8"})
    assert r.status_code == 302
    assert param_value("rect_warning_days", committee=committees["yuelu"]) == {"green": 25, "yellow": 8}
    page = client.get(f"/settings/params/{city.pk}/reception_hours/").content.decode()
    assert 'type="checkbox"' in page and "周一" in page
    r = client.post(
        f"/settings/params/{city.pk}/reception_hours/",
        {"weekdays": ["1", "3", "5"], "ranges": "9:00-12:00\n14:00-17:00"},
    )
    assert r.status_code == 302
    assert param_value("reception_hours", committee=city) == {
        "weekdays": [1, 3, 5],
        "ranges": [["09:00", "12:00"], ["14:00", "17:00"]],
    }
    r = client.post(f"/settings/params/{city.pk}/reception_hours/", {"weekdays": ["1"], "ranges": "12:00-09:00"})
    assert r.status_code == 200 and "结束时间应晚于开始时间" in r.content.decode()
    r = client.post(f"/settings/params/{city.pk}/notice_lead_days/", {"value": "99"})
    assert r.status_code == 200 and "60" in r.content.decode()
    assert param_value("notice_lead_days", committee=city) == 10


def test_the_code_table_page_shows_scopes_and_lets_a_district_relabel_for_itself(
    yuhua_admin: Any, personas: dict, committees: dict, login: Callable
) -> None:
    yuhua = committees["yuhua"].pk
    client = login(personas["city_admin"])
    r = client.post(
        "/settings/codes/sector_tags/local/save/",
        {"committee": committees["city"].pk, "code": "soe", "label": "市属国有企业", "active": "on"},
    )
    assert r.status_code == 302
    client = login(yuhua_admin)
    page = client.get(f"/settings/codes/sector_tags/local/?committee={yuhua}").content.decode()
    assert "市属国有企业" in page and "继承自上级（中共长沙市委）" in page and "全国统一" in page
    r = client.post(
        "/settings/codes/sector_tags/local/save/",
        {"committee": yuhua, "code": "tea", "label": "茶产业", "active": "on"},
    )
    assert r.status_code == 302 and r["Location"] == f"/settings/codes/sector_tags/local/?committee={yuhua}"
    page = client.get(r["Location"]).content.decode()
    assert "茶产业" in page and "（本地代码）" in page
    national = client.get(f"/settings/codes/six_disciplines/local/?committee={yuhua}").content.decode()
    assert "本代码表全国统一" in national and "补充雨花区委本级代码项" not in national
    r = client.post("/settings/codes/sector_tags/local/save/", {"committee": yuhua, "code": "tea", "reset": "1"})
    assert not CodeItemOverride.objects.filter(committee_id=yuhua).exists()


def test_national_defaults_are_edited_only_by_the_top(
    top_admin: Any, personas: dict, all_personas, committees: dict, login: Callable
) -> None:
    before = _state()
    city_admin = login(personas["city_admin"])
    page = city_admin.get("/settings/params/?committee=national").content.decode()
    assert "全国统一默认值" in page and "修改默认值" not in page
    r = city_admin.post("/settings/params/national/notice_lead_days/", {"value": "5"})
    assert r.status_code == 403 and "最高一级" in r.content.decode()
    r = city_admin.post(f"/settings/params/{committees['city'].pk}/login_max_failures/", {"value": "3"})
    assert r.status_code == 403 and "全国统一，不能按党委单独设置" in r.content.decode()
    page = city_admin.get(f"/settings/params/?committee={committees['city'].pk}").content.decode()
    assert "/login_max_failures/" not in page
    assert _state() == before
    top = login(top_admin)
    assert "修改默认值" in top.get("/settings/params/?committee=national").content.decode()
    r = top.post("/settings/params/national/notice_lead_days/", {"value": "8"})
    assert r.status_code == 302 and r["Location"] == "/settings/params/?committee=national"
    assert param_value("notice_lead_days", committee=committees["yuelu"]) == 8
