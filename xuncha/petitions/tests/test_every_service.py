"""Every service that takes an actor refuses an outsider (issue 10, item 5).

The services are found by walking the package: any public function with a keyword `actor` outside views,
tests and migrations. Each has a row here that calls it, on real objects, as an account with no role and
as the office of a sibling district (an insider elsewhere); both must get `PermissionDenied` and leave no
row behind. A new service without a row fails the test, so none escapes the table.
"""

import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model

import xuncha
from xuncha.accounts.models import CredentialReset
from xuncha.accounts.resets import credential_reset_request
from xuncha.core.models import Committee
from xuncha.core.tests.setup import SETUP
from xuncha.core.uploads import check
from xuncha.findings.tests.leads_world import lead_chain
from xuncha.petitions.decisions.services import petition_dispose
from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.models import Attachment, IncomingReferral
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.planning.models import PoolMember
from xuncha.planning.services.assignments import assignment_create
from xuncha.planning.services.formation import formation_request
from xuncha.planning.services.plans import annual_plan_create, plan_candidate_add
from xuncha.planning.services.teams import declaration_create
from xuncha.planning.tests.factories import PersonFactory

# Not services: the actor helpers, the audit writer and the engine (their callers authorise). The
# permissions modules' checks are the chokepoints themselves, reached here through the services.
NOT_SERVICES = {
    "xuncha.core.actors.is_system",
    "xuncha.core.actors.require_actor",
    "xuncha.core.actors.account_of",
    "xuncha.core.audit.audit_record",
    "xuncha.core.transitions.transition_perform",
}


def actor_services() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(xuncha.__path__, "xuncha."):
        if any(
            part in info.name for part in (".tests", ".migrations", ".views", ".management", ".permissions", "conftest")
        ):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isfunction(obj)
                and obj.__module__ == info.name
                and not name.startswith("_")
                and "actor" in inspect.signature(obj).parameters
            ):
                found.add(f"{info.name}.{name}")
    return found - NOT_SERVICES


Row = Callable[[dict[str, Any]], dict[str, Any]]


def _xlsx() -> io.BytesIO:
    return io.BytesIO(b"PK\x03\x04 not really a workbook")


