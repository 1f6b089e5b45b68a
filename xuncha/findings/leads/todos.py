"""Home-page items of problem leads: counts only, each for those who may act on them."""

from typing import Any

from django.urls import reverse

from xuncha.core.todo import Todo
from xuncha.findings.leads.choices import OPEN_BEFORE_DECISION, LeadStatus
from xuncha.findings.leads.selectors import overdue_condition
from xuncha.findings.models import Lead
from xuncha.findings.permissions import (
    lead_count_committee_ids,
    lead_director_committee_ids,
    lead_team_posts,
    transfers_received,
)


def lead_todos(user: Any) -> list[Todo]:
    """督办 for the office (overdue reports back, counts only), decisions for the director, signing for the
    receiving body, and the team's leads still waiting for a decision."""
    items: list[Todo] = []
    offices = lead_count_committee_ids(user)
    if offices:
        overdue = Lead.objects.filter(overdue_condition(), committee_id__in=offices).count()
        if overdue:
            items.append(
                Todo(f"{overdue} 条移交的问题线索超过反馈时限", "请督办接收单位反馈办理情况。",
                     reverse("findings:lead_figures"), "danger")
            )  # fmt: skip
    directs = lead_director_committee_ids(user)
    if directs:
        waiting = Lead.objects.filter(committee_id__in=directs, status=LeadStatus.PROPOSED).count()
        if waiting:
            items.append(Todo(f"{waiting} 条问题线索待作出处置决定", "", reverse("findings:lead_decide"), "warning"))
    unsigned = transfers_received(user).filter(signed_on__isnull=True).count()
    if unsigned:
        items.append(Todo(f"{unsigned} 份问题线索移交函待签收", "", reverse("findings:lead_inbox"), "warning"))
    team = list(lead_team_posts(user))
    if team:
        open_ = Lead.objects.filter(assignment_id__in=team, status__in=OPEN_BEFORE_DECISION).count()
        if open_:
            items.append(Todo(f"{open_} 条问题线索尚待研究或决定", "", reverse("findings:lead_list"), "info"))
    return items
