"""The problem-lead world of the leads tests: the petitions' team world plus a lead officer (线索岗), the city
office director, and helpers that walk a lead through the services (never by writing a status)."""

from datetime import date
from typing import Any

import pytest

from xuncha.core.tests.setup import SETUP
from xuncha.fieldwork.announcements import announcement_save
from xuncha.findings.leads.services import (
    lead_disposal_record,
    lead_propose,
    lead_register,
    lead_report_back,
    lead_review,
    lead_transfer_sign,
    leads_decide,
    leads_transfer,
)
from xuncha.findings.models import Lead
from xuncha.planning.choices import AssignmentState
from xuncha.planning.services.assignments import assignment_authorize, assignment_create, assignment_set_team
from xuncha.planning.services.teams import team_create, team_member_add
from xuncha.planning.tests.conftest import link_account, pool_add
from xuncha.planning.tests.factories import assignment_advance

# What leads say: distinctive strings the dump and page tests look for.
SUMMARY = "欧阳鹤鸣在三号泵站改造工程中收受承包商回扣三十八万元。"
FACTS = "款项经其妻弟的绿洲建材公司账户转入，时间为2023年5月。"
SUBJECT = "欧阳鹤鸣"
POST = "供水公司副总经理"
OPINION = "组务会认为线索具体、可查性强。"
RESULT = "经初步核实，欧阳鹤鸣收受回扣问题属实，已立案审查。"
MATERIALS = ["问题线索登记表", "涉欧阳鹤鸣的谈话笔录摘要"]
SECRETS = {
    "summary": SUMMARY,
    "facts": FACTS,
    "subject": SUBJECT,
    "post": POST,
    "opinion": OPINION,
    "result": RESULT,
    "material": MATERIALS[1],
}
ON = date(2024, 10, 15)
RECEIVER_PERSONA = {"to_discipline": "discipline", "to_org_dept": "org_dept", "to_upper": "province_discipline"}


@pytest.fixture
def lead_world(personas, committees, orgs, make_person, city_round, syjt_assignment) -> dict[str, Any]:
    """The petitions' team world (市水业集团 on site; leader, petition officer, member; another team on 雨花区)
    with a lead officer (线索岗) on the team — put on the roster before the notice, as a real team is."""
    city = committees["city"]
    team = team_create(actor=SETUP, round_=city_round)
    other_team = team_create(actor=SETUP, round_=city_round)
    accounts = {}
    for key, role, posts, target in [
        ("leader", "leader", None, team),
        ("petition_officer", "liaison", ["petition", "general"], team),
        ("lead_officer", "member", ["lead"], team),
        ("member", "member", ["talk"], team),
        ("other_team", "leader", None, other_team),
    ]:
        person = make_person(f"{key}姓名", orgs["cs"])
        pool_add(city, person, "leader" if role == "leader" else "talent", ("discipline",))
        user = link_account(personas["city_admin"], person, key)
        team_member_add(actor=SETUP, team=target, person=person, role=role, posts=posts)
        accounts[key] = user
    other = assignment_create(
        actor=SETUP, round_=city_round, organization=orgs["yh"], inspection_type="regular",
        planned_entry=date(2024, 10, 8), team=other_team,
    )  # fmt: skip
    assignment_set_team(actor=SETUP, assignment=syjt_assignment, team=team)
    assignment_authorize(actor=SETUP, assignment=syjt_assignment, doc_no="长巡授〔2024〕1号", on=date(2024, 9, 1))
    assignment_authorize(actor=SETUP, assignment=other, doc_no="长巡授〔2024〕2号", on=date(2024, 9, 1))
    assignment = assignment_advance(syjt_assignment, AssignmentState.ON_SITE, entered_on=date(2024, 10, 8))
    other = assignment_advance(other, AssignmentState.ON_SITE, entered_on=date(2024, 10, 8))
    announcement = announcement_save(
        actor=SETUP, assignment=assignment, hotline="0731—82186945", po_box="长沙市A271号信箱",
        supervision_phone="0731—88880000",
    )  # fmt: skip
    personas.update(accounts)
    return {
        "assignment": assignment, "other": other, "announcement": announcement, **accounts,
        "director": personas["city_director"], "city": city, "personas": personas,
    }  # fmt: skip


def register(world: dict[str, Any], actor: Any = None, **extra: Any) -> Lead:
    """A lead found in an interview, registered by the team leader (or `actor`)."""
    fields: dict[str, Any] = {
        "source": "interview",
        "summary": SUMMARY,
        "facts": FACTS,
        "subjects": [{"name": SUBJECT, "post": POST}],
        "category": "integrity",
    }
    fields.update(extra)
    return lead_register(actor=actor or world["leader"], assignment=world["assignment"], **fields)


def walk(world: dict[str, Any], lead: Lead, to: str, *, destination: str = "to_discipline", letter: str = "") -> Lead:
    """Take `lead` through the services up to `to` (a status), as the team, the director and the receiver would."""
    steps = ["under_review", "proposed", "decided", "transferred", "signed", "in_handling", "concluded"]
    leader, director = world["leader"], world["director"]
    named = RECEIVER_PERSONA.get(destination)
    receiver = (
        world["personas"][named] if named and world["personas"] else director
    )  # a unit or department: the office records for it
    lead.refresh_from_db()
    start = steps.index(lead.status) + 1 if lead.status in steps else 0
    for status in steps[start : steps.index(to) + 1]:
        lead.refresh_from_db()
        if status == "under_review":
            lead_review(actor=leader, lead=lead, on=ON, opinion=OPINION)
        elif status == "proposed":
            lead_propose(actor=leader, lead=lead, destination=destination)
        elif status == "decided":
            leads_decide(
                actor=director, leads=[lead], body="secretary_meeting", decided_on=ON, minutes_no="专题会纪要1"
            )
        elif status == "transferred":
            leads_transfer(
                actor=director, leads=[lead], letter_no=letter or f"长巡线移〔2024〕{lead.pk}号", transferred_on=ON,
                materials=MATERIALS,
            )  # fmt: skip
        elif status == "signed":
            lead_transfer_sign(actor=receiver, transfer=lead.transfer, on=ON)
        elif status == "in_handling":
            lead_disposal_record(actor=receiver, lead=lead, disposal="preliminary_verification", on=ON)
        elif status == "concluded":
            lead_report_back(actor=receiver, lead=lead, on=ON, result=RESULT)
    lead.refresh_from_db()
    return lead


def lead_chain(assignment: Any) -> dict[str, Any]:
    """Leads at each stage, made by a system actor through the services (for the every-service and every-route
    tables, whose worlds have no lead officer): registered, proposed, decided, transferred, signed, handled."""
    import time_machine

    from xuncha.core.tests.setup import SETUP as S
    from xuncha.petitions.tests.conftest import ON_SITE_DAY

    with time_machine.travel(ON_SITE_DAY, tick=False):
        return _chain(assignment, S)


def _chain(assignment: Any, S: Any) -> dict[str, Any]:
    world = {"assignment": assignment, "leader": S, "director": S, "personas": {}}
    stages = ["registered", "proposed", "decided", "transferred", "signed", "in_handling"]
    made = {}
    for n, stage in enumerate(stages, start=1):
        lead = register(world, actor=S)
        made[f"lead_{stage}"] = (
            lead if stage == "registered" else walk(world, lead, stage, letter=f"测线移〔2024〕{n}号")
        )
    made["lead_transfer"] = made["lead_transferred"].transfer
    return made
