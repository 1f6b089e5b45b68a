"""The committee partition on the registry: districts see only themselves, the city sees both."""

from collections.abc import Callable
from datetime import date

from xuncha.core.tests.setup import SETUP
from xuncha.orgs.choices import PostKind
from xuncha.orgs.services import person_save, position_save


def _names(client, url: str = "/orgs/") -> str:  # type: ignore[no-untyped-def]
    return client.get(url).content.decode()


def test_a_district_office_sees_nothing_of_another_district(personas: dict, orgs: dict, login: Callable) -> None:
    person, _ = person_save(actor=SETUP, person_code="P-YL-1", name="岳麓某人")
    position_save(
        actor=SETUP,
        person=person,
        organization=orgs["yljd"],
        title="书记",
        post_kind=PostKind.TOP_LEADER,
        start_date=date(2021, 1, 1),
    )
    yuhua = login(personas["yuhua_office"])
    page = _names(yuhua)
    assert "雨花区跳马镇" in page and "跳马镇跳马村" in page
    assert "岳麓街道" not in page and "水业集团" not in page
    assert yuhua.get(f"/orgs/{orgs['yljd'].pk}/").status_code == 404
    assert "岳麓某人" not in _names(yuhua, "/orgs/people/")
    assert yuhua.get(f"/orgs/people/{person.pk}/").status_code == 404
    assert "共 0 个单位" in _names(yuhua, "/orgs/?q=岳麓")


def test_the_city_office_sees_both_districts(personas: dict, orgs: dict, login: Callable) -> None:
    page = _names(login(personas["city_office"]))
    assert "雨花区跳马镇" in page and "岳麓区岳麓街道" in page and "长沙市水业集团有限公司" in page
    assert "长沙市" in page


def test_a_unit_liaison_sees_only_its_own_unit(personas: dict, orgs: dict, login: Callable) -> None:
    client = login(personas["unit_liaison"])
    page = _names(client)
    assert "长沙市水业集团有限公司" in page and "跳马镇" not in page
    assert client.get(f"/orgs/{orgs['tiaoma'].pk}/").status_code == 404


def test_the_three_admin_roles_see_no_business_data(personas: dict, orgs: dict, login: Callable) -> None:
    for name in ("sys_admin", "sec_admin", "sec_auditor"):
        assert login(personas[name]).get(f"/orgs/{orgs['syjt'].pk}/").status_code == 403


def test_relations_are_shown_to_the_office_only(personas: dict, orgs: dict, login: Callable) -> None:
    from xuncha.orgs.services import relationship_add

    a, _ = person_save(actor=SETUP, person_code="P-A", name="甲某")
    b, _ = person_save(actor=SETUP, person_code="P-B", name="乙某")
    for p in (a, b):
        position_save(
            actor=SETUP,
            person=p,
            organization=orgs["syjt"],
            title=f"职务{p.pk}",
            post_kind=PostKind.LEADERSHIP_MEMBER,
            start_date=date(2020, 1, 1),
        )
    relationship_add(actor=SETUP, person_a=a, person_b=b, kind="spouse", source="verified")
    office = login(personas["city_office"]).get(f"/orgs/people/{a.pk}/").content.decode()
    assert "夫妻关系" in office
    liaison = login(personas["unit_liaison"]).get(f"/orgs/people/{a.pk}/").content.decode()
    assert "夫妻关系" not in liaison and "甲某" in liaison


def test_htmx_filtering_returns_only_the_results_partial(personas: dict, orgs: dict, login: Callable) -> None:
    response = login(personas["city_office"]).get("/orgs/?q=跳马", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body and "跳马镇" in body
