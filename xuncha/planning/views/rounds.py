"""Rounds: list, create, detail (mix, assignments, teams, approval, filing), assignments and documents."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ChoiceField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.codetables import code_items
from xuncha.core.documents import DOCX
from xuncha.core.downloads import download
from xuncha.core.models import Committee
from xuncha.orgs.models import Organization
from xuncha.planning import selectors
from xuncha.planning.choices import ApprovalStatus
from xuncha.planning.documents import round_title, team_notice_docx, work_plan_docx
from xuncha.planning.forms import ApprovalForm, AssignmentForm, FileForm, RoundForm
from xuncha.planning.machines import APPROVAL_MACHINE
from xuncha.planning.models import AnnualPlan
from xuncha.planning.permissions import (
    acts_as,
    can_manage,
    manage_check,
    office_read_check,
    own_committee_ids,
    reads_as_office,
)
from xuncha.planning.services.assignments import ROUND_EDITABLE, assignment_create
from xuncha.planning.services.formation import OPEN_FOR_FORMATION
from xuncha.planning.services.plans import FRAMEWORKS, approval_transition, round_create, round_file
from xuncha.planning.views.access import OFFICE, READERS, TEAM, get_or_404
from xuncha.planning.views.form_text import committee_choices, error_text


@roles_required(*READERS, also=TEAM)
def round_list(request: AppRequest) -> HttpResponse:
    """Rounds the user may read: own committees', filed lower ones, and those the user's team serves in."""
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    rounds = selectors.round_list(user=request.user, year=year)
    context = {
        "rounds": rounds,
        "year": year,
        "years": sorted(set(selectors.round_list(user=request.user).values_list("year", flat=True)), reverse=True),
        "can_create": bool(own_committee_ids(request.user, frozenset(OFFICE))),
    }
    template = "planning/round_list.html#rows" if request.htmx else "planning/round_list.html"
    return render(request, template, context)


@roles_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def round_create_view(request: AppRequest) -> HttpResponse:
    """Open a round."""
    committees = Committee.objects.filter(id__in=own_committee_ids(request.user, frozenset(OFFICE)))
    form = RoundForm(request.POST or None)
    cast(ChoiceField, form.fields["committee"]).choices = committee_choices(committees)
    cast(ChoiceField, form.fields["framework"]).choices = list(FRAMEWORKS.items())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        committee = committees.get(pk=data["committee"])
        try:
            round_ = round_create(
                actor=request.user,
                committee=committee,
                year=data["year"],
                seq_no=data["seq_no"],
                name=data["name"],
                framework=data["framework"],
                focus=data["focus"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                annual_plan=AnnualPlan.objects.filter(committee=committee, year=data["year"]).first(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("planning:round_detail", round_.pk)
    return render(request, "planning/form.html", {"form": form, "title": "新建巡察轮次"})


@roles_required(*READERS, also=TEAM)
def round_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One round: its mix, assignments, teams, approval trail and filing."""
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    office_view = reads_as_office(request.user, round_)
    assignments = selectors.assignment_list(user=request.user, round_id=round_.pk)
    capacities = acts_as(request.user, round_.committee_id)
    actions = APPROVAL_MACHINE.available(round_.status, capacities)
    types = dict(code_items("inspection_types").values_list("code", "label"))
    context = {
        "round": round_,
        "mix": selectors.round_mix(round_),
        "assignments": [(a, selectors.kind_label(a.inspection_type, a.flags, types)) for a in assignments],
        "teams": selectors.team_list(user=request.user, round_=round_) if office_view else [],
        "steps": round_.approval_steps.select_related("actor") if office_view else [],
        "office_view": office_view,
        "can_manage": can_manage(request.user, round_.committee_id),
        # What the state allows: new units while the scheme is drafted or sent back; formation while
        # some unit still has no notice.
        "can_add": round_.status in ROUND_EDITABLE,
        "can_form": round_.assignments.filter(state__in=OPEN_FOR_FORMATION).exists(),
        "actions": actions,
        "can_file": can_manage(request.user, round_.committee_id)
        and round_.status == ApprovalStatus.APPROVED
        and round_.filed_at is None
        and round_.committee.parent_id is not None,
        "framework": FRAMEWORKS.get(round_.framework, round_.framework),
    }
    return render(request, "planning/round_detail.html", context)


