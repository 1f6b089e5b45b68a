"""Problem leads' registrations: labels, the petition observer, the report gate, the second factor,
navigation, the home page's to-dos and the petition page's link (all without a lower layer importing findings)."""

from typing import Any

from xuncha.core.links import Link


def petition_lead_links(petition: Any, user: Any) -> list[Link]:
    """What became of a petition used as a lead: its number and page for a reader of the lead; for the rest
    of the team only that a lead was registered (the lead itself is compartmented)."""
    from django.urls import reverse

    from xuncha.findings.models import Lead
    from xuncha.findings.permissions import leads_visible

    lead = Lead.objects.filter(petition_id=petition.pk).select_related("committee").first()
    if lead is None:
        return []
    if leads_visible(user).filter(pk=lead.pk).exists():
        return [Link(f"已登记为{lead}（{lead.get_status_display()}）", reverse("findings:lead_detail", args=[lead.pk]))]
    return [Link("已登记为问题线索（仅限组长、线索岗和巡察办主任查阅）")]


def register() -> None:
    from xuncha.core.access import rule_of
    from xuncha.core.audit_labels import register_audit_labels
    from xuncha.core.capabilities import register_second_factor_rule
    from xuncha.core.navigation import register_nav
    from xuncha.core.todo import register_todo
    from xuncha.findings.leads import views, views_office
    from xuncha.findings.leads.choices import AUDIT_ACTIONS, AUDIT_OBJECT_TYPES
    from xuncha.findings.leads.machines import leads_settled_gate
    from xuncha.findings.leads.services import lead_follow_petition
    from xuncha.findings.leads.todos import lead_todos
    from xuncha.findings.permissions import serves_on_leads
    from xuncha.petitions.machines import PETITION_MACHINE
    from xuncha.planning.machines import ASSIGNMENT_MACHINE

    register_audit_labels(actions=AUDIT_ACTIONS, object_types=AUDIT_OBJECT_TYPES)
    PETITION_MACHINE.observe(lead_follow_petition)
    ASSIGNMENT_MACHINE.add_gate("draft_report", leads_settled_gate)
    # The lead officer (线索岗) reads sealed leads, as the leader does: a second factor at every sign-in.
    register_second_factor_rule("lead_officer", serves_on_leads)
    for label, view in (
        ("问题线索", views.lead_list),
        ("线索处置决定", views_office.lead_decide),
        ("线索移交", views_office.lead_transfer),
        ("问题线索统计", views_office.lead_figures),
        ("移交线索签收", views_office.lead_inbox),
    ):
        rule = rule_of(view)
        assert rule is not None
        register_nav("findings", label, f"findings:{view.__name__}", rule)
    register_todo(lead_todos)
    from xuncha.core.links import register_links

    register_links("petitions.petition", petition_lead_links)
