"""The lead compartment as a persona matrix: list, detail, letter (the one export), search and counts each give
a lead to exactly its readers — the leader and lead officer of its team, the office director, the body it was
transferred to — and to nobody else; a lead's content is not in a database dump."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xuncha.core.models import AuditEvent
from xuncha.findings.leads.letter import lead_letter_make
from xuncha.findings.leads.selectors import lead_figures, lead_get, lead_list, lead_open
from xuncha.findings.leads.todos import lead_todos
from xuncha.findings.tests.leads_world import OPINION, RESULT, SECRETS, SUBJECT, SUMMARY, register, walk
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory
from xuncha.petitions.tests.leaks import db_leaks

OFFICES = {"city_office", "city_admin", "city_director", "province_office"}


@pytest.fixture(autouse=True)
def on_site_day():
    with time_machine.travel(ON_SITE_DAY, tick=False):
        yield


@pytest.fixture
def matrix(lead_world, all_personas):
    """Three leads: to the city's commission (concluded), sealed to the province (transferred), still registered."""
    to_city = walk(lead_world, register(lead_world), "concluded")
    to_upper = walk(lead_world, register(lead_world, about_own_discipline_leaders=True), "transferred",
                    destination="to_upper")  # fmt: skip
    fresh = register(lead_world, actor=lead_world["lead_officer"], source="check")
    readers = {
        "leader": {to_city, to_upper, fresh},
        "lead_officer": {to_city, fresh},  # a high-confidentiality lead is the leader's alone on the team
        "city_director": {to_city, to_upper, fresh},
        "discipline": {to_city},
        "province_discipline": {to_upper},
    }
    return {"leads": [to_city, to_upper, fresh], "readers": readers, "personas": all_personas, **lead_world}


def _expected(matrix, name):
    return {lead.pk for lead in matrix["readers"].get(name, set())}


def test_every_persona_lists_searches_and_opens_exactly_the_leads_it_may_read(matrix):
    personas = matrix["personas"]
    assert len(personas) >= 24
    wrong = []
    for name in sorted(personas):
        user = personas[name]
        expected = _expected(matrix, name)
        listed = set(lead_list(user=user).values_list("pk", flat=True))
        if listed != expected:
            wrong.append(f"{name} lists {sorted(listed)}, expected {sorted(expected)}")
        for lead in matrix["leads"]:
            found = set(lead_list(user=user, query=lead.number).values_list("pk", flat=True))
            if found != ({lead.pk} & expected):
                wrong.append(f"{name} searching {lead.number} finds {sorted(found)}")
            if (lead_get(user=user, pk=lead.pk) is not None) != (lead.pk in expected):
                wrong.append(f"{name} detail of {lead.number}")
            try:
                content = lead_open(actor=user, lead=lead)
            except PermissionDenied:
                if lead.pk in expected:
                    wrong.append(f"{name} refused the content of {lead.number}")
            else:
                if lead.pk not in expected or content.summary != SUMMARY:
                    wrong.append(f"{name} opened {lead.number}")
    assert wrong == []


def test_the_transfer_letter_goes_to_the_transferring_director_and_the_receiver_only(matrix):
    personas = matrix["personas"]
    to_city, to_upper, _ = matrix["leads"]
    allowed = {
        to_city.transfer_id: {"city_director", "discipline"},
        to_upper.transfer_id: {"city_director", "province_discipline"},
    }
    wrong = []
    for name in sorted(personas):
        for lead in (to_city, to_upper):
            try:
                lead_letter_make(actor=personas[name], transfer=lead.transfer)
                ok = True
            except PermissionDenied:
                ok = False
            if ok != (name in allowed[lead.transfer_id]):
                wrong.append(f"{name} letter of {lead.number}: {ok}")
    assert wrong == []