@roles_required(*READERS)
@require_POST
def round_approve(request: AppRequest, pk: int) -> HttpResponse:
    """Submit, approve or return a round's work scheme."""
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            step = approval_transition(
                actor=request.user,
                subject=round_,
                action=form.cleaned_data["action"],
                opinion=form.cleaned_data["opinion"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已{APPROVAL_MACHINE.get(step.action).label}。")
    return redirect("planning:round_detail", round_.pk)


@roles_required(*OFFICE)
@require_POST
def round_file_view(request: AppRequest, pk: int) -> HttpResponse:
    """报备 the round with the upper committee's office."""
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    manage_check(request.user, round_.committee_id, "只有本级巡察办可以报备。")
    form = FileForm(request.POST)
    if form.is_valid():
        try:
            round_file(actor=request.user, round_=round_, filing_no=form.cleaned_data["filing_no"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已向{round_.committee.parent}报备。")
    else:
        messages.error(request, "请填写报备文号。")
    return redirect("planning:round_detail", round_.pk)


def _assignment_form(request: AppRequest, round_: object) -> AssignmentForm:
    form = AssignmentForm(request.POST or None)
    cast(ChoiceField, form.fields["inspection_type"]).choices = list(
        code_items("inspection_types").values_list("code", "label")
    )
    cast(ChoiceField, form.fields["flags"]).choices = list(code_items("inspection_flags").values_list("code", "label"))
    cast(ChoiceField, form.fields["team"]).choices = [("", "（暂不确定）")] + [
        (t.pk, t.name)
        for t in round_.teams.all()  # type: ignore[attr-defined]
    ]
    return form


@roles_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def assignment_create_view(request: AppRequest, pk: int) -> HttpResponse:
    """Put a unit into the round."""
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    manage_check(request.user, round_.committee_id, "只有本级巡察办可以调整轮次任务。")
    form = _assignment_form(request, round_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        codes = [data["org_code"].strip()] + [
            c.strip() for c in data["extra_org_codes"].replace("，", ",").split(",") if c.strip()
        ]
        found = {o.org_code: o for o in Organization.objects.filter(org_code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            form.add_error(None, f"找不到这些单位编码：{'、'.join(missing)}。")
        else:
            try:
                assignment = assignment_create(
                    actor=request.user,
                    round_=round_,
                    organization=found[codes[0]],
                    inspection_type=data["inspection_type"],
                    flags=data["flags"],
                    planned_entry=data["planned_entry"],
                    planned_end=data["planned_end"],
                    team=round_.teams.filter(pk=data["team"]).first() if data["team"] else None,
                    extra_orgs=[found[c] for c in codes[1:]],
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("planning:assignment_detail", assignment.pk)
    return render(request, "planning/form.html", {"form": form, "title": f"{round_.name}：列入巡察任务"})


@roles_required(*READERS)
def work_plan_download(request: AppRequest, pk: int) -> HttpResponse:
    """The round's 巡察工作方案 (.docx)."""
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    office_read_check(request.user, round_, "工作方案仅供巡察机构和有关部门查阅。")
    return download(work_plan_docx(round_), f"{round_.name}工作方案.docx", DOCX)


@roles_required(*READERS)
def team_notice_download(request: AppRequest, pk: int) -> HttpResponse:
    """关于成立巡察组的通知 (.docx)."""
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    office_read_check(request.user, round_, "该通知仅供巡察机构和有关部门查阅。")
    title = f"关于成立{round_title(round_)}{round_.committee.activity_name}组的通知"
    return download(team_notice_docx(round_), f"{title}.docx", DOCX)