# Each row: the keyword arguments (besides `actor`) of one call on real objects of the world.
ROWS: dict[str, Row] = {
    # accounts
    "xuncha.accounts.resets.credential_reset_request": lambda w: {
        "user": w["city_office"], "kind": "password", "reason": "忘记密码",
    },
    "xuncha.accounts.resets.credential_reset_approve": lambda w: {"reset": w["reset"]},
    "xuncha.accounts.resets.credential_reset_reject": lambda w: {"reset": w["reset"]},
    "xuncha.accounts.services.user_create": lambda w: {
        "username": "intruder_made", "full_name": "某某", "password": "Aa-123456789!x",
    },
    "xuncha.accounts.services.user_set_password": lambda w: {"user": w["city_office"], "password": "Aa-123456789!x"},
    "xuncha.accounts.services.user_unlock": lambda w: {"user": w["city_office"]},
    "xuncha.accounts.services.user_set_active": lambda w: {"user": w["city_office"], "active": False},
    "xuncha.accounts.services.role_grant_add": lambda w: {
        "user": w["outsider_self"], "role": "office_admin", "committee": w["city"],
    },
    "xuncha.accounts.services.role_grant_revoke": lambda w: {"grant": w["city_office"].role_grants.first()},
    "xuncha.accounts.services.totp_bind_known_secret": lambda w: {
        "user": w["city_office"], "secret": "JBSWY3DPEHPK3PXP",
    },
    # core
    "xuncha.core.codetables.code_table_new_version": lambda w: {"key": "six_disciplines", "items": [("x", "某")]},
    "xuncha.core.codetables.code_override_set": lambda w: {
        "committee": w["city"], "key": "six_disciplines", "code": "political", "label": "某",
    },
    "xuncha.core.codetables.code_override_delete": lambda w: {
        "committee": w["city"], "key": "six_disciplines", "code": "political",
    },
    "xuncha.core.params.param_set": lambda w: {"key": "notice_lead_days", "committee": w["city"], "value": 3},
    "xuncha.core.params.param_reset": lambda w: {"key": "notice_lead_days", "committee": w["city"]},
    "xuncha.core.params.param_default_set": lambda w: {"key": "notice_lead_days", "value": 3},
    "xuncha.core.services.committee_create": lambda w: {
        "name": "中共某某区委", "short_name": "某某区委", "level": "county", "parent": w["city"],
    },
    "xuncha.core.services.calendar_day_set": lambda w: {
        "committee": w["city"], "day": date(2024, 10, 21), "kind": "holiday", "name": "某节",
    },
    "xuncha.core.services.calendar_day_delete": lambda w: {"committee": w["city"], "day": date(2024, 10, 1)},
    # orgs
    "xuncha.orgs.registry_xlsx.organization_import": lambda w: {"file": _xlsx()},
    "xuncha.orgs.registry_xlsx.roster_import": lambda w: {"file": _xlsx()},
    "xuncha.orgs.services.organization_save": lambda w: {
        "org_code": "CS-SYJT", "name": "改名", "level": "soe", "party_org_type": "committee",
        "managed_by": w["city"],
    },
    "xuncha.orgs.services.person_save": lambda w: {"person_code": w["person"].person_code, "name": "改名"},
    "xuncha.orgs.services.position_save": lambda w: {
        "person": w["person"], "organization": w["assignment"].organization, "title": "总经理",
        "post_kind": "deputy", "start_date": date(2024, 1, 1),
    },
    "xuncha.orgs.services.relationship_add": lambda w: {
        "person_a": w["person"], "person_b": w["leader_person"], "kind": "spouse", "source": "verified",
    },
    # planning
    "xuncha.planning.services.assignments.assignment_create": lambda w: {
        "round_": w["assignment"].round, "organization": w["assignment"].organization.parent,
        "inspection_type": "regular", "planned_entry": date(2024, 11, 1),
    },
    "xuncha.planning.services.assignments.assignment_transition": lambda w: {
        "assignment": w["assignment"], "code": "close_onsite",
    },
    "xuncha.planning.services.assignments.assignment_set_team": lambda w: {
        "assignment": w["assignment"], "team": None,
    },
    "xuncha.planning.services.assignments.assignment_authorize": lambda w: {
        "assignment": w["assignment"], "doc_no": "某授〔2024〕9号",
    },
    "xuncha.planning.services.formation.formation_request": lambda w: {
        "round_": w["assignment"].round, "options": {"team_count": 1},
    },
    "xuncha.planning.services.formation.formation_apply": lambda w: {"run": w["run"]},
    "xuncha.planning.services.plans.coverage_plan_create": lambda w: {
        "committee": w["city"], "term": "2026—2030", "start_date": date(2026, 1, 1), "end_date": date(2030, 12, 31),
    },
    "xuncha.planning.services.plans.annual_plan_create": lambda w: {"committee": w["city"], "year": 2026},
    "xuncha.planning.services.plans.plan_candidate_add": lambda w: {
        "plan": w["plan"], "organization": w["assignment"].organization, "inspection_type": "regular",
        "reasons": ["coverage"],
    },
    "xuncha.planning.services.plans.plan_candidate_remove": lambda w: {"candidate": w["candidate"]},
    "xuncha.planning.services.plans.approval_transition": lambda w: {"subject": w["plan"], "action": "submit"},
    "xuncha.planning.services.plans.round_create": lambda w: {
        "committee": w["city"], "year": 2025, "seq_no": 1, "start_date": date(2025, 3, 1),
        "end_date": date(2025, 6, 30),
    },
    "xuncha.planning.services.plans.round_file": lambda w: {
        "round_": w["assignment"].round, "filing_no": "某备〔2024〕1号",
    },
    "xuncha.planning.services.pools.pool_member_link_user": lambda w: {
        "member": w["member_entry"], "user": w["outsider_self"],
    },
    "xuncha.planning.services.pools.pool_member_unlink_user": lambda w: {"member": w["leader_entry"]},
    "xuncha.planning.services.teams.pool_member_save": lambda w: {
        "committee": w["city"], "person": w["person"], "kind": "talent", "skills": [],
    },
    "xuncha.planning.services.teams.team_create": lambda w: {"round_": w["assignment"].round},
    "xuncha.planning.services.teams.team_member_add": lambda w: {
        "team": w["assignment"].team, "person": w["person"], "role": "member",
    },
    "xuncha.planning.services.teams.team_member_remove": lambda w: {"member": w["assignment"].team.members.last()},
    "xuncha.planning.services.teams.declaration_create": lambda w: {
        "assignment": w["assignment"], "person": w["leader_person"], "source": "self", "reason": "某",
    },
    "xuncha.planning.services.teams.declaration_decide": lambda w: {
        "declaration": w["declaration"], "result": "no_conflict", "note": "某",
    },
    "xuncha.demo.planning.rounds.link_demo_account": lambda w: {
        "person": w["member_entry"].person, "user": w["outsider_self"],
    },
    # fieldwork
    "xuncha.fieldwork.announcements.announcement_save": lambda w: {
        "assignment": w["assignment"], "hotline": "0731—00000000", "po_box": "某信箱",
    },
    "xuncha.fieldwork.entry.meeting_save": lambda w: {
        "assignment": w["assignment"], "kind": "pre_meeting", "held_on": date(2024, 10, 8), "chair": "某",
    },
    "xuncha.fieldwork.entry.attendance_generate": lambda w: {"meeting": w["onsite"]["meeting"]},
    "xuncha.fieldwork.interviews.interview_list_generate": lambda w: {
        "assignment": w["assignment"], "on": date(2024, 10, 8),
    },
    "xuncha.fieldwork.interviews.interview_subject_add": lambda w: {
        "assignment": w["assignment"], "name": "某", "title": "某",
    },
    "xuncha.fieldwork.interviews.interview_record": lambda w: {
        "subject": w["onsite"]["subject"], "held_on": date(2024, 10, 9), "interviewers": w["onsite"]["team"],
        "recorder": w["onsite"]["team"][0], "text": "某", "confirmed": True,
    },
    "xuncha.fieldwork.interviews.interview_waive": lambda w: {"subject": w["onsite"]["subject"], "reason": "某"},
    "xuncha.fieldwork.interviews.interview_reinstate": lambda w: {"subject": w["onsite"]["waived"], "reason": "某"},
    "xuncha.fieldwork.interviews.interview_record_open": lambda w: {"record": w["onsite"]["record"]},
    "xuncha.fieldwork.records.activity_record": lambda w: {
        "assignment": w["assignment"], "method": "briefing", "held_on": date(2024, 10, 9), "counterpart": "某",
        "participants": w["onsite"]["team"], "summary": "某",
    },
    "xuncha.fieldwork.records.document_request_create": lambda w: {
        "assignment": w["assignment"], "provider": "某", "items": [("某", 1, False)], "requested_on": date(2024, 10, 9),
    },
    "xuncha.fieldwork.records.document_hand_over": lambda w: {
        "request": w["onsite"]["request"], "on": date(2024, 10, 10), "handed_by": "某",
        "received_by": w["onsite"]["team"][0],
    },
    "xuncha.fieldwork.records.document_give_back": lambda w: {
        "request": w["onsite"]["request"], "on": date(2024, 10, 10), "returned_by": w["onsite"]["team"][0],
        "taken_back_by": "某",
    },
    "xuncha.fieldwork.weekly.weekly_report_submit": lambda w: {
        "assignment": w["assignment"], "week_start": date(2024, 10, 14), "next_week_plan": "某",
    },
    "xuncha.fieldwork.weekly.urgent_report_send": lambda w: {
        "assignment": w["assignment"], "matter": "other", "addressee": "leading_group", "content": "某",
    },
    "xuncha.fieldwork.weekly.urgent_report_open": lambda w: {"report": w["onsite"]["urgent"]},
    "xuncha.fieldwork.weekly.urgent_answer": lambda w: {"report": w["onsite"]["urgent"], "answer": "某"},
    # petitions
    "xuncha.petitions.decisions.services.petition_sign": lambda w: {"petition": w["petition"]},
    "xuncha.petitions.decisions.services.petition_dispose": lambda w: {"petition": w["petition"], "disposition": "archive"},
    "xuncha.petitions.decisions.services.referral_update": lambda w: {
        "referral": w["referred"].referral, "acknowledged_on": date(2024, 10, 15),
    },
    "xuncha.petitions.decisions.services.status_set": lambda w: {"petition": w["petition"], "status": "under_review"},
    "xuncha.petitions.decisions.services.petition_acknowledge": lambda w: {"petition": w["petition"], "via": "phone"},
    "xuncha.petitions.decisions.services.petition_result_notify": lambda w: {"petition": w["referred"], "via": "phone"},
    "xuncha.petitions.decisions.services.incoming_report": lambda w: {
        "incoming": w["incoming"], "reported_on": date(2024, 10, 15), "text": "某",
    },
    "xuncha.petitions.exports.petitions_export": lambda w: {"filters": {}},
    "xuncha.petitions.exports.referral_letter_make": lambda w: {"petition": w["referred"]},
    "xuncha.petitions.rotation.rewrap": lambda w: {},
    "xuncha.petitions.intake.services.team_reply": lambda w: {"petition": w["petition"], "text": "某"},
    "xuncha.petitions.intake.services.note_add": lambda w: {"petition": w["petition"], "text": "某"},
    "xuncha.petitions.intake.services.identity_reveal": lambda w: {"petition": w["petition"], "reason": "核实情况"},
    "xuncha.petitions.intake.services.attachment_download_open": lambda w: {"attachment": w["attachment"]},
    "xuncha.petitions.intake.services.petition_register": lambda w: {
        "assignment": w["assignment"], "channel": "letter", "content": {"what": "某"},
    },
    # findings: problems and immediate fixes
    "xuncha.findings.problems.services.problem_create": lambda w: {
        "assignment": w["assignment"], "title": "某", "category": "focus_policy",
    },
    "xuncha.findings.problems.services.problem_update": lambda w: {"problem": w["problem"], "title": "某"},
    "xuncha.findings.problems.services.responsibility_add": lambda w: {
        "problem": w["problem"], "person": w["person"], "kind": "direct",
    },
    "xuncha.findings.problems.services.problem_transition": lambda w: {"problem": w["problem"], "code": "group_review"},
    "xuncha.findings.problems.services.immediate_fix_issue": lambda w: {
        "problem": w["fix_problem"], "requirement": "某", "due_on": date(2024, 10, 30),
    },
    "xuncha.findings.problems.services.immediate_fix_transition": lambda w: {"fix": w["fix"], "code": "sign"},
    # ferry
    "xuncha.ferry.bundles.bundle_export": lambda w: {},
    "xuncha.ferry.bundles.bundle_reexport": lambda w: {"seq": 1},
    "xuncha.ferry.bundles.bundle_import": lambda w: {"data": b"not a bundle"},
    "xuncha.ferry.replies.reply_export": lambda w: {},
    "xuncha.ferry.replies.reply_import": lambda w: {"data": b"not a reply"},
    # findings: problem leads
    "xuncha.findings.leads.services.lead_register": lambda w: {
        "assignment": w["assignment"], "source": "interview", "summary": "某", "subjects": [{"name": "某"}],
        "category": "integrity"},
    "xuncha.findings.leads.services.lead_review": lambda w: {"lead": w["lead_registered"], "on": date(2024, 10, 15)},
    "xuncha.findings.leads.services.lead_propose": lambda w: {"lead": w["lead_registered"], "destination": "to_unit"},
    "xuncha.findings.leads.services.lead_send_back": lambda w: {"lead": w["lead_proposed"], "reason": "某"},
    "xuncha.findings.leads.services.lead_carry_forward": lambda w: {"lead": w["lead_registered"], "reason": "某"},
    "xuncha.findings.leads.services.lead_resume": lambda w: {"lead": w["lead_registered"]},
    "xuncha.findings.leads.services.leads_decide": lambda w: {
        "leads": [w["lead_proposed"]], "body": "leading_group", "decided_on": date(2024, 10, 15), "minutes_no": "1"},
    "xuncha.findings.leads.services.leads_transfer": lambda w: {
        "leads": [w["lead_decided"]], "letter_no": "外移〔2024〕1号", "transferred_on": date(2024, 10, 15),
        "materials": ["某"]},
    "xuncha.findings.leads.services.lead_transfer_sign": lambda w: {"transfer": w["lead_transfer"]},
    "xuncha.findings.leads.services.lead_return": lambda w: {"lead": w["lead_transferred"], "reason": "某"},
    "xuncha.findings.leads.services.lead_disposal_record": lambda w: {
        "lead": w["lead_signed"], "disposal": "talk_inquiry", "on": date(2024, 10, 15)},
    "xuncha.findings.leads.services.lead_report_back": lambda w: {
        "lead": w["lead_in_handling"], "on": date(2024, 10, 15), "result": "某"},
    "xuncha.findings.leads.services.lead_escalate": lambda w: {"lead": w["lead_transferred"]},
    "xuncha.findings.leads.selectors.lead_open": lambda w: {"lead": w["lead_transferred"]},
    "xuncha.findings.leads.letter.lead_letter_make": lambda w: {"transfer": w["lead_transfer"]},
}  # fmt: skip

