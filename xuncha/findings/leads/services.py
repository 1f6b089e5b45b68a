"""Writes on problem leads: register, study, propose, decide (in batches), transfer, sign for, dispose, report back.

Every service authorises first through findings.permissions (so an outsider learns nothing of a lead's
state), moves the status only through LEAD_MACHINE, and records an audit event that carries numbers and
codes, never what a lead says or whom it names.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.actors import Actor, account_of, require_actor
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_items
from xuncha.core.models import Committee
from xuncha.core.params import param_value
from xuncha.core.roles import Role
from xuncha.core.transitions import Move, transition_perform
from xuncha.core.workdays import add_months
from xuncha.findings.leads.choices import (
    AWAITING_REPORT,
    DIRECTOR,
    RECEIVER,
    TEAM,
    TEAM_LEADER,
    Confidentiality,
    DecisionBody,
    Destination,
    Disposal,
    EscalationKind,
    LeadSource,
)
from xuncha.findings.leads.machines import LEAD_MACHINE
from xuncha.findings.models import Lead, LeadDecision, LeadEscalation, LeadTransfer
from xuncha.findings.permissions import (
    lead_capacity_check,
    lead_director_check,
    lead_receiver_check,
    lead_register_check,
)
from xuncha.planning.choices import AssignmentState
from xuncha.planning.models import Assignment
from xuncha.planning.schedule import on_or_after_working_day

REGISTERABLE = (AssignmentState.ENTERED, AssignmentState.ON_SITE, AssignmentState.ON_SITE_CLOSED)
ON_SITE = (AssignmentState.ENTERED, AssignmentState.ON_SITE)
NOT_YOURS = "您无权办理这条问题线索。"


def _committee_of(assignment: Assignment) -> Committee:
    return assignment.round.committee


def _next_seq(committee: Committee, year: int) -> int:
    Committee.objects.select_for_update().filter(pk=committee.pk).first()  # one numbering at a time per committee
    last = Lead.objects.filter(committee=committee, year=year).order_by("-seq").values_list("seq", flat=True).first()
    return (last or 0) + 1


def _check_category(category: str) -> None:
    if category not in set(code_items("six_disciplines").values_list("code", flat=True)):
        raise ValidationError("请选择问题线索的纪律分类。")


def _create(
    *,
    actor: Actor,
    assignment: Assignment,
    source: str,
    summary: str,
    facts: str,
    subjects: list[dict[str, str]],
    category: str,
    confidentiality: str,
    about_own_discipline_leaders: bool,
    petition: Any = None,
) -> Lead:
    committee = _committee_of(assignment)
    year = timezone.localdate().year
    lead = Lead.objects.create(
        assignment=assignment,
        committee=committee,
        year=year,
        seq=_next_seq(committee, year),
        source=source,
        petition=petition,
        sealed_content={"summary": summary, "facts": facts},
        sealed_subjects=subjects,
        category=category,
        confidentiality=Confidentiality.HIGH if about_own_discipline_leaders else confidentiality,
        about_own_discipline_leaders=about_own_discipline_leaders,
        created_by=account_of(actor),
    )
    audit_record(
        action="findings.lead_register",
        actor=actor,
        target=lead,
        committee_id=committee.pk,
        summary=f"{lead}：登记（{LeadSource(source).label}）",
        data={"source": source, "petition": petition.pk if petition else None, "category": category},
    )
    return lead


@transaction.atomic
def lead_register(
    *,
    actor: Actor,
    assignment: Assignment,
    source: str,
    summary: str,
    subjects: list[dict[str, str]],
    category: str,
    facts: str = "",
    confidentiality: str = Confidentiality.NORMAL,
    about_own_discipline_leaders: bool = False,
) -> Lead:
    """Register a lead found on site (谈话, 调阅, 抽查, 下沉…); a petition's lead comes with its disposal."""
    high = confidentiality == Confidentiality.HIGH or about_own_discipline_leaders
    lead_register_check(actor, assignment, Confidentiality.HIGH if high else Confidentiality.NORMAL)
    if source not in LeadSource.values or source == LeadSource.PETITION:
        raise ValidationError("请选择问题线索的来源（信访件作为线索的，在信访件处置时自动登记）。")
    if confidentiality not in Confidentiality.values:
        raise ValidationError("密级要求不正确。")
    if assignment.state not in REGISTERABLE:
        raise ValidationError("只有进驻后至起草报告前可以登记问题线索。")
    subjects = [
        {"name": s.get("name", "").strip(), "post": s.get("post", "").strip()} for s in subjects if s.get("name")
    ]
    if not summary.strip() or not subjects:
        raise ValidationError("请填写线索内容和被反映人。")
    _check_category(category)
    return _create(
        actor=actor,
        assignment=assignment,
        source=source,
        summary=summary.strip(),
        facts=facts.strip(),
        subjects=subjects,
        category=category,
        confidentiality=confidentiality,
        about_own_discipline_leaders=about_own_discipline_leaders,
    )


