"""Pages of the office director (batch decision, transfer), the office (figures, counts only) and the receiving
body (its inbox: sign for, then dispose and report back on each lead's page)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.downloads import download
from xuncha.core.roles import OFFICE_ROLES, Role
from xuncha.findings.leads.choices import LeadStatus
from xuncha.findings.leads.forms import DecideForm, SignForm, TransferForm
from xuncha.findings.leads.letter import lead_letter_make
from xuncha.findings.leads.selectors import lead_figures as figures_of
from xuncha.findings.leads.selectors import lead_inbox as inbox_of
from xuncha.findings.leads.selectors import lead_list as leads_of
from xuncha.findings.leads.services import lead_transfer_sign, leads_decide, leads_transfer, receiver_of
from xuncha.findings.models import Lead, LeadTransfer
from xuncha.findings.permissions import lead_director_committee_ids

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECEIVERS = (Role.DISCIPLINE_ORG, Role.ORG_DEPT)


def _label(lead: Lead) -> str:
    fast = "【直查快办】" if lead.fast_track else ""
    return f"{fast}{lead.number}　{lead.assignment.organization.name}　{lead.get_destination_display()}"


def _chosen(request: AppRequest, ids: list[int], status: str) -> list[Lead]:
    return list(leads_of(user=request.user, status=status).filter(pk__in=ids))


@roles_required(Role.OFFICE_DIRECTOR)
@require_http_methods(["GET", "POST"])
def lead_decide(request: AppRequest) -> HttpResponse:
    """Record the leading group's or the 书记专题会's decision on a batch of proposed leads (or 直查快办)."""
    waiting = list(leads_of(user=request.user, status=LeadStatus.PROPOSED).select_related("assignment__organization"))
    form = DecideForm(request.POST or None, leads=[(lead.pk, _label(lead)) for lead in waiting],
                      initial={"decided_on": timezone.localdate()})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            decision = leads_decide(
                actor=request.user,
                leads=_chosen(request, d["leads"], LeadStatus.PROPOSED),
                body=d["body"],
                decided_on=d["decided_on"],
                minutes_no=d["minutes_no"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已记录{decision.get_body_display()}决定（{decision.leads.count()} 条）。")
            return redirect("findings:lead_transfer")
    return render(request, "findings/leads/lead_decide.html", {"form": form, "waiting": waiting})


@roles_required(Role.OFFICE_DIRECTOR)
@require_http_methods(["GET", "POST"])
def lead_transfer(request: AppRequest) -> HttpResponse:
    """移交: decided leads of one destination under one letter; the transfers made, with their letters."""
    decided = list(leads_of(user=request.user, status=LeadStatus.DECIDED).select_related("assignment__organization"))
    choices = [(lead.pk, f"{_label(lead)}　→ {receiver_of(lead)[2]}") for lead in decided]
    form = TransferForm(request.POST or None, leads=choices, initial={"transferred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            transfer = leads_transfer(
                actor=request.user,
                leads=_chosen(request, d["leads"], LeadStatus.DECIDED),
                letter_no=d["letter_no"],
                transferred_on=d["transferred_on"],
                materials=d["materials"].splitlines(),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已移交{transfer.receiver_name}（{transfer.letter_no}）。")
            return redirect("findings:lead_transfer")
    made = LeadTransfer.objects.filter(committee_id__in=lead_director_committee_ids(request.user)).prefetch_related(
        "leads"
    )[:50]
    context = {
        "form": form,
        "decided": decided,
        "transfers": made,
        "today": timezone.localdate(),
    }
    return render(request, "findings/leads/lead_transfer.html", context)


@roles_required(*OFFICE_ROLES)
@require_GET
def lead_figures(request: AppRequest) -> HttpResponse:
    """移交、签收、办结 and 办结率 per committee of the office's scope: counts only, never what a lead says."""
    return render(request, "findings/leads/lead_figures.html", {"figures": figures_of(user=request.user)})


@roles_required(*RECEIVERS)
@require_GET
def lead_inbox(request: AppRequest) -> HttpResponse:
    """The receiving body's inbox: what was transferred to it, and only that."""
    context = {
        "transfers": list(inbox_of(user=request.user)),
        "today": timezone.localdate(),
    }
    response = render(request, "findings/leads/lead_inbox.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _transfer(request: AppRequest, pk: int) -> tuple[LeadTransfer, bool]:
    """A transfer the user receives (True), or one their office made (False: the director signs for a unit or
    a department outside the platform and downloads every letter)."""
    mine = inbox_of(user=request.user).filter(pk=pk).first()
    if mine is not None:
        return mine, True
    made = LeadTransfer.objects.filter(pk=pk, committee_id__in=lead_director_committee_ids(request.user)).first()
    if made is None:
        raise Http404
    return made, False


@roles_required(*RECEIVERS, Role.OFFICE_DIRECTOR)
@require_POST
def transfer_sign(request: AppRequest, pk: int) -> HttpResponse:
    """签收 a transfer (the inbox; the director for a unit or department outside the platform)."""
    transfer, received = _transfer(request, pk)
    back = "findings:lead_inbox" if received else "findings:lead_transfer"
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写签收日期。")
        return redirect(back)
    try:
        lead_transfer_sign(actor=request.user, transfer=transfer, on=form.cleaned_data["on"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已签收{transfer.letter_no}。")
    return redirect(back)


@roles_required(*RECEIVERS, Role.OFFICE_DIRECTOR)
@require_GET
def transfer_letter(request: AppRequest, pk: int) -> HttpResponse:
    """The 问题线索移交函 with its 移交清单 (.docx); generation audited by the service."""
    transfer, _ = _transfer(request, pk)
    body = lead_letter_make(actor=request.user, transfer=transfer)
    return download(body, f"问题线索移交函（{transfer.letter_no}）.docx", DOCX)
