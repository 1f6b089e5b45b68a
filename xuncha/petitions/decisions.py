"""Staff decisions on petitions: 签收, disposition (use, refer out, merge, archive), referral follow-up.

Every decision is made by a person of the assignment's team, recorded with who and when, and
audit-logged; a category decision also teaches the classifier.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_items
from xuncha.core.params import param_value
from xuncha.petitions.choices import PetitionStatus
from xuncha.petitions.models import Petition, Referral
from xuncha.petitions.permissions import is_on_team
from xuncha.petitions.sealing import open_sealed, seal
from xuncha.petitions.triage import learn_category
from xuncha.planning.schedule import add_months

DISPOSITION_STATUS = {
    "use_problem": PetitionStatus.USED,
    "use_clue": PetitionStatus.USED,
    "immediate_fix": PetitionStatus.USED,
    "refer_out": PetitionStatus.REFERRED,
    "merge_duplicate": PetitionStatus.MERGED,
    "archive": PetitionStatus.ARCHIVED,
}
OPEN = (PetitionStatus.RECEIVED, PetitionStatus.UNDER_REVIEW)


def _team(actor: Any, petition: Petition) -> None:
    if not is_on_team(actor, petition):
        raise PermissionError("只有承担该巡察任务的巡察组可以办理。")


@transaction.atomic
def petition_sign(*, actor: Any, petition: Petition) -> Petition:
    """签收: the team takes the petition in hand (the 5-working-day clock stops)."""
    _team(actor, petition)
    if petition.signed_at is None:
        petition.signed_at = timezone.now()
        petition.save(update_fields=["signed_at", "updated_at"])
        audit_record(
            action="petitions.signed",
            actor=actor,
            target=petition,
            committee_id=petition.assignment.round.committee_id,
            summary=f"签收信访件 {petition.number}",
        )
    return petition


@transaction.atomic
def petition_dispose(
    *,
    actor: Any,
    petition: Petition,
    disposition: str,
    category: str = "",
    petition_class: str = "",
    merged_into: Petition | None = None,
    receiver: str = "",
    letter_no: str = "",
    sent_on: date | None = None,
) -> Petition:
    """Decide what becomes of a petition; suggestions may inform it but never make it."""
    _team(actor, petition)
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if disposition not in DISPOSITION_STATUS:
        raise ValidationError("请选择处置方式。")
    if petition.status not in OPEN:
        raise ValidationError(f"信访件已处置（{PetitionStatus(petition.status).label}），不能重复处置。")
    if category and category not in set(code_items("six_disciplines").values_list("code", flat=True)):
        raise ValidationError("纪律分类不正确。")
    if disposition in {"use_problem", "use_clue", "immediate_fix"} and not category:
        raise ValidationError("用于巡察的信访件须确定纪律分类。")
    if petition_class and petition_class not in set(code_items("petition_classes").values_list("code", flat=True)):
        raise ValidationError("信访类别不正确。")
    if disposition == "merge_duplicate":
        if merged_into is None or merged_into.pk == petition.pk or merged_into.assignment_id != petition.assignment_id:
            raise ValidationError("请选择同一巡察任务中要合并到的信访件。")
        if merged_into.received_at > petition.received_at:
            raise ValidationError("只能合并到更早收到的信访件。")
    if disposition == "refer_out" and (not receiver.strip() or not letter_no.strip() or sent_on is None):
        raise ValidationError("转办须填写承办单位、转办文号和转办日期。")
    petition.disposition = disposition
    petition.status = DISPOSITION_STATUS[disposition]
    petition.category = category
    petition.petition_class = petition_class
    petition.merged_into = merged_into if disposition == "merge_duplicate" else None
    petition.decided_by = actor
    petition.decided_at = timezone.now()
    petition.signed_at = petition.signed_at or petition.decided_at
    petition.save()
    if disposition == "refer_out":
        months = int(param_value("petition_handle_months", committee=petition.assignment.round.committee))
        Referral.objects.create(
            petition=petition,
            receiver=receiver.strip(),
            letter_no=letter_no.strip(),
            sent_on=sent_on,  # type: ignore[misc]
            due_on=add_months(sent_on, months),  # type: ignore[arg-type]
            created_by=actor,
        )
    if category:
        learn_category(open_sealed(petition.sealed_content, "content"), category)
    audit_record(
        action="petitions.disposed",
        actor=actor,
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"信访件 {petition.number}：{dict(code_items('petition_dispositions').values_list('code', 'label')).get(disposition, disposition)}",
        data={"disposition": disposition, "category": category, "merged_into": merged_into.pk if merged_into else None},
    )
    return petition


@transaction.atomic
def referral_update(
    *,
    actor: Any,
    referral: Referral,
    acknowledged_on: date | None = None,
    result: str = "",
    result_on: date | None = None,
) -> Referral:
    """Record the receiver's 签收 and result; a result closes the petition."""
    _team(actor, referral.petition)
    status = Petition.objects.filter(pk=referral.petition_id).values_list("status", flat=True).first()
    if status != PetitionStatus.REFERRED or referral.result_on is not None:
        raise ValidationError("该转办件已办结，不能再修改。")
    if acknowledged_on:
        referral.acknowledged_on = acknowledged_on
    if result.strip():
        if result_on is None:
            raise ValidationError("请填写结果回复日期。")
        referral.sealed_result, referral.result_on = seal(result.strip(), "referral_result"), result_on
        Petition.objects.filter(pk=referral.petition_id).update(status=PetitionStatus.CLOSED, updated_at=timezone.now())
    referral.save()
    audit_record(
        action="petitions.referral_update",
        committee_id=referral.petition.assignment.round.committee_id,
        actor=actor,
        target=referral.petition,
        summary=f"信访件 {referral.petition.number}：转办跟踪",
    )
    return referral


def referral_overdue(referral: Referral, today: date | None = None) -> bool:
    return referral.result_on is None and (today or timezone.localdate()) > referral.due_on
