"""A problem lead's life: registered, studied at 组务会, proposed, decided (in batches), transferred under a
移交函 with its 移交清单, signed for, disposed of and reported back — all on the engine, each step refused to
those it does not belong to, with nothing written on a refusal; petitions used as a lead open one in the
same transaction; the report waits for every lead to be decided or carried forward."""

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from xuncha.core.audit_labels import action_label
from xuncha.core.models import AuditEvent, StateChange
from xuncha.findings.leads.letter import LIST_HEADER, LIST_TITLE, TITLE, lead_letter_make
from xuncha.findings.leads.services import (
    lead_carry_forward,
    lead_propose,
    lead_review,
    lead_send_back,
    lead_transfer_sign,
    leads_decide,
    leads_transfer,
)
from xuncha.findings.models import Lead, LeadTransfer
from xuncha.findings.tests.leads_world import (
    MATERIALS,
    ON,
    POST,
    SUBJECT,
    SUMMARY,
    register,
    walk,
)
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory
from xuncha.planning.services.assignments import assignment_transition


@pytest.fixture(autouse=True)
def on_site_day():
    with time_machine.travel(ON_SITE_DAY, tick=False):
        yield


def test_a_lead_is_numbered_per_committee_and_year_and_registered_by_the_leader_or_the_lead_officer(lead_world):
    first = register(lead_world)
    second = register(lead_world, actor=lead_world["lead_officer"], source="document")
    assert (first.number, second.number) == ("长巡线〔2024〕1号", "长巡线〔2024〕2号")
    assert first.sealed_content.open()["summary"] == SUMMARY
    assert first.sealed_subjects.open() == [{"name": SUBJECT, "post": POST}]
    for outsider in ("member", "petition_officer", "other_team"):
        with pytest.raises(PermissionDenied):
            register(lead_world, actor=lead_world[outsider])
    assert Lead.objects.count() == 2
    event = AuditEvent.objects.filter(action="findings.lead_register").last()
    assert SUBJECT not in event.summary and SUMMARY[:6] not in event.summary
    assert action_label("findings.lead_register") == "登记问题线索"


def test_a_high_confidentiality_lead_is_registered_by_the_leader_alone(lead_world):
    with pytest.raises(PermissionDenied):
        register(lead_world, actor=lead_world["lead_officer"], confidentiality="high")
    lead = register(lead_world, about_own_discipline_leaders=True)
    assert lead.confidentiality == "high"


def test_the_full_journey_through_transfer_sign_disposal_and_report_back(lead_world, personas):
    lead = walk(lead_world, register(lead_world), "concluded")
    assert lead.status == "concluded" and lead.disposal == "preliminary_verification"
    assert lead.transfer.receiver_name == "长沙市纪委监委" and lead.transfer.signed_on == ON
    assert lead.feedback_due == date(2025, 1, 15)  # three months (clue_feedback_due_months), a working day
    moves = list(
        StateChange.objects.filter(machine="findings.lead", object_id=lead.pk).values_list("transition", flat=True)
    )
    assert moves == ["review", "propose", "decide", "transfer", "sign", "dispose", "report_back"]
    assert not StateChange.objects.filter(machine="findings.lead").exclude(reason="").exists()  # reasons kept sealed


def test_each_step_belongs_to_its_holder_and_a_refusal_writes_nothing(lead_world, personas):
    lead = register(lead_world)
    with pytest.raises(PermissionDenied):
        lead_review(actor=personas["city_office"], lead=lead, on=ON)
    lead_review(actor=lead_world["lead_officer"], lead=lead, on=ON)
    with pytest.raises(PermissionDenied):  # the proposal is the leader's
        lead_propose(actor=lead_world["lead_officer"], lead=lead, destination="to_discipline")
    lead_propose(actor=lead_world["leader"], lead=lead, destination="to_discipline")
    outsiders = [personas[name] for name in ("leader", "city_admin", "leading_group", "discipline")]
    before = StateChange.objects.count(), AuditEvent.objects.count()
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            leads_decide(actor=outsider, leads=[lead], body="leading_group", decided_on=ON, minutes_no="1")
    assert (StateChange.objects.count(), AuditEvent.objects.count()) == before
    lead.refresh_from_db()
    assert lead.status == "proposed" and lead.decision_id is None
    leads_decide(actor=lead_world["director"], leads=[lead], body="leading_group", decided_on=ON, minutes_no="1")
    lead.refresh_from_db()
    with pytest.raises(PermissionDenied):
        leads_transfer(actor=personas["city_office"], leads=[lead], letter_no="x", transferred_on=ON, materials=["a"])