OUTSIDERS = ("no_role", "yuelu_office")
# Services whose object is the actor's own scope rather than another committee's: only the account with
# no role is an outsider. A sibling office's export holds its own queue (the partition tests), and its
# registry import refuses, row by row, any unit it does not manage (orgs/tests/test_import.py).
OWN_SCOPE = {
    "xuncha.petitions.exports.petitions_export",
    "xuncha.orgs.registry_xlsx.organization_import",
    "xuncha.orgs.registry_xlsx.roster_import",
}


def test_every_actor_taking_service_has_a_row() -> None:
    services = actor_services()
    assert len(services) > 60
    assert sorted(services - set(ROWS)) == [], "a service without a refused-outsider row"
    assert sorted(set(ROWS) - services) == [], "a row for a service that no longer exists"


def _onsite_world(team_world: dict[str, Any]) -> dict[str, Any]:
    """On-site records of the assignment, made by the services as the system (the rows refuse outsiders)."""
    from xuncha.fieldwork.entry import meeting_save
    from xuncha.fieldwork.interviews import interview_record, interview_subject_add, interview_waive
    from xuncha.fieldwork.records import document_request_create
    from xuncha.fieldwork.weekly import urgent_report_send
    from xuncha.planning.models import TeamMember

    a = team_world["assignment"]
    team = [m.person for m in TeamMember.objects.filter(team__assignments=a).select_related("person")]
    with time_machine.travel(ON_SITE_DAY, tick=False):
        subject = interview_subject_add(actor=SETUP, assignment=a, name="某甲", title="某")
        recorded = interview_subject_add(actor=SETUP, assignment=a, name="某乙", title="某")
        third = interview_subject_add(actor=SETUP, assignment=a, name="某丙", title="某")
        record = interview_record(
            actor=SETUP, subject=recorded, held_on=date(2024, 10, 9), interviewers=team, recorder=team[0], text="某",
            confirmed=True,
        )  # fmt: skip
        return {
            "team": team,
            "meeting": meeting_save(
                actor=SETUP, assignment=a, kind="mobilization", held_on=date(2024, 10, 8), chair="某"
            ),
            "subject": subject,
            "waived": interview_waive(actor=SETUP, subject=third, reason="某"),
            "record": record,
            "request": document_request_create(
                actor=SETUP, assignment=a, provider="某", items=[("某", 1, False)], requested_on=date(2024, 10, 9)
            ),
            "urgent": urgent_report_send(
                actor=SETUP, assignment=a, matter="other", addressee="leading_group", content="某"
            ),
        }


