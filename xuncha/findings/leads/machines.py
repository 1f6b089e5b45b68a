"""The problem lead's status machine on the core transition engine, and the gates findings puts on planning.

Reasons given for a move (a lead sent back, carried forward) are confidential: the engine records that one
was given; the service keeps the text sealed in the lead's remarks.
"""

from typing import Any

from xuncha.core.transitions import Machine, Move
from xuncha.findings.leads.choices import CAPACITY_LABELS, LEAD_TRANSITIONS, OPEN_BEFORE_DECISION, LeadStatus
from xuncha.findings.models import Lead

LEAD_MACHINE = Machine(
    name="findings.lead",
    field_name="status",
    states=LeadStatus,
    transitions=LEAD_TRANSITIONS,
    capacity_labels=CAPACITY_LABELS,
    describe=lambda lead: str(lead),
    audit_prefix="findings.lead_",
    reasons_in_clear=False,
)


def leads_settled_gate(assignment: Any, move: Move) -> str | None:
    """起草巡察报告 needs every lead of the assignment decided (or later) or explicitly carried forward."""
    waiting = Lead.objects.filter(assignment_id=assignment.pk, status__in=OPEN_BEFORE_DECISION).count()
    if waiting:
        return f"还有 {waiting} 条问题线索尚未作出处置决定或明确结转，不能起草巡察报告。"
    return None
