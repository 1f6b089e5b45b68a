"""Staff decisions on petitions: 签收, disposition (use, refer out, merge, archive), status moves,
referral follow-up (out and from above), and telling a named reporter (受理告知, 结果反馈).

Every decision is made by a person of the assignment's team, recorded with who and when, and
audit-logged; a category decision also teaches the classifier. A petition that becomes final
(closed or on file) starts the 实名反馈 clock of a named reporter (clocks.closing).
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_items
from xuncha.core.params import param_value
from xuncha.core.transitions import transition_perform
from xuncha.core.workdays import add_months
from xuncha.petitions.choices import (
    DISPOSITION_STATUS,
    MANUAL_TRANSITIONS,
    TEAM,
    USED_FOR_INSPECTION,
    ContactMethod,
    Disposition,
    PetitionStatus,
    SourceRequirement,
)
from xuncha.petitions.decisions.clocks import FINAL, OPEN, closing
from xuncha.petitions.machines import PETITION_MACHINE
from xuncha.petitions.models import IncomingReferral, Petition, PetitionNote, Referral
from xuncha.petitions.permissions import is_on_team
from xuncha.petitions.triage.categories import learn_category, suggest_category


def _team(actor: Actor, petition: Petition) -> None:
    if not is_on_team(actor, petition):
        raise PermissionDenied("只有承担该巡察任务的巡察组可以办理。")


@transaction.atomic
def petition_sign(*, actor: Actor, petition: Petition) -> Petition:
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
    actor: Actor,
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
    if disposition not in Disposition.values:
        raise ValidationError("请选择处置方式。")
    if petition.status not in OPEN:
        raise ValidationError(f"信访件已处置（{PetitionStatus(petition.status).label}），不能重复处置。")
    if category and category not in set(code_items("six_disciplines").values_list("code", flat=True)):
        raise ValidationError("纪律分类不正确。")
    if disposition in USED_FOR_INSPECTION and not category:
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
    petition.category = category
    petition.petition_class = petition_class
    petition.merged_into = merged_into if disposition == "merge_duplicate" else None
    petition.decided_by = account_of(actor)
    petition.decided_at = timezone.now()
    petition.signed_at = petition.signed_at or petition.decided_at
    fields = ["disposition", "category", "petition_class", "merged_into", "decided_by", "decided_at", "signed_at"]
    if DISPOSITION_STATUS[Disposition(disposition)] in FINAL:
        for field, value in closing(petition, petition.decided_at).items():
            setattr(petition, field, value)
            fields.append(field)
    transition_perform(
        PETITION_MACHINE, petition, f"dispose_{disposition}", actor=actor, capacities={TEAM}, update_fields=fields
    )
    if disposition == "refer_out":
        months = int(param_value("petition_handle_months", committee=petition.assignment.round.committee))
        Referral.objects.create(
            petition=petition,
            receiver=receiver.strip(),
            letter_no=letter_no.strip(),
            sent_on=sent_on,  # type: ignore[misc]
            due_on=add_months(sent_on, months),  # type: ignore[arg-type]
            created_by=account_of(actor),
        )
    content = petition.sealed_content.open()
    suggested = suggest_category(content)  # what staff were shown, before this decision teaches anything
    if category:
        learn_category(content, category)
    audit_record(
        action="petitions.disposed",
        actor=actor,
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"信访件 {petition.number}：{Disposition(disposition).label}",
        data=_disposal_data(
            disposition, category, petition_class, merged_into, suggested, receiver, letter_no, sent_on
        ),
    )
    return petition


def _disposal_data(
    disposition: str,
    category: str,
    petition_class: str,
    merged_into: Petition | None,
    suggested: str,
    receiver: str,
    letter_no: str,
    sent_on: date | None,
) -> dict[str, Any]:
    """What the audit record of a disposition holds: codes, the referral's administrative particulars
    and whether the decision followed the suggestion; never the petition's text or who reported it."""
    data: dict[str, Any] = {
        "disposition": disposition,
        "category": category,
        "petition_class": petition_class,
        "merged_into": merged_into.pk if merged_into else None,
        "suggested_category": suggested,
    }
    if category:
        data["followed_suggestion"] = category == suggested
    if disposition == "refer_out":
        data |= {
            "receiver": receiver.strip(),
            "letter_no": letter_no.strip(),
            "sent_on": sent_on.isoformat() if sent_on else None,
        }
    return data


@transaction.atomic
def referral_update(
    *,
    actor: Actor,
    referral: Referral,
    acknowledged_on: date | None = None,
    result: str = "",
    result_on: date | None = None,
) -> Referral:
    """Record the receiver's 签收 and result; a result closes the petition."""
    _team(actor, referral.petition)
    petition = (
        Petition.objects.select_for_update(of=("self",))
        .select_related("assignment__round__committee")
        .get(pk=referral.petition_id)
    )
    if petition.status != PetitionStatus.REFERRED or referral.result_on is not None:
        raise ValidationError("该转办件已办结，不能再修改。")
    if acknowledged_on:
        referral.acknowledged_on = acknowledged_on
    if result.strip():
        if result_on is None:
            raise ValidationError("请填写结果回复日期。")
        referral.sealed_result, referral.result_on = result.strip(), result_on
        fields = []
        for field, value in closing(petition, timezone.now()).items():
            setattr(petition, field, value)
            fields.append(field)
        transition_perform(
            PETITION_MACHINE, petition, "referral_result", actor=actor, capacities={TEAM}, update_fields=fields
        )
    referral.save()
    audit_record(
        action="petitions.referral_update",
        committee_id=referral.petition.assignment.round.committee_id,
        actor=actor,
        target=referral.petition,
        summary=f"信访件 {referral.petition.number}：转办跟踪",
    )
    return referral


