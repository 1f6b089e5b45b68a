"""The other on-site methods (domain.md §4.4) as records: briefings, symposia, attended meetings, field visits
(四不两直), checks, inquiries, assistance requests; and document requests (调阅清单) with their hand-over
(交接) and return (归还)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.transitions import transition_perform
from xuncha.fieldwork.choices import Method
from xuncha.fieldwork.interviews import lock_on_site, roster_ids
from xuncha.fieldwork.machines import DOCUMENT_MACHINE
from xuncha.fieldwork.models import DocumentItem, DocumentRequest, WorkActivity
from xuncha.fieldwork.permissions import onsite_write_check, team_capacities_on
from xuncha.orgs.models import Person
from xuncha.planning.models import Assignment


def _dated(day: date, assignment: Assignment) -> None:
    if day > timezone.localdate() or (assignment.entered_on and day < assignment.entered_on):
        raise ValidationError("日期须在进驻之后、不晚于今天。")


@transaction.atomic
def activity_record(
    *,
    actor: Actor,
    assignment: Assignment,
    method: str,
    held_on: date,
    counterpart: str,
    participants: list[Person],
    summary: str,
    unannounced: bool = False,
) -> WorkActivity:
    """Record one use of a statutory method (not interviews or document requests: those have their own)."""
    onsite_write_check(actor, assignment)
    assignment = lock_on_site(assignment, "登记了解工作")
    if method not in Method.values:
        raise ValidationError("请选择了解方式。")
    if not participants:
        raise ValidationError("请选择参加的巡察人员。")
    if {p.pk for p in participants} - roster_ids(assignment):
        raise ValidationError("参加人员须为本组巡察人员。")
    if not counterpart.strip() or not summary.strip():
        raise ValidationError("请填写对象和主要情况。")
    if unannounced and method != Method.FIELD_VISIT:
        raise ValidationError("“四不两直”只用于下沉了解。")
    _dated(held_on, assignment)
    activity = WorkActivity.objects.create(
        assignment=assignment,
        method=method,
        held_on=held_on,
        counterpart=counterpart.strip(),
        summary=summary.strip(),
        unannounced=unannounced,
        created_by=account_of(actor),
    )
    activity.participants.set(participants)
    audit_record(
        action="fieldwork.activity_record",
        actor=actor,
        target=activity,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：{activity.get_method_display()}（{activity.counterpart}）",
    )
    return activity


@transaction.atomic
def document_request_create(
    *, actor: Actor, assignment: Assignment, provider: str, items: list[tuple[str, int, bool]], requested_on: date
) -> DocumentRequest:
    """A 调阅清单 to the unit: the provider and the items (title, copies, original or not), numbered per assignment."""
    onsite_write_check(actor, assignment)
    assignment = lock_on_site(assignment, "提出调阅")
    items = [(title.strip(), copies, original) for title, copies, original in items if title.strip()]
    if not provider.strip() or not items:
        raise ValidationError("请填写提供部门和至少一项调阅材料。")
    if any(copies < 1 for _, copies, _ in items):
        raise ValidationError("份（册）数至少为1。")
    _dated(requested_on, assignment)
    number = (DocumentRequest.objects.filter(assignment=assignment).aggregate(n=Max("number"))["n"] or 0) + 1
    request = DocumentRequest.objects.create(
        assignment=assignment,
        number=number,
        provider=provider.strip(),
        requested_on=requested_on,
        created_by=account_of(actor),
    )
    DocumentItem.objects.bulk_create(
        DocumentItem(request=request, title=title, copies=copies, original=original)
        for title, copies, original in items
    )
    audit_record(
        action="fieldwork.document_request_create",
        actor=actor,
        target=request,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：调阅清单第{number}号（{len(items)}项）",
    )
    return request


def _locked(request: DocumentRequest) -> DocumentRequest:
    return DocumentRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def document_hand_over(
    *, actor: Actor, request: DocumentRequest, on: date, handed_by: str, received_by: Person
) -> DocumentRequest:
    """交接 in: the unit's person hands the items over, a team member signs for them."""
    onsite_write_check(actor, request.assignment)
    assignment = lock_on_site(request.assignment, "办理调阅交接")
    request = _locked(request)
    if not handed_by.strip():
        raise ValidationError("请填写被巡察单位的移交人。")
    if received_by.pk not in roster_ids(assignment):
        raise ValidationError("接收人须为本组巡察人员。")
    if on < request.requested_on:
        raise ValidationError("调入日期不能早于提出日期。")
    request.received_on, request.handed_by, request.received_by = on, handed_by.strip(), received_by
    transition_perform(
        DOCUMENT_MACHINE,
        request,
        "hand_over",
        actor=actor,
        capacities=team_capacities_on(actor, assignment),
        on=on,
        update_fields=["received_on", "handed_by", "received_by"],
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：调阅清单第{request.number}号调入",
    )
    return request


@transaction.atomic
def document_give_back(
    *, actor: Actor, request: DocumentRequest, on: date, returned_by: Person, taken_back_by: str
) -> DocumentRequest:
    """归还: a team member returns the items, the unit's person signs for them (also after the team left)."""
    onsite_write_check(actor, request.assignment)
    assignment = request.assignment
    request = _locked(request)
    if not taken_back_by.strip():
        raise ValidationError("请填写被巡察单位的接收人。")
    if returned_by.pk not in roster_ids(assignment):
        raise ValidationError("归还人须为本组巡察人员。")
    if request.received_on and on < request.received_on:
        raise ValidationError("归还日期不能早于调入日期。")
    request.returned_on, request.returned_by, request.taken_back_by = on, returned_by, taken_back_by.strip()
    transition_perform(
        DOCUMENT_MACHINE,
        request,
        "give_back",
        actor=actor,
        capacities=team_capacities_on(actor, assignment),
        on=on,
        update_fields=["returned_on", "returned_by", "taken_back_by"],
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：调阅清单第{request.number}号归还",
    )
    return request
