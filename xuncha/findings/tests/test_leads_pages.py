"""The lead pages as every persona: each write through a page is made by its holder only, and a refused
request (403 by the rule or the service, 404 outside the compartment) changes nothing."""

import pytest
import time_machine
from django.urls import reverse

from xuncha.core.models import StateChange
from xuncha.findings.leads.services import lead_return
from xuncha.findings.models import Lead, LeadTransfer
from xuncha.findings.tests.leads_world import SUBJECT, SUMMARY, register, walk
from xuncha.petitions.tests.conftest import ON_SITE_DAY


@pytest.fixture(autouse=True)
def on_site_day():
    with time_machine.travel(ON_SITE_DAY, tick=False):
        yield


def _state() -> tuple:
    return (
        list(Lead.objects.order_by("pk").values_list("pk", "status", "transfer_id")),
        StateChange.objects.filter(machine="findings.lead").count(),
        list(LeadTransfer.objects.values_list("pk", "signed_on")),
    )


def test_the_team_registers_and_studies_a_lead_through_the_pages(lead_world, client):
    client.force_login(lead_world["lead_officer"])
    form = client.get(reverse("findings:lead_register")).content.decode()
    assert "登记问题线索" in form and "长沙市水业集团有限公司" in form
    response = client.post(
        reverse("findings:lead_register"),
        {"assignment": lead_world["assignment"].pk, "source": "document", "subject_name": SUBJECT,
         "subject_post": "副总经理", "summary": SUMMARY, "category": "integrity", "confidentiality": "normal"},
    )  # fmt: skip
    lead = Lead.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("findings:lead_detail", args=[lead.pk])
    response = client.post(
        reverse("findings:lead_act", args=[lead.pk, "review"]), {"review-on": "2024-10-15", "review-opinion": "可查"}
    )
    lead.refresh_from_db()
    assert (
        response.status_code == 302 and lead.status == "under_review" and lead.reviewed_on.isoformat() == "2024-10-15"
    )
    page = client.get(reverse("findings:lead_detail", args=[lead.pk])).content.decode()
    assert "可查" in page and "提出处置建议" not in page  # the proposal is the leader's
    listing = client.get(reverse("findings:lead_list"), {"q": lead.number}, HTTP_HX_REQUEST="true")
    assert lead.number in listing.content.decode() and "<html" not in listing.content.decode()


def test_a_move_through_the_page_by_anyone_else_changes_nothing(lead_world, all_personas, client):
    lead = register(lead_world)
    allowed = {"leader", "lead_officer"}
    for name in sorted(all_personas):
        if name in allowed:
            continue
        before = _state()
        client.force_login(all_personas[name])
        response = client.post(reverse("findings:lead_act", args=[lead.pk, "review"]), {"review-on": "2024-10-15"})
        assert response.status_code in (403, 404), name
        assert _state() == before, name
        response = client.post(reverse("findings:lead_register"), {"assignment": lead_world["assignment"].pk})
        assert response.status_code in (200, 403) and Lead.objects.count() == 1, name


def test_the_decision_and_the_transfer_pages_are_the_directors(lead_world, personas, client):
    lead = walk(lead_world, register(lead_world), "proposed")
    data = {"leads": [lead.pk], "body": "leading_group", "decided_on": "2024-10-15", "minutes_no": "领导小组纪要5"}
    for name in ("city_office", "city_admin", "leading_group", "discipline"):
        client.force_login(personas[name])
        before = _state()
        assert client.post(reverse("findings:lead_decide"), data).status_code == 403, name
        assert _state() == before
    client.force_login(lead_world["director"])
    assert "领导小组" in client.get(reverse("findings:lead_decide")).content.decode()
    response = client.post(reverse("findings:lead_decide"), data)
    assert response.status_code == 302 and Lead.objects.get().status == "decided"
    transfer = {
        "leads": [lead.pk],
        "letter_no": "长巡线移〔2024〕7号",
        "transferred_on": "2024-10-15",
        "materials": "登记表",
    }
    response = client.post(reverse("findings:lead_transfer"), transfer)
    assert response.status_code == 302 and Lead.objects.get().status == "transferred"
    letter = client.get(reverse("findings:transfer_letter", args=[LeadTransfer.objects.get().pk]))
    assert letter.status_code == 200 and letter["Content-Disposition"].startswith("attachment")


def test_signing_is_the_receivers_and_a_lead_outside_its_remit_can_be_returned(lead_world, personas, client):
    lead = walk(lead_world, register(lead_world), "transferred")
    transfer = lead.transfer
    for name in ("org_dept", "province_discipline", "city_office"):
        client.force_login(personas[name])
        before = _state()
        response = client.post(reverse("findings:transfer_sign", args=[transfer.pk]), {"on": "2024-10-15"})
        assert response.status_code in (403, 404), name
        assert _state() == before
    lead_return(actor=personas["discipline"], lead=lead, reason="被反映人不属于市管干部，请转有关单位。")
    lead.refresh_from_db()
    assert lead.status == "proposed" and lead.transfer_id is None and lead.feedback_due is None
    assert lead.sealed_remarks.open()[-1]["kind"] == "接收单位退回理由"
    client.force_login(personas["discipline"])  # the returned lead has left the inbox
    assert client.get(reverse("findings:lead_detail", args=[lead.pk])).status_code == 404


def test_the_menu_offers_each_lead_page_to_those_who_may_use_it(lead_world, personas, client):
    menus = {
        "lead_officer": {"问题线索"},
        "city_director": {"问题线索", "线索处置决定", "线索移交", "问题线索统计"},
        "city_office": {"问题线索统计"},
        "discipline": {"问题线索", "移交线索签收"},
        "member": set(),
        "unit_leader": set(),
        "sec_auditor": set(),
    }
    every = {"问题线索", "线索处置决定", "线索移交", "问题线索统计", "移交线索签收"}
    for name, expected in menus.items():
        client.force_login(lead_world.get(name) or personas[name])
        page = client.get("/").content.decode()
        shown = {label for label in every if f">{label}</a>" in page}
        assert shown == expected, name
