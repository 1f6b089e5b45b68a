"""Every page against every persona: who gets in, who is refused, and that refusal changes nothing."""

from collections.abc import Callable

import pytest
from django.test import Client

from xuncha.core.models import AuditEvent, CalendarDay, CodeItemOverride, CodeTable, ConfigParam, ConfigValue
from xuncha.orgs.models import Organization

OFFICE = {"city_admin", "city_office", "city_director", "yuhua_office", "yuelu_office", "province_office"}
COMMITTEE = OFFICE | {
    "leading_group",
    "discipline",
    "province_discipline",
    "org_dept",
    "supervisor",
    "committee_member",
}
UNIT = {"unit_liaison", "unit_leader", "functional_dept"}
ALL = COMMITTEE | UNIT | {"sys_admin", "sec_admin", "sec_auditor", "no_role"}

# (url, personas allowed to GET it with 200)
PAGES: list[tuple[str, set[str]]] = [
    ("/", ALL),
    ("/committees/", COMMITTEE),
    ("/settings/calendar/", OFFICE | {"leading_group"}),
    ("/settings/params/", OFFICE | {"leading_group"}),
    ("/settings/codes/", OFFICE | {"leading_group"}),
    ("/settings/calendar/?year=2025&committee=national", OFFICE | {"leading_group"}),
    ("/settings/params/?committee=national", OFFICE | {"leading_group"}),
    ("/settings/codes/sector_tags/local/", OFFICE | {"leading_group"}),
    ("/settings/codes/six_disciplines/local/", OFFICE | {"leading_group"}),
    ("/security/audit/", {"sec_auditor", "city_admin"}),
    ("/accounts/users/", {"sys_admin", "sec_admin"}),
    ("/accounts/users/new/", {"sys_admin"}),
    ("/accounts/resets/", {"sys_admin", "sec_admin"}),
    ("/accounts/password/", ALL),
    ("/orgs/", COMMITTEE | UNIT),
    ("/orgs/people/", COMMITTEE | UNIT),
    ("/orgs/new/", OFFICE),
    ("/orgs/import/organizations/", OFFICE),
    ("/orgs/import/roster/", OFFICE),
    ("/orgs/import/roster/template.xlsx", OFFICE),
]


@pytest.mark.parametrize(("url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access_by_persona(url: str, allowed: set[str], personas: dict, login: Callable) -> None:
    for name, user in personas.items():
        response = login(user).get(url)
        expected = 200 if name in allowed else 403
        assert response.status_code == expected, f"{name} → {url}: {response.status_code}"
        if expected == 403:
            assert "无权访问" in response.content.decode()


@pytest.mark.parametrize(("url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_visitors_are_sent_to_the_login_page(url: str, allowed: set[str], client: Client, db: object) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_only_the_system_administrator_opens_the_reset_request_page(personas: dict, login: Callable) -> None:
    target = personas["unit_liaison"]
    for name, user in personas.items():
        response = login(user).get(f"/accounts/users/{target.pk}/reset/")
        assert response.status_code == (200 if name == "sys_admin" else 403), name


def test_refused_writes_change_nothing(personas: dict, committees: dict, login: Callable) -> None:
    city = committees["city"]
    before_orgs = Organization.objects.count()
    before_tables = CodeTable.objects.count()
    for name in ALL - {"city_admin"}:
        client = login(personas[name])
        r1 = client.post(f"/settings/params/{city.pk}/rect_plan_due_working_days/", {"value": "20"})
        r2 = client.post("/settings/codes/three_focuses/new-version/", {"name": "x", "items": "a 甲"})
        assert r2.status_code == 403, name
        assert r1.status_code in {403, 404}, name
    for name in ALL - OFFICE:
        r3 = login(personas[name]).post(
            "/orgs/new/",
            {
                "org_code": "X1",
                "name": "新单位",
                "level": "department",
                "party_org_type": "committee",
                "committee": city.pk,
            },
        )
        assert r3.status_code == 403, name
    assert not ConfigValue.objects.exists()
    assert Organization.objects.count() == before_orgs
    assert CodeTable.objects.count() == before_tables


def test_refused_configuration_writes_change_nothing(
    personas: dict, all_personas, committees: dict, login: Callable
) -> None:
    """Every persona but the top's office administrator is refused national writes; none but an
    office administrator of the city (or above) may write the city's calendar or code table."""
    city = committees["city"].pk
    before = (
        sorted(CalendarDay.objects.values_list("date", "kind", "committee_id")),
        CodeItemOverride.objects.count(),
        AuditEvent.objects.count(),
    )
    day = {"day": "2025-03-07", "kind": "holiday", "name": "x", "source": ""}
    for name in ALL:
        client = login(personas[name])
        for data in ({**day, "committee": "national"}, {**day, "committee": city}):
            r = client.post("/settings/calendar/save/", data)
            allowed = name == "city_admin" and data["committee"] == city
            assert (r.status_code == 302) is allowed, name
            if allowed:
                CalendarDay.objects.filter(committee_id=city).delete()
            else:
                assert r.status_code == 403, name
        r = client.post("/settings/calendar/2025-10-01/delete/", {"committee": "national"})
        assert r.status_code == 403, name
        r = client.post("/settings/codes/six_disciplines/local/save/", {"committee": city, "code": "a", "label": "甲"})
        assert r.status_code == 403, name
        r = client.post("/settings/params/national/notice_lead_days/", {"value": "5"})
        assert r.status_code == 403, name
    after = (
        sorted(CalendarDay.objects.values_list("date", "kind", "committee_id")),
        CodeItemOverride.objects.count(),
    )
    assert after == before[:2]
    assert ConfigParam.objects.get(key="notice_lead_days").default == 10
    # Only the city admin's one accepted (and then removed) entry was audited.
    assert AuditEvent.objects.count() == before[2] + 1


def test_a_district_admin_cannot_set_the_city_parameters(
    personas: dict, committees: dict, login: Callable, make_user
) -> None:
    from xuncha.core.roles import Role

    yuhua_admin = make_user("yuhua_admin", Role.OFFICE_ADMIN, committees["yuhua"])
    response = login(yuhua_admin).post(
        f"/settings/params/{committees['city'].pk}/rect_plan_due_working_days/", {"value": "20"}
    )
    assert response.status_code == 403
    assert "您无权修改中共长沙市委的配置" in response.content.decode()
    assert not ConfigValue.objects.exists()
    ok = login(yuhua_admin).post(
        f"/settings/params/{committees['yuhua'].pk}/rect_plan_due_working_days/", {"value": "20"}
    )
    assert ok.status_code == 302
    assert ConfigValue.objects.get().committee == committees["yuhua"]


def test_each_role_sees_only_its_own_menu(personas: dict, login: Callable) -> None:
    liaison = login(personas["unit_liaison"]).get("/").content.decode()
    assert "组织机构" in liaison and "审计日志" not in liaison and "用户管理" not in liaison
    auditor = login(personas["sec_auditor"]).get("/").content.decode()
    assert "审计日志" in auditor and "组织机构" not in auditor
    admin = login(personas["city_admin"]).get("/").content.decode()
    assert "配置参数" in admin and "用户管理" not in admin