def test_the_director_sends_a_proposal_back_or_carries_a_lead_forward_with_a_reason(lead_world):
    lead = walk(lead_world, register(lead_world), "proposed")
    with pytest.raises(ValidationError):
        lead_send_back(actor=lead_world["director"], lead=lead, reason=" ")
    lead_send_back(actor=lead_world["director"], lead=lead, reason="请补充被反映人的具体职务和时间。")
    lead.refresh_from_db()
    assert lead.status == "under_review"
    assert [r["kind"] for r in lead.sealed_remarks.open()] == ["组务会研究意见", "退回意见"]
    lead_carry_forward(actor=lead_world["director"], lead=lead, reason="待巡察结束后结合问题底稿研究。")
    lead.refresh_from_db()
    assert lead.status == "carried_forward"


def test_decisions_come_in_batches_and_one_letter_lists_leads_of_one_destination(lead_world):
    leads = [walk(lead_world, register(lead_world), "proposed") for _ in range(3)]
    other = walk(lead_world, register(lead_world), "proposed", destination="to_org_dept")
    decision = leads_decide(
        actor=lead_world["director"], leads=[*leads, other], body="secretary_meeting", decided_on=ON, minutes_no="纪要3"
    )
    assert decision.leads.count() == 4
    with pytest.raises(ValidationError):  # two destinations cannot share a letter
        leads_transfer(actor=lead_world["director"], leads=[leads[0], other], letter_no="长巡线移〔2024〕1号",
                       transferred_on=ON, materials=MATERIALS)  # fmt: skip
    transfer = leads_transfer(
        actor=lead_world["director"],
        leads=leads,
        letter_no="长巡线移〔2024〕1号",
        transferred_on=ON,
        materials=MATERIALS,
    )
    assert transfer.leads.count() == 3 and transfer.receiver_role == "discipline_org"
    with pytest.raises(ValidationError):  # the same letter number twice
        leads_transfer(actor=lead_world["director"], leads=[other], letter_no="长巡线移〔2024〕1号",
                       transferred_on=ON, materials=MATERIALS)  # fmt: skip


def test_a_lead_about_the_committees_own_discipline_leaders_goes_sealed_to_the_level_above(lead_world, personas):
    lead = register(lead_world, about_own_discipline_leaders=True)
    lead_review(actor=lead_world["leader"], lead=lead, on=ON)
    with pytest.raises(ValidationError):
        lead_propose(actor=lead_world["leader"], lead=lead, destination="to_discipline")
    lead = walk(lead_world, lead, "transferred", destination="to_upper")
    assert lead.transfer.receiver_committee.short_name == "湖南省委" and lead.transfer.receiver_name == "湖南省纪委监委"
    with pytest.raises(PermissionDenied):  # the city's own commission is not the receiver
        lead_transfer_sign(actor=personas["discipline"], transfer=lead.transfer, on=ON)
    lead_transfer_sign(actor=personas["province_discipline"], transfer=lead.transfer, on=ON)


def test_fast_track_is_proposed_by_the_leader_and_decided_by_the_director_during_the_inspection(lead_world):
    plain = walk(lead_world, register(lead_world), "proposed")
    with pytest.raises(ValidationError):  # not proposed as 直查快办
        leads_decide(actor=lead_world["director"], leads=[plain], body="fast_track", decided_on=ON)
    lead = walk(lead_world, register(lead_world), "under_review")
    lead_propose(actor=lead_world["leader"], lead=lead, destination="to_unit", fast_track=True)
    leads_decide(actor=lead_world["director"], leads=[lead], body="fast_track", decided_on=ON)
    lead.refresh_from_db()
    assert lead.status == "decided" and lead.receiver_name == "长沙市水业集团有限公司党组织"


def test_a_petition_used_as_a_lead_becomes_one_in_the_same_transaction(lead_world):
    petition = PetitionFactory(
        actor=lead_world["leader"], assignment=lead_world["assignment"], clue=True,
        what="来信反映柯某某挪用专项资金。", extra={"subject_name": "柯某某", "subject_position": "财务科长"},
    )  # fmt: skip
    lead = Lead.objects.get(petition=petition)
    assert lead.source == "petition" and lead.category == "integrity" and lead.status == "registered"
    assert lead.sealed_content.open()["summary"] == "来信反映柯某某挪用专项资金。"
    assert lead.sealed_subjects.open() == [{"name": "柯某某", "post": "财务科长"}]
    # Another use of a petition leaves no lead.
    PetitionFactory(actor=lead_world["leader"], assignment=lead_world["assignment"], archived=True)
    assert Lead.objects.count() == 1