def lead_follow_petition(petition: Any, move: Move) -> None:
    """PETITION_MACHINE observer: a petition disposed "作为问题线索" becomes a lead in the same transaction
    (the disposal was authorised by petitions; the lead names the same actor)."""
    if move.transition.code != "dispose_use_clue" or Lead.objects.filter(petition_id=petition.pk).exists():
        return
    content = petition.sealed_content.open()
    post = "".join(content.get(k, "") or "" for k in ("subject_unit", "subject_position"))
    subjects = [{"name": content.get("subject_name", "") or "（未具名）", "post": post}]
    facts = "；".join(f"{label}：{content[k]}" for k, label in (("when", "时间"), ("where", "地点")) if content.get(k))
    _create(
        actor=move.actor,
        assignment=petition.assignment,
        source=LeadSource.PETITION,
        summary=content.get("what", "") or "",
        facts=facts,
        subjects=subjects,
        category=petition.category,
        confidentiality=Confidentiality.NORMAL,
        about_own_discipline_leaders=False,
        petition=petition,
    )


def _locked(lead: Lead) -> Lead:
    return (
        Lead.objects.select_for_update(of=("self",))
        .select_related("committee", "assignment", "transfer")
        .get(pk=lead.pk)
    )


def _remark(lead: Lead, actor: Actor, kind: str, text: str) -> None:
    """Append a sealed remark (an opinion of the 组务会, a reason for sending back or carrying forward)."""
    if not text.strip():
        return
    remarks = lead.sealed_remarks.open() if lead.sealed_remarks else []
    who = getattr(actor, "full_name", "") or str(actor)
    remarks.append({"kind": kind, "text": text.strip(), "by": who, "on": timezone.localdate().isoformat()})
    lead.sealed_remarks = remarks


def _move(lead: Lead, code: str, *, actor: Actor, capacities: set[str], fields: Sequence[str] = (), **kw: Any) -> Move:
    return transition_perform(
        LEAD_MACHINE,
        lead,
        code,
        actor=actor,
        capacities=capacities,
        update_fields=fields,
        committee_id=lead.committee_id,
        **kw,
    )


@transaction.atomic
def lead_review(*, actor: Actor, lead: Lead, on: date, opinion: str = "") -> Lead:
    """组务会 studied the lead (its date, and its opinion sealed)."""
    capacities = lead_capacity_check(actor, lead, TEAM, NOT_YOURS)
    lead = _locked(lead)
    lead.reviewed_on = on
    _remark(lead, actor, "组务会研究意见", opinion)
    _move(lead, "review", actor=actor, capacities=capacities, fields=["reviewed_on", "sealed_remarks"], on=on)
    return lead


