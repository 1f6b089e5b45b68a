"""Refused requests get Chinese pages that reflect nothing the request carried."""

from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver

from xuncha.core import views

MARKER = "举报内容MARKER-7f3a"
URLCONFS = ["config.urls", "config.intake_urls"]


def _assert_chinese_page_without_marker(response: Any, status: int, heading: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert heading in html
    assert "MARKER" not in html
    for technical in ("Bad Request", "CSRF", "Forbidden", "token", "/accounts/", "?q="):
        assert technical not in html, technical


@pytest.mark.parametrize("urlconf", URLCONFS)
def test_both_url_maps_use_the_chinese_error_pages(urlconf: str) -> None:
    resolver = get_resolver(urlconf)
    assert resolver.resolve_error_handler(400) is views.bad_request
    assert resolver.resolve_error_handler(403) is views.permission_denied
    assert resolver.resolve_error_handler(404) is views.page_not_found
    assert resolver.resolve_error_handler(500) is views.server_error


@pytest.mark.parametrize("urlconf", URLCONFS)
def test_a_form_with_too_many_fields_gets_the_chinese_400_page(urlconf: str, settings: Any, db: Any) -> None:
    settings.ROOT_URLCONF = urlconf
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = {f"field{i}": MARKER for i in range(10)}
    response = Client().post(f"/accounts/login/?q={MARKER}", {"username": MARKER, "password": MARKER, **fields})
    _assert_chinese_page_without_marker(response, 400, "请求无法处理")


@pytest.mark.parametrize("urlconf", URLCONFS)
def test_an_oversized_form_gets_the_chinese_400_page(urlconf: str, settings: Any, db: Any) -> None:
    settings.ROOT_URLCONF = urlconf
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = Client().post("/accounts/login/", {"username": MARKER, "password": MARKER * 200})
    _assert_chinese_page_without_marker(response, 400, "请求无法处理")


@pytest.mark.urls("xuncha.core.tests.error_urls")
def test_a_suspicious_request_gets_the_chinese_400_page(db: Any) -> None:
    response = Client().post(f"/suspicious/?q={MARKER}", {"text": MARKER})
    _assert_chinese_page_without_marker(response, 400, "请求无法处理")


def test_a_login_without_a_valid_csrf_token_says_the_page_expired(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.get("/accounts/login/").status_code == 200  # sets the CSRF cookie
    response = client.post(
        f"/accounts/login/?q={MARKER}", {"username": MARKER, "password": MARKER, "csrfmiddlewaretoken": "x" * 32}
    )
    _assert_chinese_page_without_marker(response, 403, "页面已过期")
    assert "刷新页面后重新提交" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_public_report_without_a_csrf_cookie_says_the_page_expired(settings: Any, db: Any) -> None:
    settings.NODE, settings.ROOT_URLCONF = "intake", "config.intake_urls"
    response = Client(enforce_csrf_checks=True).post(f"/p/sometoken/?q={MARKER}", {"content": MARKER})
    _assert_chinese_page_without_marker(response, 403, "页面已过期")