def test_a_failed_lead_creation_undoes_the_petition_disposal(lead_world, monkeypatch):
    from xuncha.findings.leads import services

    def broken(**kwargs):
        raise RuntimeError("lead store unavailable")

    monkeypatch.setattr(services, "_create", broken)
    petition = PetitionFactory(actor=lead_world["leader"], assignment=lead_world["assignment"])
    with pytest.raises(RuntimeError):
        from xuncha.petitions.decisions.services import petition_dispose

        petition_dispose(actor=lead_world["leader"], petition=petition, disposition="use_clue", category="integrity")
    petition.refresh_from_db()
    assert petition.status == "received" and not Lead.objects.exists()


def _close_onsite(world):
    assignment = assignment_transition(
        actor=world["leader"], assignment=world["assignment"], code="close_onsite", reason="按计划", effective_on=ON
    )
    return assignment


def test_the_report_is_drafted_only_when_every_lead_is_decided_or_carried_forward(lead_world):
    lead = register(lead_world)
    decided = walk(lead_world, register(lead_world), "decided")
    assignment = _close_onsite(lead_world)
    with pytest.raises(ValidationError, match="1 条问题线索尚未作出处置决定或明确结转"):
        assignment_transition(actor=lead_world["leader"], assignment=assignment, code="draft_report", effective_on=ON)
    lead_carry_forward(actor=lead_world["director"], lead=lead, reason="需结合其他问题一并研究。")
    assignment.refresh_from_db()
    assignment = assignment_transition(
        actor=lead_world["leader"], assignment=assignment, code="draft_report", effective_on=ON
    )
    assert assignment.state == "report_drafting" and decided.status == "decided"


def test_the_transfer_letter_and_its_list_read_back(lead_world, personas):
    leads = [walk(lead_world, register(lead_world), "transferred", letter="长巡线移〔2024〕9号")]
    transfer = LeadTransfer.objects.get()
    body = lead_letter_make(actor=lead_world["director"], transfer=transfer)
    doc = Document(io.BytesIO(body))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "长巡线移〔2024〕9号" in text and TITLE in text and LIST_TITLE in text
    assert "长沙市纪委监委：" in text and "2025年1月15日前" in text
    assert MATERIALS[1] in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == LIST_HEADER
    assert [c.text for c in table.rows[1].cells][1:4] == [leads[0].number, f"{SUBJECT}，{POST}", SUMMARY]
    assert "生成人" in doc.sections[0].footer.paragraphs[-1].text
    assert lead_letter_make(actor=personas["discipline"], transfer=transfer)  # the receiver's copy
    for outsider in ("org_dept", "city_office", "leader", "province_discipline", "sec_auditor"):
        with pytest.raises(PermissionDenied):
            lead_letter_make(actor=personas[outsider], transfer=transfer)
    assert AuditEvent.objects.filter(action="findings.lead_letter").count() == 2


def test_the_petition_page_shows_what_became_of_it_to_each_reader(lead_world, client):
    petition = PetitionFactory(actor=lead_world["leader"], assignment=lead_world["assignment"], clue=True)
    lead = Lead.objects.get(petition=petition)
    client.force_login(lead_world["leader"])
    page = client.get(f"/petitions/{petition.pk}/").content.decode()
    assert f"已登记为{lead}" in page and f"/findings/leads/{lead.pk}/" in page
    client.force_login(lead_world["member"])  # on the team, but not in the lead's compartment
    page = client.get(f"/petitions/{petition.pk}/").content.decode()
    assert "已登记为问题线索（仅限" in page and lead.number not in page


def test_the_vocabularies_agree_with_the_code_tables(db):
    from xuncha.core.codetables import code_items
    from xuncha.findings.leads.choices import Destination, Disposal

    assert list(code_items("clue_destinations").values_list("code", "label")) == Destination.choices
    assert list(code_items("clue_disposals").values_list("code", "label")) == Disposal.choices


def test_the_lead_officer_signs_in_with_a_second_factor(lead_world):
    from xuncha.core.capabilities import second_factor_reasons

    assert "lead_officer" in second_factor_reasons(lead_world["lead_officer"])
    assert "lead_officer" not in second_factor_reasons(lead_world["member"])
