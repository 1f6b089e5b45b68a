"""The queue's filters live in the address (a filtered list can be bookmarked, Back works); a typed search
never does — not in the address, not in a redirect, not in a link."""

import time_machine

from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_filters_are_an_address_and_a_search_is_not(team_world, login):
    for i in range(3):
        PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"], channel="visit",
                        what=f"来访反映某科长违规发放津贴（第{i}件）。")  # fmt: skip
    PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"], what="来信反映食堂问题。")
    client = login(team_world["leader"])
    sent = client.post("/petitions/", {"channel": "visit", "status": "", "assignment": ""})
    assert sent.status_code == 302 and sent["Location"] == "/petitions/?channel=visit"
    page = client.get(sent["Location"]).content.decode()
    assert "共 3 件" in page and 'value="visit" selected' in page

    searched = client.post("/petitions/", {"channel": "visit", "q": "津贴"})
    assert searched.status_code == 200 and "共 3 件" in searched.content.decode()
    assert "津贴" not in searched.get("Location", "") and "q=" not in searched.content.decode()

    live = client.post("/petitions/", {"channel": "letter"}, HTTP_HX_REQUEST="true")
    assert live["HX-Push-Url"] == "/petitions/?channel=letter" and "共 1 件" in live.content.decode()
    typed = client.post("/petitions/", {"channel": "letter", "q": "食堂"}, HTTP_HX_REQUEST="true")
    assert typed["HX-Push-Url"] == "false"


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_pages_of_a_filtered_list_are_links_that_keep_the_filters(team_world, login):
    for i in range(51):
        PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"], channel="phone",
                        what=f"来电反映某站违规收费（第{i}件）。")  # fmt: skip
    page = login(team_world["leader"]).get("/petitions/?channel=phone").content.decode()
    assert 'href="?channel=phone&amp;page=2"' in page
    second = login(team_world["leader"]).get("/petitions/?channel=phone&page=2").content.decode()
    assert "第 2 / 2 页" in second