@transaction.atomic
def lead_propose(
    *, actor: Actor, lead: Lead, destination: str, receiver_name: str = "", fast_track: bool = False, opinion: str = ""
) -> Lead:
    """The team leader proposes where the lead goes (and 直查快办 for a simple, clear one during the inspection)."""
    capacities = lead_capacity_check(actor, lead, TEAM_LEADER, "处置建议由巡察组组长提出。")
    lead = _locked(lead)
    if destination not in Destination.values:
        raise ValidationError("请选择处置建议。")
    if lead.about_own_discipline_leaders and destination != Destination.TO_UPPER:
        raise ValidationError("涉及本级纪委监委领导班子成员的线索，须密封报送上级纪委监委。")
    if destination == Destination.TO_UPPER and lead.committee.parent_id is None:
        raise ValidationError("本级党委没有上级，不能报送上级。")
    if destination == Destination.TO_UNIT:
        receiver_name = receiver_name.strip() or f"{lead.assignment.organization.name}党组织"
    if destination == Destination.TO_DEPT and not receiver_name.strip():
        raise ValidationError("移交职能部门须写明部门名称。")
    if fast_track and lead.assignment.state not in ON_SITE:
        raise ValidationError("直查快办只适用于巡察进驻期间。")
    lead.destination, lead.receiver_name, lead.fast_track = destination, receiver_name.strip(), fast_track
    _remark(lead, actor, "处置建议", opinion)
    fields = ["destination", "receiver_name", "fast_track", "sealed_remarks"]
    _move(lead, "propose", actor=actor, capacities=capacities, fields=fields, data={"destination": destination})
    return lead


@transaction.atomic
def lead_send_back(*, actor: Actor, lead: Lead, reason: str) -> Lead:
    """The office director sends a proposal back to the team (the reason kept sealed)."""
    capacities = lead_capacity_check(actor, lead, DIRECTOR, "只有巡察办主任可以退回处置建议。")
    lead = _locked(lead)
    _remark(lead, actor, "退回意见", reason)
    _move(lead, "send_back", actor=actor, capacities=capacities, fields=["sealed_remarks"], reason=reason)
    return lead


@transaction.atomic
def lead_carry_forward(*, actor: Actor, lead: Lead, reason: str) -> Lead:
    """结转: the director records that a lead is carried forward rather than decided now (reason sealed)."""
    capacities = lead_capacity_check(actor, lead, DIRECTOR, "只有巡察办主任可以决定结转问题线索。")
    lead = _locked(lead)
    _remark(lead, actor, "结转理由", reason)
    _move(lead, "carry_forward", actor=actor, capacities=capacities, fields=["sealed_remarks"], reason=reason)
    return lead


@transaction.atomic
def lead_resume(*, actor: Actor, lead: Lead) -> Lead:
    """A carried-forward lead taken up again for study."""
    capacities = lead_capacity_check(actor, lead, DIRECTOR, "只有巡察办主任可以恢复研究问题线索。")
    lead = _locked(lead)
    _move(lead, "resume", actor=actor, capacities=capacities)
    return lead


def _one_committee(leads: Sequence[Lead]) -> Committee:
    if not leads:
        raise ValidationError("请选择问题线索。")
    committees = {lead.committee_id for lead in leads}
    if len(committees) != 1:
        raise ValidationError("一次只能处理同一派出党委的问题线索。")
    return Committee.objects.get(pk=committees.pop())


@transaction.atomic
def leads_decide(
    *, actor: Actor, leads: Sequence[Lead], body: str, decided_on: date, minutes_no: str = ""
) -> LeadDecision:
    """Record the decision on a batch of proposed leads: the leading group's, the 书记专题会's, or 直查快办."""
    committee = _one_committee(leads)
    lead_director_check(actor, committee.pk)
    if body not in DecisionBody.values:
        raise ValidationError("请选择作出决定的机构。")
    if body != DecisionBody.FAST_TRACK and not minutes_no.strip():
        raise ValidationError("请填写会议纪要或批件编号。")
    decision = LeadDecision.objects.create(
        committee=committee,
        body=body,
        decided_on=decided_on,
        minutes_no=minutes_no.strip(),
        created_by=account_of(actor),
    )
    for lead in leads:
        lead = _locked(lead)
        if body == DecisionBody.FAST_TRACK and not (lead.fast_track and lead.assignment.state in ON_SITE):
            raise ValidationError(f"{lead}未经组长提出直查快办，或巡察已结束进驻，不能按直查快办决定。")
        lead.decision = decision
        capacities = lead_capacity_check(actor, lead, DIRECTOR, NOT_YOURS)
        _move(lead, "decide", actor=actor, capacities=capacities, fields=["decision"], on=decided_on)
    audit_record(
        action="findings.lead_decision",
        actor=actor,
        target=decision,
        committee_id=committee.pk,
        summary=f"{decision.get_body_display()}决定 {len(leads)} 条问题线索",
        data={"leads": [lead.pk for lead in leads], "body": body, "on": decided_on.isoformat()},
    )
    return decision


