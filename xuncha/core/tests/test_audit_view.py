"""The security auditor's audit log names who did what, when and from where, on what kind of object, and
nothing of the business: no organisation, person, petition or letter; office administrators keep their
committees' summaries."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

from xuncha.core.audit import audit_record
from xuncha.core.audit_labels import action_label, action_labels, audit_ref, object_type_label
from xuncha.orgs.choices import OrgLevel, PartyOrgType
from xuncha.orgs.services import organization_save
from xuncha.petitions.machines import PETITION_MACHINE
from xuncha.planning.choices import APPROVAL_TRANSITIONS, ASSIGNMENT_TRANSITIONS
from xuncha.planning.machines import APPROVAL_MACHINE, ASSIGNMENT_MACHINE

PACKAGE = Path(__file__).resolve().parents[2]
ORG = "长沙市城市建设投资开发集团有限公司"
PERSON = "欧阳振华"
PETITION = "XC-2026-000417"
LETTER = "长巡转〔2026〕17号"
SECRETS = [ORG, PERSON, PETITION, LETTER, "城市建设投资"]


@pytest.fixture
def events(personas, committees):
    admin = personas["city_admin"]
    org, _ = organization_save(
        actor=admin,
        org_code="CS-CTJT",
        name=ORG,
        level=OrgLevel.SOE,
        party_org_type=PartyOrgType.COMMITTEE,
        managed_by=committees["city"],
    )
    city = committees["city"].pk
    audit_record(
        action="orgs.relationship_add",
        actor=admin,
        target=org,
        committee_id=city,
        summary=f"登记{PERSON}与{ORG}的关系",
        data={"person": PERSON},
    )
    audit_record(
        action="petitions.identity_reveal",
        actor=admin,
        object_type="petitions.petition",
        object_id=417,
        committee_id=city,
        summary=f"查看信访件 {PETITION} 的反映人信息",
        data={"number": PETITION},
    )
    audit_record(
        action="petitions.referral_letter",
        actor=admin,
        object_type="petitions.petition",
        object_id=417,
        committee_id=city,
        summary=f"生成信访件 {PETITION} 的转办函（{LETTER}）",
    )
    audit_record(action="accounts.login", actor=admin, target=admin, summary=f"{admin.username} 登录")
    return org


def test_the_auditor_sees_no_business_data(events, personas, login) -> None:
    page = login(personas["sec_auditor"]).get("/security/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    for secret in SECRETS:
        assert secret not in html
    assert str(personas["city_admin"]) in html
    for label in ("查看反映人信息", "生成转办函", "登记单位", "登记人员关系", "登录", "信访件", "组织机构", "用户"):
        assert label in html
    assert audit_ref("petitions.petition", "417") in html
    assert "petitions.identity_reveal" not in html.replace('value="petitions.identity_reveal"', "")


def test_the_auditor_rows_never_read_the_summary(events, personas) -> None:
    from xuncha.core.selectors import audit_event_list, audit_rows

    events_ = audit_event_list(user=personas["sec_auditor"])
    assert {"summary", "data"} <= events_.query.deferred_loading[0]
    assert all(row.summary is None for row in audit_rows(events_, with_summary=False))


def test_every_page_of_the_auditor_view_and_its_filter_hold_no_business_data(events, personas, login) -> None:
    client = login(personas["sec_auditor"])
    for code in ("", "petitions.identity_reveal", "petitions.referral_letter", "orgs.organization_created"):
        html = client.get("/security/audit/", {"action": code, "page": 1}).content.decode()
        assert not [s for s in SECRETS if s in html], code


def test_the_filter_is_a_choice_of_labels(events, personas, login) -> None:
    client = login(personas["sec_auditor"])
    html = client.get("/security/audit/", {"action": "petitions.identity_reveal"}).content.decode()
    assert '<option value="petitions.identity_reveal" selected>查看反映人信息</option>' in html
    table = html[html.index("<tbody>") :]
    assert "查看反映人信息" in table and "生成转办函" not in table
    # Not a code: no filter, rather than a prefix search.
    everything = client.get("/security/audit/", {"action": "petitions."}).content.decode()
    assert "生成转办函" in everything[everything.index("<tbody>") :]


def test_office_administrators_keep_their_committees_summaries(events, personas, login) -> None:
    html = login(personas["city_admin"]).get("/security/audit/").content.decode()
    assert f"查看信访件 {PETITION} 的反映人信息" in html and ORG in html
    other = login(personas["yuhua_office"]).get("/security/audit/")
    assert other.status_code == 403


def test_the_reference_is_stable_keyed_and_opaque(settings) -> None:
    ref = audit_ref("petitions.petition", "417")
    assert re.fullmatch(r"[0-9a-f]{12}", ref)
    assert ref == audit_ref("petitions.petition", "417") != audit_ref("petitions.petition", "418")
    assert ref != audit_ref("orgs.organization", "417")
    settings.SECRET_KEY = "another-secret-" * 4
    assert audit_ref("petitions.petition", "417") != ref


def _written_actions() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Every action code literal, every f-string prefix given as `action=`, and every object_type literal."""
    codes: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    object_types: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "transitions.py":
            continue  # the engine's actions are its machines' prefix + transition code (FAMILIES)
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.keyword) or node.arg not in {"action", "object_type"}:
                continue
            where = str(path.relative_to(PACKAGE))
            in_fstrings = {id(c) for j in ast.walk(node.value) if isinstance(j, ast.JoinedStr) for c in j.values}
            for sub in ast.walk(node.value):
                if isinstance(sub, ast.JoinedStr):
                    head = sub.values[0]
                    assert isinstance(head, ast.Constant), f"{where}: an action must start with its app's code"
                    prefixes.setdefault(head.value, where)
                elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and id(sub) not in in_fstrings:
                    if node.arg == "object_type":
                        object_types.setdefault(sub.value, where)
                    elif "." in sub.value:
                        codes.setdefault(sub.value, where)
    return codes, prefixes, object_types


# Each action built from data, and the values it is built from.
MACHINES = (ASSIGNMENT_MACHINE, APPROVAL_MACHINE, PETITION_MACHINE)  # the engine audits prefix + code
FAMILIES = {
    "planning.assignment_": list(ASSIGNMENT_TRANSITIONS),
    "planning.approval_": list(APPROVAL_TRANSITIONS),
    "orgs.organization_": ["created", "updated"],
}


def test_every_action_the_code_writes_has_a_chinese_label() -> None:
    codes, prefixes, _ = _written_actions()
    assert len(codes) > 50  # the collector does find them
    assert "petitions.acknowledged" in codes and "accounts.deactivate" in codes
    missing = {code: where for code, where in codes.items() if code not in action_labels()}
    assert not missing
    machines = {m.audit_prefix for m in MACHINES if m.audit_prefix}
    assert set(prefixes) | machines == set(FAMILIES), "a new action built from data: list its values in FAMILIES"
    for prefix, values in FAMILIES.items():
        assert not [v for v in values if f"{prefix}{v}" not in action_labels()], prefix
    for code, label in action_labels().items():
        assert not label.isascii() and action_label(code) == label and code not in label


def test_every_object_type_has_a_chinese_label() -> None:
    _, _, literals = _written_actions()
    models = [m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("xuncha.")]
    for object_type in [*literals, *models]:
        label = object_type_label(object_type)
        assert label != "其他对象" and not label.isascii(), object_type
