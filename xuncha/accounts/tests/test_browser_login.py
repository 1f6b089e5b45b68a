"""Browser journeys in Debian's Chromium (Playwright pointed at /usr/bin/chromium)."""

from typing import Any

import pyotp
import pytest

from xuncha.conftest import PASSWORD, bind_totp

pytestmark = pytest.mark.browser


def test_a_unit_liaison_logs_in_on_a_phone_and_sees_the_chinese_shell(
    browser: Any, live_server: Any, personas: dict, all_personas
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/orgs/")
    assert "/accounts/login/" in page.url
    page.get_by_label("用户名").fill("unit_liaison")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/orgs/")
    assert page.get_by_role("heading", name="组织机构").is_visible()
    assert page.get_by_text("长沙市水业集团有限公司").is_visible()
    assert page.get_by_text("雨花区跳马镇").count() == 0
    # The menu is folded on a phone and opens with its toggle.
    assert not page.locator(".sidenav").is_visible()
    page.get_by_text("菜单").click()
    assert page.locator(".sidenav").is_visible()
    assert external == []
    page.close()


def test_an_office_user_passes_the_totp_step_in_the_browser(browser: Any, live_server: Any, personas: dict) -> None:
    secret = bind_totp(personas["yuhua_office"])
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("yuhua_office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/login/verify/")
    assert page.get_by_role("heading", name="动态口令验证").is_visible()
    page.get_by_label("动态口令").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    page.get_by_role("link", name="组织机构").click()
    page.get_by_label("名称或编码").fill("跳马")
    page.wait_for_function("document.querySelector('#results').innerText.includes('共 2 个单位')")
    assert page.get_by_text("岳麓区岳麓街道").count() == 0
    page.close()
