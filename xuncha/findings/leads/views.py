"""Pages of problem leads for the team and the readers of one lead: list, detail, register, the moves.

Views never decrypt, audit or re-check access: the selectors return what a page may show (lead_open
audits the read), the services authorise and refuse in Chinese.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.codetables import code_label
from xuncha.core.paging import CappedPaginator
from xuncha.core.roles import Role
from xuncha.findings.leads.choices import DIRECTOR, RECEIVER, LeadStatus
from xuncha.findings.leads.forms import (
    DisposalForm,
    EscalateForm,
    LeadRegisterForm,
    ProposeForm,
    ReasonForm,
    ReportBackForm,
    ReviewForm,
)
from xuncha.findings.leads.machines import LEAD_MACHINE
from xuncha.findings.leads.selectors import lead_get, lead_open
from xuncha.findings.leads.selectors import lead_list as lead_search
from xuncha.findings.leads.services import (
    REGISTERABLE,
    is_overdue,
    lead_carry_forward,
    lead_disposal_record,
    lead_escalate,
    lead_propose,
    lead_register,
    lead_report_back,
    lead_resume,
    lead_return,
    lead_review,
    lead_send_back,
)
from xuncha.findings.models import Lead
from xuncha.findings.permissions import lead_capacities, lead_team_posts, serves_on_leads
from xuncha.planning.models import Assignment

READERS = (Role.OFFICE_DIRECTOR, Role.DISCIPLINE_ORG, Role.ORG_DEPT)
PAGE_SIZE = 50


def _get(request: AppRequest, pk: int) -> Lead:
    lead = lead_get(user=request.user, pk=pk)
    if lead is None:
        raise Http404
    return lead


def _team_assignments(request: AppRequest) -> list[tuple[int, str]]:
    ids = list(lead_team_posts(request.user))
    found = Assignment.objects.filter(pk__in=ids, state__in=REGISTERABLE).select_related("organization")
    return [(a.pk, a.organization.name) for a in found.order_by("pk")]


@roles_required(*READERS, also=serves_on_leads)
@require_http_methods(["GET", "POST"])
def lead_list(request: AppRequest) -> HttpResponse:
    """The leads this user may read (numbers, status and clocks; content only on the detail page)."""
    data = request.POST if request.method == "POST" else request.GET
    filters = {k: data.get(k, "").strip() for k in ("status", "assignment", "q")}
    found = lead_search(
        user=request.user, status=filters["status"], assignment=filters["assignment"], query=filters["q"]
    )
    page = CappedPaginator(found, PAGE_SIZE).get_page(data.get("page"))
    today = timezone.localdate()
    context = {
        "rows": [(lead, is_overdue(lead, today)) for lead in page],
        "page": page,
        "f": filters,
        "statuses": [*LeadStatus.choices, ("overdue", "超过反馈时限")],
        "can_register": bool(_team_assignments(request)),
    }
    template = "findings/leads/lead_list.html#results" if request.htmx else "findings/leads/lead_list.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@roles_required(also=serves_on_leads)
@require_http_methods(["GET", "POST"])
def lead_register_view(request: AppRequest) -> HttpResponse:
    """Register a lead found on site (a petition used as a lead is registered by its disposal)."""
    assignments = _team_assignments(request)
    form = LeadRegisterForm(request.POST or None, assignments=assignments)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        assignment = Assignment.objects.filter(pk=d["assignment"]).first()
        if assignment is None:
            raise Http404
        try:
            lead = lead_register(
                actor=request.user,
                assignment=assignment,
                source=d["source"],
                summary=d["summary"],
                facts=d["facts"],
                subjects=[{"name": d["subject_name"], "post": d["subject_post"]}],
                category=d["category"],
                confidentiality=d["confidentiality"],
                about_own_discipline_leaders=d["about_own_discipline_leaders"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已登记{lead}。")
            return redirect("findings:lead_detail", lead.pk)
    return render(request, "findings/leads/lead_register.html", {"form": form, "assignments": assignments})


# Each move offered on the detail page: (form, the service called with the cleaned data, what to say).
ACTS: dict[str, tuple[type[Form] | None, Callable[[Any, Lead, dict[str, Any]], Any], str]] = {
    "review": (ReviewForm, lambda u, lead, d: lead_review(actor=u, lead=lead, **d), "已记录组务会研究。"),
    "propose": (ProposeForm, lambda u, lead, d: lead_propose(actor=u, lead=lead, **d), "已提出处置建议。"),
    "send_back": (ReasonForm, lambda u, lead, d: lead_send_back(actor=u, lead=lead, **d), "已退回巡察组。"),
    "carry_forward": (ReasonForm, lambda u, lead, d: lead_carry_forward(actor=u, lead=lead, **d), "已结转。"),
    "resume": (None, lambda u, lead, d: lead_resume(actor=u, lead=lead), "已恢复研究。"),
    "return": (ReasonForm, lambda u, lead, d: lead_return(actor=u, lead=lead, **d), "已退回移交单位。"),
    "dispose": (DisposalForm, lambda u, lead, d: lead_disposal_record(actor=u, lead=lead, **d), "已记录处置方式。"),
    "report_back": (ReportBackForm, lambda u, lead, d: lead_report_back(actor=u, lead=lead, **d), "已反馈办理结果。"),
    "escalate": (EscalateForm, lambda u, lead, d: lead_escalate(actor=u, lead=lead, **d), "已记录督办。"),
}


def _forms(lead: Lead, capacities: set[str], overdue: bool) -> list[tuple[str, str, Form | None]]:
    """(action, label, form) of the moves this reader may make on the lead now."""
    today: dict[str, date] = {"on": timezone.localdate()}
    offered = [
        (t.code, t.label, form_class(initial=today, prefix=t.code) if form_class else None)
        for t in LEAD_MACHINE.available(lead.status, capacities)
        if t.code in ACTS
        for form_class in [ACTS[t.code][0]]
    ]
    if overdue and DIRECTOR in capacities:
        offered.append(("escalate", "督办", EscalateForm(prefix="escalate")))
    return offered


@roles_required(*READERS, also=serves_on_leads)
@require_http_methods(["GET"])
def lead_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One lead: its record, its content (opened and audited by lead_open), and the moves open to the reader."""
    lead = _get(request, pk)
    capacities = lead_capacities(request.user, lead)
    overdue = is_overdue(lead)
    context = {
        "lead": lead,
        "content": lead_open(actor=request.user, lead=lead),
        "category": code_label("six_disciplines", lead.category) if lead.category else "—",
        "overdue": overdue,
        "acts": _forms(lead, capacities, overdue),
        "receiver": RECEIVER in capacities,
        "escalations": list(lead.escalations.all()),
    }
    response = render(request, "findings/leads/lead_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@roles_required(*READERS, also=serves_on_leads)
@require_POST
def lead_act(request: AppRequest, pk: int, action: str) -> HttpResponse:
    """One move from the detail page; a refusal in words goes back to the page, one of rights is a 403."""
    if action not in ACTS:
        raise Http404
    lead = _get(request, pk)
    form_class, perform, done = ACTS[action]
    form = form_class(request.POST, prefix=action) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, "请检查填写的内容。")
        return redirect("findings:lead_detail", lead.pk)
    try:
        perform(request.user, lead, form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("findings:lead_detail", lead.pk)
