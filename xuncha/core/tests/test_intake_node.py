"""The internet-facing intake node serves the public channel, sign-in and the bundle export, and nothing else."""

from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from xuncha.conftest import PASSWORD
from xuncha.core import navigation

INTAKE = "config.intake_urls"
INTERNAL = "config.urls"

# Everything the internet can reach on the intake node; adding to it must be a deliberate change here.
INTAKE_VIEW_NAMES = {
    "core:home",
    "core:healthz",
    "accounts:login",
    "accounts:second_factor",
    "accounts:logout",
    "accounts:own_password",
    "ferry:transfer",
    "public:report",
    "public:status",
    "public:survey",
}

STAFF_PAGES = [
    "/planning/rounds/",
    "/planning/assignments/",
    "/orgs/",
    "/orgs/people/",
    "/petitions/",
    "/petitions/register/",
    "/petitions/1/",
    "/petitions/export.xlsx",
    "/accounts/users/",
    "/committees/",
    "/settings/params/",
    "/security/audit/",
]


@pytest.fixture
def intake(settings: Any) -> None:
    """This process runs as the intake node, with the URL map settings choose for it."""
    settings.NODE = "intake"
    settings.ROOT_URLCONF = INTAKE


def _view_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _view_names(entry, inner)
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}{entry.name}")
    return names


def test_the_intake_url_map_holds_only_the_public_channel_sign_in_and_the_transfer() -> None:
    assert _view_names(get_resolver(INTAKE)) == INTAKE_VIEW_NAMES


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_exist_inside_but_not_on_the_intake_node(path: str) -> None:
    resolve(path, urlconf=INTERNAL)
    with pytest.raises(Resolver404):
        resolve(path, urlconf=INTAKE)


def test_staff_pages_are_not_found_on_the_intake_node_signed_in_or_not(
    intake: None, personas: dict[str, Any], login: Any
) -> None:
    for user in (None, personas["city_admin"], personas["sys_admin"]):
        client = login(user)
        for path in STAFF_PAGES:
            response = client.get(path)
            assert response.status_code == 404, (path, user)
            assert "页面不存在" in response.content.decode()


def test_the_public_channel_resolves_on_the_intake_node(intake: None, db: Any) -> None:
    assert resolve("/p/abc123/").view_name == "public:report"
    assert resolve("/p/abc123/survey/").view_name == "public:survey"
    assert resolve("/p/status/").view_name == "public:status"
    assert Client().get("/p/status/").status_code == 200


def test_the_login_page_renders_in_chinese_on_the_intake_node(intake: None, db: Any) -> None:
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "用户登录" in response.content.decode()


def test_static_files_and_the_liveness_probe_are_served_on_the_intake_node(intake: None, db: Any) -> None:
    assert Client().get("/static/xuncha/css/app.css").status_code == 200
    assert Client().get("/healthz").content == b"ok"


def test_the_transfer_page_resolves_and_its_menu_lists_only_what_the_node_serves(
    intake: None, personas: dict[str, Any], login: Any
) -> None:
    assert reverse("ferry:transfer") == "/ferry/transfer/"
    assert resolve("/ferry/transfer/").view_name == "ferry:transfer"
    page = login(personas["city_admin"]).get("/ferry/transfer/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "本机为互联网受理节点" in html
    assert 'href="/ferry/transfer/"' in html
    for absent in ("/planning/", "/orgs/", 'href="/petitions/"', "/settings/", "/committees/"):
        assert absent not in html, absent


def test_the_work_bench_of_the_intake_node_leads_to_the_transfer(
    intake: None, personas: dict[str, Any], login: Any
) -> None:
    assert login(None).get("/")["Location"].startswith("/accounts/login/")
    assert login(personas["city_admin"]).get("/")["Location"] == "/ferry/transfer/"


def test_office_admins_reach_the_second_factor_on_the_intake_node(
    intake: None, personas: dict[str, Any], all_personas: Any
) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "city_admin", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:second_factor")
    assert client.get(response["Location"]).status_code == 200


def test_a_user_without_the_transfer_role_signs_in_and_is_refused_in_chinese(
    intake: None, personas: dict[str, Any], all_personas: Any
) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "no_role", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/ferry/transfer/"
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert client.post("/accounts/logout/").status_code == 302


def test_every_menu_entry_has_a_page_in_the_internal_url_map() -> None:
    # The menu skips entries the active URL map lacks (the intake node); inside, a skip would be a typo.
    for entry in navigation._ENTRIES:
        reverse(entry.url_name, urlconf=INTERNAL)