def receiver_of(lead: Lead) -> tuple[Committee | None, str, str]:
    """(receiving committee, role, name) of a lead's destination: 同级纪委监委, 组织部, the level above's
    discipline commission, or a unit/department named in clear (outside the platform)."""
    c = lead.committee
    stem = c.short_name.removesuffix("委")
    if lead.destination == Destination.TO_DISCIPLINE:
        return c, Role.DISCIPLINE_ORG, f"{stem}纪委监委"
    if lead.destination == Destination.TO_ORG_DEPT:
        return c, Role.ORG_DEPT, f"{c.short_name}组织部"
    if lead.destination == Destination.TO_UPPER:
        parent = c.parent
        if parent is None:
            raise ValidationError("本级党委没有上级，不能报送上级。")
        return parent, Role.DISCIPLINE_ORG, f"{parent.short_name.removesuffix('委')}纪委监委"
    return None, "", lead.receiver_name


@transaction.atomic
def leads_transfer(
    *, actor: Actor, leads: Sequence[Lead], letter_no: str, transferred_on: date, materials: list[str]
) -> LeadTransfer:
    """移交: decided leads of one destination go under one letter with its 移交清单; the report-back clock starts."""
    committee = _one_committee(leads)
    lead_director_check(actor, committee.pk)
    locked = [_locked(lead) for lead in leads]
    receivers = {receiver_of(lead) if lead.destination else None for lead in locked}
    if None in receivers or len(receivers) != 1:
        raise ValidationError("一份移交函只能移交去向相同、已作出处置决定的问题线索。")
    receiver_committee, role, name = next(iter(receivers))  # type: ignore[misc]
    letter_no = letter_no.strip()
    if not letter_no or LeadTransfer.objects.filter(committee=committee, letter_no=letter_no).exists():
        raise ValidationError("请填写移交函文号（不能与已有的重复）。")
    items = [m.strip() for m in materials if m.strip()]
    if not items:
        raise ValidationError("请列明随移交函移交的材料。")
    transfer = LeadTransfer.objects.create(
        committee=committee,
        destination=locked[0].destination,
        receiver_committee=receiver_committee,
        receiver_role=role,
        receiver_name=name,
        letter_no=letter_no,
        transferred_on=transferred_on,
        sealed_materials=items,
        created_by=account_of(actor),
    )
    months = int(param_value("clue_feedback_due_months", committee=committee))
    due = on_or_after_working_day(add_months(transferred_on, months), committee=committee)
    for lead in locked:
        capacities = lead_capacity_check(actor, lead, DIRECTOR, NOT_YOURS)
        lead.transfer, lead.feedback_due = transfer, due
        _move(
            lead, "transfer", actor=actor, capacities=capacities, fields=["transfer", "feedback_due"], on=transferred_on
        )
    audit_record(
        action="findings.lead_transfer_record",
        actor=actor,
        target=transfer,
        committee_id=committee.pk,
        summary=f"移交函 {letter_no}：{len(locked)} 条问题线索移交{name}",
        data={"leads": [lead.pk for lead in locked], "destination": transfer.destination, "due": due.isoformat()},
    )
    return transfer


