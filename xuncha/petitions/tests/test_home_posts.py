"""Team posts are shown where roles are: a leader, a petition officer and a member see their team, post and
assignment on the home page, not "未分配角色"; the user page shows them to the administrators."""

import time_machine

from xuncha.petitions.tests.conftest import ON_SITE_DAY


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_team_accounts_see_their_posts_not_a_missing_role(team_world, personas, login):
    assignment = team_world["assignment"]
    expected = {"leader": "组长", "petition_officer": "信访岗", "member": "谈话外调岗"}
    for name, post in expected.items():
        page = login(team_world[name]).get("/").content.decode()
        assert "未分配角色" not in page and "尚未分配角色" not in page, name
        assert "巡察组职务" in page and post in page and assignment.organization.name in page, name
        assert f'href="/planning/assignments/{assignment.pk}/"' in page, name
    other = login(team_world["other_team"]).get("/").content.decode()
    assert assignment.organization.name not in other and "雨花区" in other
    bare = login(personas["no_role"]).get("/").content.decode()
    assert "未分配角色" in bare and "巡察组职务" not in bare


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_user_page_shows_the_team_posts(team_world, personas, login):
    page = login(personas["sys_admin"]).get(f"/accounts/users/{team_world['petition_officer'].pk}/").content.decode()
    assert "巡察组职务" in page and "信访岗" in page and "未分配角色。" not in page
