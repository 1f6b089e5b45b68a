"""The queue pages in the database and searches sealed text through the blind index (ADR 0019)."""

import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuncha.core import sealing
from xuncha.core.actors import COMMAND_LINE
from xuncha.petitions.intake.services import petition_process, petition_register, petition_submit
from xuncha.petitions.models import Petition, PetitionTerm
from xuncha.petitions.rotation import rewrap
from xuncha.petitions.selectors import petition_search
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.test_rotation import _key
from xuncha.petitions.triage.search import search_filter, term_hash, terms


@pytest.fixture(autouse=True)
def _on_site():
    with time_machine.travel(ON_SITE_DAY, tick=False):
        yield


def _letter(world, what, assignment="assignment"):
    return petition_register(
        actor=world["leader"], assignment=world[assignment], channel="letter", content={"what": what}
    )


def test_terms_are_character_pairs_and_latin_words_never_the_text():
    assert terms("郑局长收受ABC公司3万元") >= {"郑局", "局长", "收受", "abc", "3", "万元"}
    assert terms("我") == {"我"}
    for term in terms("购物卡"):
        assert isinstance(term_hash(term), int)


def test_a_search_finds_by_a_chinese_fragment_without_opening_any_row(team_world, monkeypatch):
    hit = _letter(team_world, "反映水业集团某科长违规报销差旅费。")
    _letter(team_world, "反映某队长酒后驾驶公车，影响恶劣。")
    stored = list(PetitionTerm.objects.filter(petition=hit).values_list("term", flat=True))
    assert stored and term_hash("报销") in stored
    monkeypatch.setattr(sealing, "open_sealed", lambda *a, **k: pytest.fail("a search opened a sealed value"))
    found = list(petition_search(user=team_world["leader"], query="违规报销"))
    assert found == [hit]
    assert list(petition_search(user=team_world["leader"], query="报销公车")) == []
    assert list(petition_search(user=team_world["leader"], query=hit.number)) == [hit]


def test_a_search_stays_inside_what_the_user_may_see(team_world, personas):
    _letter(team_world, "反映某所长违规收费。")
    assert Petition.objects.count() == 1
    assert list(petition_search(user=team_world["other_team"], query="违规收费")) == []
    assert len(list(petition_search(user=personas["city_office"], query="违规收费"))) == 1
    assert list(petition_search(user=personas["yuhua_office"], query="违规收费")) == []
    assert list(search_filter(Petition.objects.none(), "违规收费")) == []


def test_a_page_of_the_queue_costs_the_same_queries_for_five_petitions_as_for_fifty(team_world, personas, login):
    client = login(personas["city_office"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/petitions/", {"q": "违规"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return len(captured)

    for i in range(5):
        _letter(team_world, f"反映第{i}个问题：某干部违规吃喝。")
    five = queries()
    for i in range(5, 60):
        _letter(team_world, f"反映第{i}个问题：某干部违规吃喝。")
    assert queries() == five
    page = client.post("/petitions/", {"q": "违规"}, HTTP_HX_REQUEST="true").content.decode()
    assert "共 60 件" in page and "第 1 / 2 页" in page


def test_a_broad_match_is_counted_up_to_the_cap(team_world, personas, login, monkeypatch):
    from xuncha.core import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for i in range(5):
        _letter(team_world, f"反映违规问题{i}。")
    page = login(personas["city_office"]).get("/petitions/").content.decode()
    assert "超过 3 件" in page


def test_the_index_survives_key_rotation_and_is_rebuilt_by_the_command(team_world, ring):
    a, _ = _key()
    b, _ = _key()
    ring(a)
    petition, _ = petition_submit(announcement=team_world["announcement"], content={"what": "郑某违规收受购物卡。"})
    petition_process(petition.pk)
    assert list(search_filter(Petition.objects.all(), "购物卡")) == [petition]

    ring(b, a)  # rotation: new seals under b, values rewrapped; the feature key stays
    rewrap(actor=COMMAND_LINE)
    assert list(search_filter(Petition.objects.all(), "购物卡")) == [petition]

    PetitionTerm.objects.all().delete()
    assert list(search_filter(Petition.objects.all(), "购物卡")) == []
    out = io.StringIO()
    call_command("petition_search_index", stdout=out)
    assert "1 件" in out.getvalue()
    assert list(search_filter(Petition.objects.all(), "购物卡")) == [petition]