@transaction.atomic
def lead_transfer_sign(*, actor: Actor, transfer: LeadTransfer, on: date | None = None) -> LeadTransfer:
    """签收: the receiving body signs for a transfer in its inbox; each lead on the list moves to 已签收."""
    lead_receiver_check(actor, transfer)
    transfer = LeadTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.signed_on is not None:
        raise ValidationError("该移交函已签收。")
    on = on or timezone.localdate()
    if on < transfer.transferred_on:
        raise ValidationError("签收日期不能早于移交日期。")
    transfer.signed_on, transfer.signed_by = on, account_of(actor)
    transfer.save(update_fields=["signed_on", "signed_by", "updated_at"])
    for lead in transfer.leads.all():
        lead = _locked(lead)
        _move(lead, "sign", actor=actor, capacities=lead_capacity_check(actor, lead, RECEIVER, NOT_YOURS), on=on)
    return transfer


@transaction.atomic
def lead_return(*, actor: Actor, lead: Lead, reason: str) -> Lead:
    """退回: before signing, the receiving body returns a lead outside its remit (the reason sealed); the lead
    leaves the transfer and its clock, and waits for the director's decision again."""
    capacities = lead_capacity_check(actor, lead, RECEIVER, "只有接收单位可以退回移交的问题线索。")
    lead = _locked(lead)
    _remark(lead, actor, "接收单位退回理由", reason)
    transfer = lead.transfer
    lead.transfer, lead.feedback_due, lead.decision = None, None, None
    fields = ["sealed_remarks", "transfer", "feedback_due", "decision"]
    _move(lead, "return", actor=actor, capacities=capacities, fields=fields, reason=reason,
          data={"transfer": transfer.pk if transfer else None})  # fmt: skip
    return lead


@transaction.atomic
def lead_disposal_record(*, actor: Actor, lead: Lead, disposal: str, on: date) -> Lead:
    """The receiver's disposal: 谈话函询, 初步核实, 暂存待查, 予以了结 or 立案审查调查."""
    capacities = lead_capacity_check(actor, lead, RECEIVER, "只有接收单位可以记录处置方式。")
    lead = _locked(lead)
    if disposal not in Disposal.values:
        raise ValidationError("请选择处置方式。")
    lead.disposal, lead.disposed_on = disposal, on
    fields = ["disposal", "disposed_on"]
    _move(lead, "dispose", actor=actor, capacities=capacities, fields=fields, on=on, data={"disposal": disposal})
    return lead


@transaction.atomic
def lead_report_back(*, actor: Actor, lead: Lead, on: date, result: str) -> Lead:
    """反馈: the receiver reports the handling result to the office (sealed); the lead is concluded."""
    capacities = lead_capacity_check(actor, lead, RECEIVER, "只有接收单位可以反馈办理结果。")
    lead = _locked(lead)
    if not result.strip():
        raise ValidationError("请填写办理结果。")
    lead.sealed_result, lead.reported_on = {"text": result.strip()}, on
    _move(lead, "report_back", actor=actor, capacities=capacities, fields=["sealed_result", "reported_on"], on=on)
    return lead


def is_overdue(lead: Lead, today: date | None = None) -> bool:
    """True when the receiver's report back is past its due date."""
    today = today or timezone.localdate()
    return lead.status in AWAITING_REPORT and lead.feedback_due is not None and lead.feedback_due < today


@transaction.atomic
def lead_escalate(*, actor: Actor, lead: Lead, kind: str = EscalationKind.REMINDER) -> LeadEscalation:
    """督办: the office director presses the receiver of an overdue lead (the action recorded and audited)."""
    require_actor(actor)
    lead_director_check(actor, lead.committee_id)
    lead = _locked(lead)
    if kind not in EscalationKind.values:
        raise ValidationError("请选择督办方式。")
    if not is_overdue(lead):
        raise ValidationError(f"{lead}尚未超过反馈时限，无需督办。")
    assert lead.feedback_due is not None
    escalation = LeadEscalation.objects.create(
        lead=lead,
        kind=kind,
        escalated_on=timezone.localdate(),
        due_then=lead.feedback_due,
        created_by=account_of(actor),
    )
    audit_record(
        action="findings.lead_escalate",
        actor=actor,
        target=lead,
        committee_id=lead.committee_id,
        summary=f"{lead}：{escalation.get_kind_display()}",
        data={"kind": kind, "due": lead.feedback_due.isoformat()},
    )
    return escalation
