"""Parameters are read and edited in Chinese: the team-skills groups by the skills' names, never codes or JSON."""

import re

from xuncha.core.params import param_value


def test_the_skill_groups_are_shown_and_edited_by_name(personas, login, committees):
    city = committees["city"]
    client = login(personas["city_admin"])
    listing = client.get(f"/settings/params/?committee={city.pk}").content.decode()
    assert "财务或审计；纪检监察" in listing and "finance" not in listing and "ADR" not in listing
    url = f"/settings/params/{city.pk}/team_required_skills/"
    form = client.get(url).content.decode()
    [groups] = re.findall(r'(?s)<textarea name="groups"[^>]*>(.*?)</textarea>', form)
    assert groups.strip().splitlines() == ["财务、审计", "纪检监察"]
    refused = client.post(url, {"groups": "财务、审计\n纪检监察、会计学"}).content.decode()
    assert "第 2 行：没有名为“会计学”的专业特长" in refused
    assert param_value("team_required_skills", committee=city) == [["finance", "audit"], ["discipline"]]
    assert client.post(url, {"groups": "工程 审计\n法律"}).status_code == 302
    assert param_value("team_required_skills", committee=city) == [["engineering", "audit"], ["law"]]
