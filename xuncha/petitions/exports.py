"""What leaves the system as a file about petitions — the watermarked queue export, the 转办函 — each made
and audit-logged here, so no view writes an audit event or opens a sealed value itself."""

from typing import Any

from django.core.exceptions import PermissionDenied

from xuncha.core.actors import Actor
from xuncha.core.audit import audit_record
from xuncha.petitions.decisions.referral_letter import referral_letter_docx
from xuncha.petitions.models import Petition, Referral
from xuncha.petitions.permissions import is_on_team, queue_check
from xuncha.petitions.petition_xlsx import petitions_xlsx
from xuncha.petitions.selectors import petition_search, row


def petitions_export(*, actor: Actor, filters: dict[str, str], request: Any = None) -> bytes:
    """The actor's visible queue (as filtered) as .xlsx, without reporter identity, watermarked; audited."""
    queue_check(actor)
    rows = [row(p) for p in petition_search(user=actor, **filters)]
    body = petitions_xlsx(rows, actor)
    audit_record(
        action="petitions.export",
        actor=actor,
        object_type="petitions.petition",
        committee_id=next(iter(sorted({r.petition.assignment.round.committee_id for r in rows})), None),
        summary=f"导出信访件清单（{len(rows)} 件）",
        request=request,
    )
    return body


def referral_letter_make(*, actor: Actor, petition: Petition, request: Any = None) -> bytes | None:
    """The 转办函 of a referred petition for the assignment's team (None when it was not referred); audited.
    The office reads petitions masked; writing to a receiver on the team's behalf is not its part."""
    if not is_on_team(actor, petition):
        raise PermissionDenied("只有承担该巡察任务的巡察组可以生成转办函。")
    referral = Referral.objects.filter(petition=petition).first()
    if referral is None:
        return None
    referral.petition = petition
    body = referral_letter_docx(referral, actor)
    audit_record(
        action="petitions.referral_letter",
        actor=actor,
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"生成信访件 {petition.number} 的转办函（{referral.letter_no}）",
        request=request,
    )
    return body