@transaction.atomic
def status_set(*, actor: Actor, petition: Petition, status: str, reason: str = "") -> Petition:
    """A staff move of the petition's status (the allowed moves are data: choices.MANUAL_TRANSITIONS on the engine); the
    reason is kept sealed as an internal note."""
    _team(actor, petition)
    petition = (
        Petition.objects.select_for_update(of=("self",))
        .select_related("assignment__round__committee")
        .get(pk=petition.pk)
    )
    moves = [t for t in PETITION_MACHINE.available(petition.status) if t.code in MANUAL_TRANSITIONS]
    chosen = next((t for t in moves if t.target == status), None)
    if chosen is None:
        raise ValidationError(
            f"信访件当前为“{PetitionStatus(petition.status).label}”，不能改为“{PetitionStatus(status).label if status in PetitionStatus.values else status}”。"
        )
    old = petition.status
    fields = []
    if petition.signed_at is None:  # taking it to the 组务会 (or further) is taking it in hand
        petition.signed_at = timezone.now()
        fields.append("signed_at")
    if status in FINAL:
        for field, value in closing(petition, timezone.now()).items():
            setattr(petition, field, value)
            fields.append(field)
    transition_perform(
        PETITION_MACHINE, petition, chosen.code, actor=actor, capacities={TEAM}, reason=reason, update_fields=fields
    )
    if reason.strip():
        note = f"{PetitionStatus(old).label} → {PetitionStatus(status).label}：{reason.strip()}"
        PetitionNote.objects.create(petition=petition, sealed_body=note, author=account_of(actor))
    audit_record(
        action="petitions.status",
        committee_id=petition.assignment.round.committee_id,
        actor=actor,
        target=petition,
        summary=f"信访件 {petition.number}：{PetitionStatus(old).label} → {PetitionStatus(status).label}",
        data={"from": old, "to": status, "reason_given": bool(reason.strip())},
    )
    return petition


def _told(
    actor: Actor, petition: Petition, via: str, at: datetime | None, stamp: str, *, action: str, what: str
) -> Petition:
    """Record that the named reporter was told (`stamp`_at and `stamp`_via), audited."""
    _team(actor, petition)
    if petition.anonymous:
        raise ValidationError("匿名信访件无需告知反映人。")
    if via not in ContactMethod.values:
        raise ValidationError("请选择告知方式。")
    at = at or timezone.now()
    if at > timezone.now() or at < petition.received_at:
        raise ValidationError("告知时间应在收到信访件之后、不晚于现在。")
    Petition.objects.filter(pk=petition.pk).update(
        **{f"{stamp}_at": at, f"{stamp}_via": via}, updated_at=timezone.now()
    )
    audit_record(
        action=action,
        actor=actor,
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"信访件 {petition.number}：{what}（{ContactMethod(via).label}）",
    )
    petition.refresh_from_db()
    return petition


@transaction.atomic
def petition_acknowledge(*, actor: Actor, petition: Petition, via: str, at: datetime | None = None) -> Petition:
    """受理告知: the named reporter was told the report is accepted (stops the 实名告知 clock)."""
    return _told(actor, petition, via, at, "acknowledged", action="petitions.acknowledged", what="受理告知")


@transaction.atomic
def petition_result_notify(*, actor: Actor, petition: Petition, via: str, at: datetime | None = None) -> Petition:
    """结果反馈: the named reporter of a final petition was told the result (stops the 实名反馈 clock)."""
    _team(actor, petition)
    if petition.status not in FINAL:
        raise ValidationError("信访件办结后才能反馈办理结果。")
    return _told(actor, petition, via, at, "replied", action="petitions.result_notified", what="向反映人反馈办理结果")


@transaction.atomic
def incoming_report(*, actor: Actor, incoming: IncomingReferral, reported_on: date, text: str) -> IncomingReferral:
    """报结: the team reports back to the office that referred the petition (what was found, sealed)."""
    _team(actor, incoming.petition)
    if incoming.requirement == SourceRequirement.NOTE:
        raise ValidationError("来文为阅知件，不要求报结。")
    if incoming.reported_on is not None:
        raise ValidationError("已向来文单位报结，不能重复报结。")
    if not text.strip():
        raise ValidationError("请填写报结情况。")
    if reported_on > timezone.localdate() or reported_on < timezone.localtime(incoming.petition.received_at).date():
        raise ValidationError("报结日期应在收到转办之后、不晚于今天。")
    incoming.reported_on, incoming.sealed_report = reported_on, text.strip()
    incoming.save(update_fields=["reported_on", "sealed_report", "updated_at"])
    audit_record(
        action="petitions.incoming_report",
        actor=actor,
        target=incoming.petition,
        committee_id=incoming.petition.assignment.round.committee_id,
        summary=f"信访件 {incoming.petition.number}：向{incoming.source_office}报结（{incoming.letter_no}）",
    )
    return incoming
