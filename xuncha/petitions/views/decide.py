"""The team's decisions on a petition: 签收, disposition, referral follow-up, telling a named reporter."""

from collections.abc import Callable, Iterable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ChoiceField, Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.codetables import code_items
from xuncha.core.roles import OFFICE_ROLES
from xuncha.petitions.choices import Channel, Disposition, PetitionStatus
from xuncha.petitions.decisions.services import (
    incoming_report,
    petition_acknowledge,
    petition_dispose,
    petition_result_notify,
    petition_sign,
    referral_update,
    status_set,
)
from xuncha.petitions.forms import (
    ContactForm,
    DisposeForm,
    IncomingReportForm,
    NoteForm,
    ReferralForm,
    ReplyForm,
    StatusForm,
)
from xuncha.petitions.intake.services import note_add, team_reply
from xuncha.petitions.models import Petition
from xuncha.petitions.permissions import petitions_visible, serves_on_petition_team
from xuncha.petitions.selectors import petition_get


def merge_choices(petition: Petition, suggested: Iterable[int] = ()) -> list[tuple[Any, str]]:
    """The petitions this one may be merged into: received earlier in the same assignment, the suggested
    duplicates first, by number and date (a picker, not a number to type)."""
    earlier = Petition.objects.filter(
        assignment_id=petition.assignment_id, received_at__lt=petition.received_at
    ).order_by("-received_at")[:MERGE_CHOICES]
    marked = set(suggested)
    rows = sorted(earlier, key=lambda p: p.pk not in marked)
    label = dict(Channel.choices)
    return [("", "—")] + [
        (
            p.pk,
            f"{'【疑似重复】' if p.pk in marked else ''}{p.number}（{p.received_at:%Y-%m-%d}，{label.get(p.channel, '')}）",
        )
        for p in rows
    ]


def dispose_form(
    data: Any = None, initial: dict[str, Any] | None = None, *, petition: Petition, suggested: Iterable[int] = ()
) -> DisposeForm:
    form = DisposeForm(data, initial=initial)
    cast(ChoiceField, form.fields["merged_into"]).choices = merge_choices(petition, suggested)
    cast(ChoiceField, form.fields["disposition"]).choices = Disposition.choices
    cast(ChoiceField, form.fields["category"]).choices = [
        ("", "—"),
        *list(code_items("six_disciplines").values_list("code", "label")),
    ]
    cast(ChoiceField, form.fields["petition_class"]).choices = [
        ("", "—"),
        *list(code_items("petition_classes").values_list("code", "label")),
    ]
    return form


MERGE_CHOICES = 300


def _get(request: AppRequest, pk: int) -> Petition:
    petition = petition_get(user=request.user, pk=pk)
    if petition is None:
        raise Http404
    return petition


def _decide(request: AppRequest, petition: Petition, decision: Callable[[], Any], done: str) -> HttpResponse:
    """Run one decision: a refusal in words goes back to the petition's page, one of rights is a 403."""
    try:
        decision()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("petitions:petition_detail", petition.pk)


def _decide_form(
    request: AppRequest,
    petition: Petition,
    form: Form,
    invalid: str,
    decision: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """A decision taken from a form: an incomplete form goes back to the page with `invalid`."""
    if not form.is_valid():
        messages.error(request, invalid)
        return redirect("petitions:petition_detail", petition.pk)
    return _decide(request, petition, lambda: decision(form.cleaned_data), done)


@roles_required(*OFFICE_ROLES, also=serves_on_petition_team)
@require_POST
def sign(request: AppRequest, pk: int) -> HttpResponse:
    petition = _get(request, pk)
    return _decide(request, petition, lambda: petition_sign(actor=request.user, petition=petition), "已签收。")


@roles_required(*OFFICE_ROLES, also=serves_on_petition_team)
@require_POST
def dispose(request: AppRequest, pk: int) -> HttpResponse:
    petition = _get(request, pk)
    fields = ("disposition", "category", "petition_class", "receiver", "letter_no", "sent_on")

    def decision(data: dict[str, Any]) -> Any:
        target = petitions_visible(request.user).filter(pk=data["merged_into"]).first() if data["merged_into"] else None
        return petition_dispose(
            actor=request.user, petition=petition, merged_into=target, **{k: data[k] for k in fields}
        )

    form = dispose_form(request.POST, petition=petition)
    return _decide_form(request, petition, form, "请检查处置信息。", decision, "已处置。")


@roles_required(*OFFICE_ROLES, also=serves_on_petition_team)
@require_POST
def referral(request: AppRequest, pk: int) -> HttpResponse:
    petition = _get(request, pk)
    record = getattr(petition, "referral", None)
    if record is None:
        raise Http404
    return _decide_form(
        request,
        petition,
        ReferralForm(request.POST),
        "请检查转办跟踪信息。",
        lambda data: referral_update(actor=request.user, referral=record, **data),
        "已记录转办情况。",
    )


@roles_required(*OFFICE_ROLES, also=serves_on_petition_team)
@require_POST
def contact(request: AppRequest, pk: int, kind: str) -> HttpResponse:
    """Record that a named reporter was told: 受理告知 (`acknowledge`) or 结果反馈 (`result`)."""
    services = {"acknowledge": petition_acknowledge, "result": petition_result_notify}
    if kind not in services:
        raise Http404
    petition = _get(request, pk)
    return _decide_form(
        request,
        petition,
        ContactForm(request.POST),
        "请选择告知方式并填写时间。",
        lambda data: services[kind](actor=request.user, petition=petition, via=data["via"], at=data["at"]),
        "已记录受理告知。" if kind == "acknowledge" else "已记录结果反馈。",
    )


@roles_required(*OFFICE_ROLES, also=serves_on_petition_team)
@require_POST
def incoming(request: AppRequest, pk: int) -> HttpResponse:
    """报结 to the office that referred the petition to the team."""
    petition = _get(request, pk)
    record = getattr(petition, "incoming", None)
    if record is None:
        raise Http404
    return _decide_form(
        request,
        petition,
        IncomingReportForm(request.POST),
        "请填写报结日期和报结情况。",
        lambda data: incoming_report(actor=request.user, incoming=record, **data),
        f"已记录向{record.source_office}报结。",
    )


# The dialogue and the status: (form, the service called with the cleaned data, what to say when done).
ACTS: dict[str, tuple[type[Form], Callable[[AppRequest, Petition, dict[str, Any]], Any], str]] = {
    "reply": (
        ReplyForm,
        lambda request, p, data: team_reply(actor=request.user, petition=p, text=data["text"]),
        "已答复，反映人可凭查询码查看。",
    ),
    "note": (
        NoteForm,
        lambda request, p, data: note_add(actor=request.user, petition=p, text=data["text"]),
        "已记录。",
    ),
    "status": (
        StatusForm,
        lambda request, p, data: status_set(
            actor=request.user, petition=p, status=data["status"], reason=data["reason"]
        ),
        "已更新处理状态。",
    ),
}


@roles_required(*OFFICE_ROLES, also=serves_on_petition_team)
@require_POST
def petition_act(request: AppRequest, pk: int, action: str) -> HttpResponse:
    """Reply to the reporter, add an internal note, or move the status (the team only)."""
    if action not in ACTS:
        raise Http404
    petition = _get(request, pk)
    form_class, act, done = ACTS[action]
    form = form_class(request.POST)
    if action == "status":
        cast(ChoiceField, form.fields["status"]).choices = PetitionStatus.choices
    return _decide_form(request, petition, form, "请填写内容。", lambda data: act(request, petition, data), done)
