"""Browser journey at phone size: an anonymous report reaches the team, and its reporter reads the reply."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from xuncha.conftest import PASSWORD
from xuncha.petitions.models import Announcement

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """Live-server tests flush the database between tests; put the seeded code tables back."""
    from django.apps import apps

    from xuncha.core.seed.reference import load_reference_data

    load_reference_data(apps)


def test_an_anonymous_report_reaches_the_team_and_the_reporter_reads_the_reply(
    browser: Any, live_server: Any, team_world: dict
) -> None:
    today = timezone.localdate()
    Announcement.objects.filter(pk=team_world["announcement"].pk).update(
        period_start=today - timedelta(days=3), cutoff=today + timedelta(days=20)
    )
    token = team_world["announcement"].token
    external: list[str] = []

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    reporter = phone.new_page()
    reporter.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    reporter.goto(f"{live_server.url}/p/{token}/")
    assert reporter.get_by_text("0731—82186945").first.is_visible()
    reporter.get_by_label("被反映人姓名").fill("孙某某")
    reporter.get_by_label("反映的问题").fill("孙某某在工程招标中指定其亲属公司中标，金额较大。")
    reporter.get_by_role("button", name="提交").click()
    code = reporter.locator("#receipt-code").inner_text().strip()
    assert len(code) == 24

    desk = browser.new_context(locale="zh-CN")
    staff = desk.new_page()
    staff.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    staff.goto(f"{live_server.url}/petitions/")
    staff.get_by_label("用户名").fill("leader")
    staff.get_by_label("密码").fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    staff.wait_for_url(f"{live_server.url}/petitions/")
    assert staff.get_by_text("孙某某").first.is_visible()
    staff.locator("table a").first.click()
    assert staff.get_by_text("匿名反映。").is_visible()
    staff.get_by_label("答复反映人").fill("您反映的问题已收悉，巡察组将认真研究。")
    staff.get_by_role("button", name="发送答复").click()
    assert staff.get_by_text("已答复，反映人可凭查询码查看。").is_visible()

    reporter.goto(f"{live_server.url}/p/status/")
    reporter.get_by_label("查询码").fill(code)
    reporter.get_by_role("button", name="查询").click()
    assert reporter.get_by_text("您反映的问题已收悉，巡察组将认真研究。").is_visible()
    assert reporter.get_by_text("已收到，正在处理").is_visible()
    assert external == []
    phone.close()
    desk.close()