@pytest.fixture
def world(team_world, personas, committees, orgs, make_user) -> dict[str, Any]:
    """Real objects of every kind a service acts on, made by the services themselves."""
    leader = team_world["leader"]
    with time_machine.travel(ON_SITE_DAY, tick=False):
        petition = petition_register(
            actor=leader, assignment=team_world["assignment"], channel="visit", content={"what": "反映某科长违规报销。"},
            identity={"name": "褚某某", "phone": "13800000000"},
            attachments=[check("材料.pdf", b"%PDF-1.7\n% evidence\n%%EOF\n")],
        )  # fmt: skip
        referred = petition_register(
            actor=leader, assignment=team_world["assignment"], channel="letter", content={"what": "物业收费不合理。"}
        )
        petition_dispose(
            actor=leader, petition=referred, disposition="refer_out", petition_class="out_of_scope",
            receiver="市住房和城乡建设局", letter_no="长巡转〔2024〕3号", sent_on=date(2024, 10, 15),
        )  # fmt: skip
        incoming_petition = petition_register(
            actor=leader, assignment=team_world["assignment"], channel="referral_in", content={"what": "某"},
            incoming={"source_office": "省委巡视办", "letter_no": "湘巡转〔2024〕12号", "requirement": "result",
                      "due_on": date(2024, 11, 15)},
        )  # fmt: skip
    city: Committee = committees["city"]
    # A unit of the round still without a team: what a formation run works on.
    assignment_create(actor=SETUP, round_=team_world["assignment"].round, organization=orgs["yl"],
                      inspection_type="regular", planned_entry=date(2024, 11, 4))  # fmt: skip
    plan = annual_plan_create(actor=SETUP, committee=city, year=2025)
    person = PersonFactory(organization=orgs["syjt"])
    spare = PersonFactory(name="某组员", organization=None)
    from xuncha.planning.services.teams import pool_member_save

    pool_member_save(actor=SETUP, committee=city, person=spare, kind="talent", skills=[])
    leader_entry = PoolMember.objects.get(user=leader)
    with time_machine.travel(ON_SITE_DAY, tick=False):
        from xuncha.findings.problems.services import immediate_fix_issue, problem_create

        problem = problem_create(actor=leader, assignment=team_world["assignment"], title="违规发放津补贴",
                                 category="focus_grassroots_corruption")  # fmt: skip
        fix_problem = problem_create(actor=leader, assignment=team_world["assignment"], title="食堂安全隐患",
                                     category="focus_policy", track="immediate")  # fmt: skip
        fix_target = problem_create(actor=leader, assignment=team_world["assignment"], title="消防通道堵塞",
                                    category="focus_policy", track="immediate")  # fmt: skip
        fix = immediate_fix_issue(actor=leader, problem=fix_target, requirement="立即清理", due_on=date(2024, 10, 30))
    reset, _ = credential_reset_request(
        actor=make_user("world_sysadmin", "sys_admin"), user=leader, kind="password", reason="遗忘"
    )
    return {
        **team_world,
        "city": city,
        "city_office": personas["city_office"],
        "petition": petition,
        "referred": referred,
        "incoming": IncomingReferral.objects.get(petition=incoming_petition),
        "attachment": Attachment.objects.get(petition=petition),
        "plan": plan,
        "candidate": plan_candidate_add(
            actor=SETUP, plan=plan, organization=orgs["yljd"], inspection_type="regular", reasons=["coverage"]
        ),
        "run": formation_request(actor=SETUP, round_=team_world["assignment"].round, options={"team_count": 1}),
        "person": person,
        "leader_person": leader_entry.person,
        "leader_entry": leader_entry,
        "member_entry": PoolMember.objects.get(person=spare),
        "declaration": declaration_create(
            actor=SETUP, assignment=team_world["assignment"], person=spare, source="self", reason="亲属在该单位"
        ),
        "reset": reset,
        **lead_chain(team_world["assignment"]),
        "onsite": _onsite_world(team_world),
        "problem": problem,
        "fix_problem": fix_problem,
        "fix": fix,
    }


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label.startswith(
            ("accounts", "core", "orgs", "planning", "fieldwork", "petitions", "findings", "ferry")
        )
        and m._meta.label != "core.AuditEvent"
    }