def test_only_the_offices_see_counts_and_counts_carry_no_content(matrix):
    personas = matrix["personas"]
    for name in sorted(personas):
        figures = {f.committee.short_name: f for f in lead_figures(user=personas[name])}
        if name in OFFICES:  # the city's offices and the province's (own and below)
            city = figures["长沙市委"]
            assert (city.registered, city.transferred, city.signed, city.concluded) == (3, 2, 1, 1), name
            assert city.completion_rate == "50.0%"
        elif name in ("yuhua_office", "yuelu_office"):  # a district office: its own district only
            assert "长沙市委" not in figures and len(figures) == 1, name
            assert next(iter(figures.values())).registered == 0
        else:
            assert figures == {}, name


def test_pages_show_a_lead_to_its_readers_and_refuse_or_hide_it_from_everyone_else(matrix, client):
    personas = matrix["personas"]
    wrong = []
    for name in sorted(personas):
        client.force_login(personas[name])
        expected = _expected(matrix, name)
        listing = client.get(reverse("findings:lead_list"))
        if expected and listing.status_code != 200:
            wrong.append(f"{name} list page {listing.status_code}")
        if listing.status_code == 200:
            shown = {lead.pk for lead in matrix["leads"] if lead.number in listing.content.decode()}
            if shown != expected:
                wrong.append(f"{name} list page shows {sorted(shown)}")
        elif listing.status_code != 403:
            wrong.append(f"{name} list page {listing.status_code}")
        for lead in matrix["leads"]:
            page = client.get(reverse("findings:lead_detail", args=[lead.pk]))
            text = page.content.decode()
            if lead.pk in expected:
                if page.status_code != 200 or SUMMARY not in text or SUBJECT not in text:
                    wrong.append(f"{name} detail {lead.number}: {page.status_code}")
            elif page.status_code not in (403, 404) or SUMMARY in text or SUBJECT in text:
                wrong.append(f"{name} detail {lead.number}: {page.status_code}")
        figures = client.get(reverse("findings:lead_figures"))
        if SUMMARY in figures.content.decode() or SUBJECT in figures.content.decode():
            wrong.append(f"{name} figures page shows content")
        for todo in lead_todos(personas[name]):
            if SUBJECT in todo.title or SUMMARY[:6] in todo.title:
                wrong.append(f"{name} to-do shows content")
    assert wrong == []


def test_the_inbox_holds_what_was_transferred_to_that_body_and_only_that(matrix, client):
    personas = matrix["personas"]
    to_city, to_upper, fresh = matrix["leads"]
    for name, expected, refused in [
        ("discipline", to_city, to_upper),
        ("province_discipline", to_upper, to_city),
    ]:
        client.force_login(personas[name])
        page = client.get(reverse("findings:lead_inbox")).content.decode()
        assert expected.transfer.letter_no in page and refused.transfer.letter_no not in page
        assert fresh.number not in page
    client.force_login(personas["org_dept"])
    page = client.get(reverse("findings:lead_inbox")).content.decode()
    assert "暂无移交给本单位的问题线索" in page and to_city.number not in page
    for name in ("city_office", "leader", "sec_auditor", "unit_leader"):
        client.force_login(personas[name])
        assert client.get(reverse("findings:lead_inbox")).status_code == 403


def test_every_read_of_a_leads_content_is_audited_without_its_content(matrix, client):
    lead = matrix["leads"][0]
    before = AuditEvent.objects.filter(action="findings.lead_read").count()
    client.force_login(matrix["personas"]["discipline"])
    assert client.get(reverse("findings:lead_detail", args=[lead.pk])).status_code == 200
    events = AuditEvent.objects.filter(action="findings.lead_read")
    assert events.count() == before + 1
    event = events.last()
    assert event.object_id == str(lead.pk) and event.actor == matrix["personas"]["discipline"]
    assert SUBJECT not in event.summary and SUBJECT not in str(event.data)


def test_lead_content_is_not_in_a_database_dump(lead_world):
    walk(lead_world, register(lead_world), "concluded")
    PetitionFactory(
        actor=lead_world["leader"], assignment=lead_world["assignment"], clue=True, what=SUMMARY + "（来信）"
    )
    from xuncha.findings.leads.services import lead_carry_forward

    lead_carry_forward(actor=lead_world["director"], lead=register(lead_world), reason=OPINION + "结转")
    assert RESULT and db_leaks(SECRETS) == []
