"""Searchable pickers instead of codes to know by heart: suggestions come only from what the user may see."""

import re


def _options(response) -> dict[str, str]:
    return dict(re.findall(r'<option value="([^"]*)">([^<]*)</option>', response.content.decode()))


def test_unit_suggestions_follow_the_registry_partition(personas, login, orgs):
    syjt = orgs["syjt"]
    city = _options(login(personas["city_office"]).get("/orgs/pick/", {"field": "org_code", "org_code": "水业"}))
    assert city.get(syjt.org_code, "").startswith(syjt.name)
    by_code = _options(
        login(personas["city_office"]).get("/orgs/pick/", {"field": "org_code", "org_code": syjt.org_code})
    )
    assert syjt.org_code in by_code
    district = _options(login(personas["yuhua_office"]).get("/orgs/pick/", {"field": "org_code", "org_code": "水业"}))
    assert syjt.org_code not in district
    assert login(personas["no_role"]).get("/orgs/pick/", {"q": "水业"}).status_code == 403


def test_people_and_grant_units_are_suggested_to_those_who_pick_them(personas, login, orgs):
    from xuncha.planning.tests.factories import PersonFactory

    person = PersonFactory(name="欧阳明", organization=orgs["syjt"])
    found = _options(
        login(personas["city_office"]).get("/orgs/people/pick/", {"field": "person_code", "person_code": "欧阳"})
    )
    assert found == {person.person_code: f"欧阳明（{person.person_code}）"}
    assert _options(login(personas["yuhua_office"]).get("/orgs/people/pick/", {"q": "欧阳"})) == {}
    grant = _options(
        login(personas["sec_admin"]).get("/accounts/grants/units/", {"field": "org_code", "org_code": "水业"})
    )
    assert orgs["syjt"].org_code in grant
    assert login(personas["city_office"]).get("/accounts/grants/units/", {"q": "水业"}).status_code == 403


def test_the_forms_offer_the_picker(personas, login, committees):
    from xuncha.planning.tests.factories import RoundFactory

    round_ = RoundFactory(committee=committees["city"])
    page = login(personas["city_admin"]).get(f"/planning/rounds/{round_.pk}/assignments/new/").content.decode()
    assert 'list="id_org_code-options"' in page and 'hx-get="/orgs/pick/"' in page and "<datalist" in page