class _Undo(Exception):
    pass


def _refused(service: Callable[..., Any], actor: Any, kwargs: dict[str, Any]) -> list[str]:
    """What is wrong with how `service` answered `actor` (nothing when it refused in Chinese)."""
    try:
        result = service(actor=actor, **kwargs)
    except PermissionDenied as refusal:
        if not any("\u4e00" <= ch <= "\u9fff" for ch in str(refusal)):
            return [f"refusal not worded in Chinese: {refusal!r}"]
        return []
    except Exception as exc:
        return [f"{type(exc).__name__} before the refusal: {exc}"]
    return [f"allowed (returned {type(result).__name__})"]


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_every_service_refuses_an_outsider_and_writes_nothing(world, personas) -> None:
    assert CredentialReset.objects.filter(status="pending").count() == 1  # the world holds what the rows need
    failures = []
    # Each row meets the world as it was: objects are read back afresh (a refused call may still have
    # touched an instance in memory, and an allowed one is undone).
    saved = {key: (obj, obj.pk) for key, obj in world.items() if isinstance(obj, Model)}
    for outsider in OUTSIDERS:
        actor = personas[outsider]
        world["outsider_self"] = actor
        for dotted in sorted(ROWS):
            if outsider != "no_role" and dotted in OWN_SCOPE:
                continue
            module, name = dotted.rsplit(".", 1)
            service = getattr(importlib.import_module(module), name)
            try:
                with transaction.atomic():
                    before = _counts()
                    failures.extend(
                        f"{outsider} → {dotted}: {f}" for f in _refused(service, actor, ROWS[dotted](world))
                    )
                    if _counts() != before:
                        changed = {k for k, v in _counts().items() if before.get(k) != v}
                        failures.append(f"{outsider} → {dotted}: rows changed {sorted(changed)}")
                    raise _Undo
            except _Undo:
                pass  # whatever a wrongly allowed call wrote is undone, so the next row meets the same world
            actor = type(actor).objects.get(pk=actor.pk)  # no grant cached from an undone write
            world["outsider_self"] = actor
            world.update({key: type(obj).objects.get(pk=pk) for key, (obj, pk) in saved.items()})
    assert failures == [], "\n".join(failures)


def test_only_the_office_administrator_or_a_system_actor_may_move_bundles(personas) -> None:
    from xuncha.ferry.permissions import may_move_bundles

    assert may_move_bundles(SETUP) and may_move_bundles(personas["city_admin"])
    assert not any(may_move_bundles(personas[name]) for name in (*OUTSIDERS, "city_office", "sys_admin"))
