"""Browser journey in Debian's Chromium: a team leader opens the mobilisation meeting of his assignment."""

from datetime import date
from typing import Any

import pyotp
import pytest

from xuncha.conftest import PASSWORD, bind_totp
from xuncha.core.roles import Role
from xuncha.core.tests.setup import SETUP
from xuncha.planning.choices import AssignmentState
from xuncha.planning.services.assignments import assignment_authorize, assignment_set_team
from xuncha.planning.services.teams import team_create, team_member_add
from xuncha.planning.tests.conftest import link_account, pool_add
from xuncha.planning.tests.factories import assignment_advance

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """Live-server tests flush the database between tests; put the seeded code tables back."""
    from django.apps import apps

    from xuncha.core.seed.reference import load_reference_data

    load_reference_data(apps)


def test_a_team_leader_records_the_entry_meeting(
    browser: Any, live_server: Any, committees, orgs, make_person, make_user, syjt_assignment
) -> None:
    leader = make_person("万组长", orgs["cs"])
    pool_add(committees["city"], leader, "leader", ("discipline",))
    office = make_user("office_login", Role.OFFICE_ADMIN, committees["city"])
    account = link_account(office, leader, "leader_login")
    team = team_create(actor=SETUP, round_=syjt_assignment.round)
    team_member_add(actor=SETUP, team=team, person=leader, role="leader")
    assignment_set_team(actor=SETUP, assignment=syjt_assignment, team=team)
    assignment_authorize(actor=SETUP, assignment=syjt_assignment, doc_no="长巡授〔2024〕1号", on=date(2024, 9, 1))
    assignment_advance(syjt_assignment, AssignmentState.NOTIFIED)
    secret = bind_totp(account)  # a team leader may reveal reporters: TOTP at sign-in

    page = browser.new_page(locale="zh-CN")
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/planning/assignments/")
    page.get_by_label("用户名").fill("leader_login")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/login/verify/")
    page.get_by_label("动态口令").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/planning/assignments/")
    page.get_by_role("link", name="长沙市水业集团有限公司").click()
    assert page.get_by_role("heading", name="长沙市委2024年第一轮巡察·长沙市水业集团有限公司").is_visible()
    page.get_by_label("发生日期").first.fill("2024-10-08")
    page.get_by_role("button", name="召开进驻动员会").click()
    assert page.get_by_text("已办理：召开进驻动员会。").is_visible()
    assert page.locator(".card b").first.inner_text() == "已进驻"
    syjt_assignment.refresh_from_db()
    assert syjt_assignment.state == AssignmentState.ENTERED and str(syjt_assignment.entered_on) == "2024-10-08"
    assert external == []
    page.close()
