"""The team's working papers, the office's review queue, and the unit's immediate-fix notices."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.downloads import download
from xuncha.core.pickers import LIMIT, picker_query, picker_response
from xuncha.findings.models import ImmediateFix, Problem, ProblemStatus, ProblemTrack
from xuncha.findings.problems.documents import immediate_fix_notice_docx
from xuncha.findings.problems.forms import FixIssueForm, FixTextForm, ProblemForm, ResponsibilityForm
from xuncha.findings.problems.machines import FIX_MACHINE, PROBLEM_MACHINE
from xuncha.findings.problems.permissions import READERS, UNIT_REPORTERS, capacities, fixes_for_unit, writes_on
from xuncha.findings.problems.selectors import FILTERS, problem_get, problem_list, problem_trail
from xuncha.findings.problems.services import (
    EDITABLE,
    fix_counts,
    immediate_fix_issue,
    immediate_fix_transition,
    problem_create,
    problem_transition,
    problem_update,
    responsibility_add,
)
from xuncha.orgs.models import Person
from xuncha.planning.models import Assignment
from xuncha.planning.permissions import assignments_visible, serves_on_team, team_assignment_ids

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIELDS = ("title", "category", "phenomenon", "qualification", "responsibility_text", "discipline", "severity",
          "track", "is_common", "evidence")  # fmt: skip


def _problem(request: AppRequest, pk: int) -> Problem:
    problem = problem_get(user=request.user, pk=pk)
    if problem is None:
        raise Http404
    return problem


@roles_required(*READERS, also=serves_on_team)
def problem_list_view(request: AppRequest) -> HttpResponse:
    """Working papers in sight: the team's own, the committee's for its office and leading group (GET filters)."""
    filters = {k: request.GET.get(k, "").strip() for k in FILTERS}
    found = problem_list(user=request.user, filters=filters)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    own = Assignment.objects.filter(pk__in=team_assignment_ids(request.user)).select_related("organization")
    context = {
        "page": page,
        "f": filters,
        "statuses": ProblemStatus.choices,
        "tracks": ProblemTrack.choices,
        "counts": fix_counts(found),
        "own": own,
    }
    return render(request, "findings/problem_list.html", context)


@roles_required(*READERS, also=serves_on_team)
@require_http_methods(["GET", "POST"])
def problem_create_view(request: AppRequest, assignment_pk: int) -> HttpResponse:
    """A new working paper on one of the team's assignments."""
    assignment = assignments_visible(request.user).select_related("round__committee").filter(pk=assignment_pk).first()
    if assignment is None or not writes_on(request.user, assignment):
        raise Http404
    form = ProblemForm(request.POST or None, assignment=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_create(actor=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新增问题底稿 {problem.number}。")
            return redirect("findings:problem_detail", problem.pk)
    return render(request, "findings/problem_form.html", {"form": form, "assignment": assignment, "problem": None})


@roles_required(*READERS, also=serves_on_team)
@require_http_methods(["GET", "POST"])
def problem_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One working paper: the three parts, the review trail and the actions open to the user."""
    problem = _problem(request, pk)
    team = writes_on(request.user, problem.assignment)
    editable = team and problem.status in EDITABLE
    form = ProblemForm(request.POST or None, assignment=problem.assignment,
                       initial={k: getattr(problem, k) for k in FIELDS})  # fmt: skip
    if request.method == "POST" and editable and form.is_valid():
        try:
            problem_update(actor=request.user, problem=problem, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("findings:problem_detail", problem.pk)
    caps = capacities(request.user, problem.assignment)
    fix = ImmediateFix.objects.filter(problem=problem).first()
    context: dict[str, Any] = {
        "p": problem,
        "form": form if editable else None,
        "transitions": PROBLEM_MACHINE.available(problem.status, caps),
        "trail": problem_trail(problem),
        "fix": fix,
        "fix_transitions": FIX_MACHINE.available(fix.status, caps) if fix else [],
        "can_issue": fix is None and problem.track == ProblemTrack.IMMEDIATE and "team_leader" in caps,
        "issue_form": FixIssueForm(),
        "responsibilities": problem.responsibilities.select_related("person", "organization"),
        "responsibility_form": ResponsibilityForm(problem=problem) if editable else None,
        "text_form": FixTextForm(),
    }
    return render(request, "findings/problem_detail.html", context)


@roles_required(*READERS, also=serves_on_team)
@require_POST
def problem_act(request: AppRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    try:
        problem_transition(actor=request.user, problem=problem, code=request.POST.get("code", ""),
                           reason=request.POST.get("reason", ""))  # fmt: skip
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已办理。")
    return redirect("findings:problem_detail", problem.pk)


@roles_required(*READERS, also=serves_on_team)
@require_POST
def fix_issue(request: AppRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    form = FixIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写整改要求和完成时限。")
        return redirect("findings:problem_detail", problem.pk)
    try:
        immediate_fix_issue(actor=request.user, problem=problem, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已下发立行立改通知书，待被巡察党组织主要负责人签收。")
    return redirect("findings:problem_detail", problem.pk)


def _fix(request: AppRequest, pk: int) -> ImmediateFix:
    """A notice the user may see: the unit it is addressed to, or whoever sees its problem."""
    fix = fixes_for_unit(request.user).filter(pk=pk).select_related("problem__assignment__organization").first()
    if fix is None:
        fix = ImmediateFix.objects.filter(pk=pk, problem__in=problem_list(user=request.user, filters={})).first()
    if fix is None:
        raise Http404
    return fix


@roles_required(*READERS, *UNIT_REPORTERS, also=serves_on_team)
@require_POST
def fix_act(request: AppRequest, pk: int) -> HttpResponse:
    fix = _fix(request, pk)
    code = request.POST.get("code", "")
    try:
        immediate_fix_transition(actor=request.user, fix=fix, code=code, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已办理。")
    if fixes_for_unit(request.user).filter(pk=fix.pk).exists():
        return redirect("findings:fix_list")
    return redirect("findings:problem_detail", fix.problem_id)


@roles_required(*UNIT_REPORTERS)
def fix_list(request: AppRequest) -> HttpResponse:
    """The unit's immediate-fix notices: sign for them, report on them (the notice only, no working paper)."""
    fixes = list(
        fixes_for_unit(request.user).select_related("problem__assignment__organization").order_by("-issued_on")
    )
    rows = [(f, FIX_MACHINE.available(f.status, capacities(request.user, f.problem.assignment))) for f in fixes]
    return render(request, "findings/fix_list.html", {"rows": rows, "text_form": FixTextForm()})


@roles_required(*READERS, *UNIT_REPORTERS, also=serves_on_team)
def fix_notice(request: AppRequest, pk: int) -> HttpResponse:
    """立行立改通知书 (.docx)."""
    fix = _fix(request, pk)
    return download(immediate_fix_notice_docx(fix), f"立行立改通知书（{fix.notice_no}）.docx", DOCX)


@roles_required(*READERS, also=serves_on_team)
@require_POST
def responsibility_add_view(request: AppRequest, pk: int) -> HttpResponse:
    """Name a person of the roster with the kind of responsibility (the team, while the paper is editable)."""
    problem = _problem(request, pk)
    form = ResponsibilityForm(request.POST)
    person = None
    if form.is_valid():
        person = roster_of(problem).filter(person_code=form.cleaned_data["person_code"].strip()).first()
    if person is None:
        messages.error(request, "请从名册中选择责任人。")
        return redirect("findings:problem_detail", problem.pk)
    try:
        responsibility_add(actor=request.user, problem=problem, person=person, kind=form.cleaned_data["kind"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已添加责任主体。")
    return redirect("findings:problem_detail", problem.pk)


def roster_of(problem: Problem) -> QuerySet[Person]:
    """The people who hold or held a post in the inspected unit or below it: whom a problem may name."""
    org = problem.assignment.organization
    return Person.objects.filter(positions__organization__path__startswith=org.path).distinct()


@roles_required(*READERS, also=serves_on_team)
def roster_pick(request: AppRequest, pk: int) -> HttpResponse:
    """The responsibility picker's suggestions: the inspected unit's roster, by name or number."""
    problem = _problem(request, pk)
    typed = picker_query(request)
    found = roster_of(problem)
    if typed:
        found = found.filter(Q(name__icontains=typed) | Q(person_code__istartswith=typed))
    return picker_response((p.person_code, f"{p.name}（{p.person_code}）") for p in found.order_by("name")[:LIMIT])
