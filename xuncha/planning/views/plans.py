"""Coverage plans (全覆盖) and annual plans with candidates and approval."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ChoiceField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.codetables import code_items
from xuncha.core.models import Committee
from xuncha.orgs.models import Organization
from xuncha.planning import selectors
from xuncha.planning.choices import ApprovalStatus
from xuncha.planning.forms import AnnualPlanForm, ApprovalForm, CandidateForm, CoveragePlanForm
from xuncha.planning.machines import APPROVAL_MACHINE
from xuncha.planning.permissions import acts_as, can_manage, manage_check, own_committee_ids
from xuncha.planning.services.plans import (
    annual_plan_create,
    approval_transition,
    coverage_plan_create,
    plan_candidate_add,
    plan_candidate_remove,
)
from xuncha.planning.views.access import OFFICE, READERS, get_or_404
from xuncha.planning.views.form_text import committee_choices, error_text

STATUS_LABELS = {"inspected": "本届已巡察", "planned": "已列入轮次", "uncovered": "尚未覆盖"}


def _office_committees(request: AppRequest) -> list[Committee]:
    return list(Committee.objects.filter(id__in=own_committee_ids(request.user, frozenset(OFFICE))))


@roles_required(*READERS)
def coverage_list(request: AppRequest) -> HttpResponse:
    """The committees' term coverage plans."""
    plans = selectors.coverage_plans(user=request.user)
    return render(
        request, "planning/coverage_list.html", {"plans": plans, "can_create": bool(_office_committees(request))}
    )


@roles_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def coverage_create(request: AppRequest) -> HttpResponse:
    """Open a term's coverage plan."""
    form = CoveragePlanForm(request.POST or None)
    cast(ChoiceField, form.fields["committee"]).choices = committee_choices(_office_committees(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = coverage_plan_create(
                actor=request.user,
                committee=Committee.objects.get(pk=data["committee"]),
                term=data["term"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("planning:coverage_detail", plan.pk)
    return render(request, "planning/form.html", {"form": form, "title": "新建巡察工作规划"})


@roles_required(*READERS)
def coverage_detail(request: AppRequest, pk: int) -> HttpResponse:
    """全覆盖: share covered in the term, units not yet covered, units long un-inspected."""
    plan = get_or_404(lambda: selectors.coverage_plans(user=request.user).get(pk=pk))
    rows, stats = selectors.coverage(plan)
    status = request.GET.get("status", "")
    if status == "warn":
        rows = [r for r in rows if r.warn]
    elif status:
        rows = [r for r in rows if r.status == status]
    context = {"plan": plan, "rows": rows, "stats": stats, "status": status, "labels": STATUS_LABELS}
    template = "planning/coverage_detail.html#rows" if request.htmx else "planning/coverage_detail.html"
    return render(request, template, context)


@roles_required(*READERS)
def annual_list(request: AppRequest) -> HttpResponse:
    """Annual plans of the user's committees."""
    plans = selectors.annual_plans(user=request.user)
    return render(
        request, "planning/annual_list.html", {"plans": plans, "can_create": bool(_office_committees(request))}
    )


@roles_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def annual_create(request: AppRequest) -> HttpResponse:
    """Draft an annual plan."""
    form = AnnualPlanForm(request.POST or None)
    cast(ChoiceField, form.fields["committee"]).choices = committee_choices(_office_committees(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = annual_plan_create(
                actor=request.user,
                committee=Committee.objects.get(pk=data["committee"]),
                year=data["year"],
                title=data["title"],
                summary=data["summary"],
                planned_rounds=data["planned_rounds"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("planning:annual_detail", plan.pk)
    return render(request, "planning/form.html", {"form": form, "title": "起草年度巡察工作计划"})


def _candidate_form(data: Any = None) -> CandidateForm:
    form = CandidateForm(data)
    cast(ChoiceField, form.fields["inspection_type"]).choices = list(
        code_items("inspection_types").values_list("code", "label")
    )
    return form


@roles_required(*READERS)
@require_http_methods(["GET", "POST"])
def annual_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One annual plan: candidates with reasons, approval trail, and the actions open to the user."""
    plan = get_or_404(lambda: selectors.annual_plans(user=request.user).get(pk=pk))
    editable = can_manage(request.user, plan.committee_id) and plan.status in {
        ApprovalStatus.DRAFT,
        ApprovalStatus.RETURNED,
    }
    form = _candidate_form(request.POST or None)
    if request.method == "POST":
        manage_check(request.user, plan.committee_id, "您无权修改该计划。")
        if form.is_valid():
            data = form.cleaned_data
            org = Organization.objects.filter(org_code=data["org_code"].strip()).first()
            if org is None:
                form.add_error("org_code", f"找不到编码为“{data['org_code']}”的单位。")
            else:
                try:
                    plan_candidate_add(
                        actor=request.user,
                        plan=plan,
                        organization=org,
                        inspection_type=data["inspection_type"],
                        reasons=data["reasons"],
                        note=data["note"],
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    form = _candidate_form()
    capacities = acts_as(request.user, plan.committee_id)
    actions = APPROVAL_MACHINE.available(plan.status, capacities)
    context = {
        "plan": plan,
        "candidates": plan.candidates.select_related("organization"),
        "steps": plan.approval_steps.select_related("actor"),
        "form": form,
        "editable": editable,
        "actions": actions,
        "types": dict(code_items("inspection_types").values_list("code", "label")),
    }
    template = "planning/annual_detail.html#candidates" if request.htmx else "planning/annual_detail.html"
    return render(request, template, context)


@roles_required(*OFFICE)
@require_POST
def candidate_remove(request: AppRequest, pk: int, candidate_pk: int) -> HttpResponse:
    plan = get_or_404(lambda: selectors.annual_plans(user=request.user).get(pk=pk))
    candidate = get_or_404(lambda: plan.candidates.get(pk=candidate_pk))
    manage_check(request.user, plan.committee_id, "您无权修改该计划。")
    try:
        plan_candidate_remove(actor=request.user, candidate=candidate)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("planning:annual_detail", plan.pk)


@roles_required(*READERS)
@require_POST
def annual_approve(request: AppRequest, pk: int) -> HttpResponse:
    """Submit, approve or return an annual plan."""
    plan = get_or_404(lambda: selectors.annual_plans(user=request.user).get(pk=pk))
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            step = approval_transition(
                actor=request.user,
                subject=plan,
                action=form.cleaned_data["action"],
                opinion=form.cleaned_data["opinion"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已{APPROVAL_MACHINE.get(step.action).label}。")
    return redirect("planning:annual_detail", plan.pk)
