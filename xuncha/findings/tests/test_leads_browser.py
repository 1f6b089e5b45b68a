"""Browser journey: a public report → used as a lead by the team → decided and transferred by the office
director → signed for by 纪委 in its inbox → disposed of and reported back; the office sees the counts move."""

from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.utils import timezone

from xuncha.conftest import PASSWORD, bind_totp
from xuncha.fieldwork.models import Announcement

pytestmark = pytest.mark.browser

WHAT = "孙某某在水表采购招标中指定其亲属公司中标，金额约三百万元。"


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """Live-server tests flush the database between tests; put the seeded code tables back."""
    from django.apps import apps

    from xuncha.core.seed.reference import load_reference_data

    load_reference_data(apps)


def _sign_in(browser: Any, live_server: Any, user: Any, path: str) -> Any:
    """A desk of its own for `user`, signed in with password and TOTP, on `path`."""
    secret = bind_totp(user)
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/login/verify/")
    page.get_by_label("动态口令").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}{path}")
    return page


def _figures(page: Any) -> dict[str, str]:
    page.reload()
    row = page.locator("#lead-figures tbody tr", has_text="长沙市委")
    return {
        k: row.locator(f'[data-figure="{k}"]').inner_text().strip()
        for k in ("transferred", "signed", "concluded", "rate")
    }


def test_a_public_report_becomes_a_lead_transferred_signed_for_and_reported_back(
    browser: Any, live_server: Any, lead_world: dict, personas: Any
) -> None:
    today = timezone.localdate()
    Announcement.objects.filter(pk=lead_world["announcement"].pk).update(
        period_start=today - timedelta(days=3), cutoff=today + timedelta(days=20)
    )
    reporter = browser.new_context(locale="zh-CN").new_page()
    reporter.goto(f"{live_server.url}/p/{lead_world['announcement'].token}/")
    reporter.get_by_label("被反映人姓名").fill("孙某某")
    reporter.get_by_label("反映的问题").fill(WHAT)
    reporter.get_by_role("button", name="提交").click()
    assert len(reporter.locator("#receipt-code").inner_text().strip()) == 24

    office = _sign_in(browser, live_server, personas["city_office"], "/findings/leads/figures/")
    assert _figures(office) == {"transferred": "0", "signed": "0", "concluded": "0", "rate": "—"}
    assert "孙某某" not in office.content()

    team = _sign_in(browser, live_server, lead_world["leader"], "/petitions/")
    team.locator("table a").first.click()
    team.get_by_label("处置方式").select_option(label="作为问题线索")
    team.get_by_label("纪律分类").select_option(label="廉洁纪律")
    team.get_by_role("button", name="确定处置").click()
    assert team.get_by_text("已处置。").is_visible()
    team.goto(f"{live_server.url}/findings/leads/")
    team.locator("#results table a").first.click()
    assert team.get_by_text(WHAT).is_visible()
    team.get_by_label("组务会研究意见").fill("线索具体，建议移交市纪委监委。")
    team.get_by_role("button", name="提交组务会研究").click()
    assert team.get_by_text("已记录组务会研究。").is_visible()
    team.get_by_label("处置建议").select_option(label="移交纪委监委")
    team.get_by_role("button", name="提出处置建议").click()
    assert team.get_by_text("已提出处置建议。").is_visible()

    director = _sign_in(browser, live_server, lead_world["director"], "/findings/leads/decide/")
    director.locator('input[name="leads"]').first.check()
    director.get_by_label("决定机构").select_option(label="书记专题会")
    director.get_by_label("会议纪要或批件编号").fill("市委书记专题会纪要〔2024〕3号")
    director.get_by_role("button", name="记录决定").click()
    director.wait_for_url("**/findings/leads/transfer/")
    director.locator('input[name="leads"]').first.check()
    director.get_by_label("移交函文号").fill("长巡线移〔2024〕1号")
    director.get_by_role("button", name="移交").click()
    assert director.get_by_text("已移交长沙市纪委监委（长巡线移〔2024〕1号）。").is_visible()
    assert _figures(office) == {"transferred": "1", "signed": "0", "concluded": "0", "rate": "0.0%"}

    # Another body of the same committee gets nothing.
    org_dept = _sign_in(browser, live_server, personas["org_dept"], "/findings/leads/inbox/")
    assert org_dept.get_by_text("暂无移交给本单位的问题线索。").is_visible()

    discipline = _sign_in(browser, live_server, personas["discipline"], "/findings/leads/inbox/")
    assert discipline.get_by_text("长巡线移〔2024〕1号").first.is_visible()
    discipline.get_by_role("button", name="签收").click()
    assert discipline.get_by_text("已签收长巡线移〔2024〕1号。").is_visible()
    assert _figures(office)["signed"] == "1"
    discipline.locator(".card ul a").first.click()
    assert discipline.get_by_text(WHAT).is_visible()
    discipline.get_by_label("处置方式").select_option(label="初步核实")
    discipline.get_by_role("button", name="记录处置方式").click()
    assert discipline.get_by_text("已记录处置方式。").is_visible()
    discipline.get_by_label("办理结果").fill("经初步核实，反映问题基本属实，已立案审查。")
    discipline.get_by_role("button", name="反馈办理结果").click()
    assert discipline.get_by_text("已反馈办理结果。").is_visible()

    assert _figures(office) == {"transferred": "1", "signed": "1", "concluded": "1", "rate": "100.0%"}
    assert "孙某某" not in office.content()
    director.goto(f"{live_server.url}/findings/leads/")
    director.locator("#results table a").first.click()
    assert director.get_by_text("经初步核实，反映问题基本属实，已立案审查。").is_visible()
