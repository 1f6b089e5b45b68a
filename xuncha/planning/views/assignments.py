"""Assignments: list with filters, detail with calendar, transitions, authorisation and recusal."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import ChoiceField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.codetables import code_items
from xuncha.planning import selectors
from xuncha.planning.choices import AssignmentState, DeclarationResult
from xuncha.planning.forms import AuthorizeForm, DecisionForm, DeclarationForm, TransitionForm
from xuncha.planning.machines import ASSIGNMENT_MACHINE
from xuncha.planning.models import Assignment
from xuncha.planning.permissions import (
    DECIDERS,
    UNIT_ROLES,
    acts_as,
    can_manage,
    decide_check,
    is_unit_viewer,
    manage_check,
    reads_as_office,
)
from xuncha.planning.recusal import recusal_conflicts
from xuncha.planning.services.assignments import AUTHORIZABLE, assignment_authorize, assignment_transition
from xuncha.planning.services.teams import FINISHED, declaration_create, declaration_decide
from xuncha.planning.views.access import OFFICE, READERS, TEAM, get_or_404
from xuncha.planning.views.form_text import error_text


def _get(request: AppRequest, pk: int) -> Assignment:
    return get_or_404(lambda: selectors.assignment_get(user=request.user, pk=pk))


@roles_required(*READERS, *UNIT_ROLES, also=TEAM)
def assignment_list(request: AppRequest) -> HttpResponse:
    """Assignments the user may read, filtered by state, type, round or unit name."""
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    inspection_type = request.GET.get("type", "")
    qs = selectors.assignment_list(user=request.user, state=state, inspection_type=inspection_type, query=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    types = dict(code_items("inspection_types").values_list("code", "label"))
    context = {
        "page": page,
        "rows": [(a, selectors.kind_label(a.inspection_type, a.flags, types)) for a in page],
        "q": q,
        "state": state,
        "type": inspection_type,
        "states": AssignmentState.choices,
        "types": types.items(),
    }
    template = "planning/assignment_list.html#results" if request.htmx else "planning/assignment_list.html"
    return render(request, template, context)


@roles_required(*READERS, *UNIT_ROLES, also=TEAM)
def assignment_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One assignment. The inspected unit sees the notice facts and the leader's and deputies' names only."""
    a = _get(request, pk)
    if is_unit_viewer(request.user, a):
        return render(request, "planning/assignment_unit.html", {"a": a, "leaders": selectors.team_leaders(a.team)})
    capacities = acts_as(request.user, a.round.committee_id, a)
    transitions = ASSIGNMENT_MACHINE.available(a.state, capacities)
    office = reads_as_office(request.user, a.round)
    members = selectors.team_members(a.team)
    conflicts = []
    if office and members:
        role_of = {m.person_id: m.role for m in members}
        conflicts = [c for c in recusal_conflicts([a], role_of) if c.binds(role_of[c.person_id])]
    names = {m.person_id: m.person.name for m in members}
    declaration_form = DeclarationForm()
    cast(ChoiceField, declaration_form.fields["person"]).choices = list(names.items())
    context = {
        "a": a,
        "kind": selectors.kind_label(a.inspection_type, a.flags),
        "transitions": transitions,
        "events": a.events.select_related("actor"),
        "members": members,
        "authorizations": a.authorizations.select_related("person"),
        "declarations": a.declarations.select_related("person", "decided_by") if office else [],
        "conflicts": conflicts,
        "names": names,
        "office": office,
        "manage": can_manage(request.user, a.round.committee_id),
        "can_authorize": a.state in AUTHORIZABLE,
        "can_declare": a.state not in FINISHED,
        "can_decide": bool(capacities & DECIDERS),
        "declaration_form": declaration_form,
        "decision_form": DecisionForm(),
        "authorize_form": AuthorizeForm(),
        "extra_orgs": a.extra_orgs.all(),
    }
    return render(request, "planning/assignment_detail.html", context)


@roles_required(*READERS, also=TEAM)
@require_POST
def assignment_transition_view(request: AppRequest, pk: int) -> HttpResponse:
    """Perform one transition; a refused one says why."""
    a = _get(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查填写的日期。")
        return redirect("planning:assignment_detail", a.pk)
    try:
        assignment_transition(
            actor=request.user,
            assignment=a,
            code=form.cleaned_data["code"],
            reason=form.cleaned_data["reason"],
            effective_on=form.cleaned_data["effective_on"],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已办理：{ASSIGNMENT_MACHINE.get(form.cleaned_data['code']).label}。")
    return redirect("planning:assignment_detail", a.pk)


@roles_required(*OFFICE)
@require_POST
def assignment_authorize_view(request: AppRequest, pk: int) -> HttpResponse:
    """一次一授权 for this assignment."""
    a = _get(request, pk)
    manage_check(request.user, a.round.committee_id, "只有本级巡察办可以办理授权。")
    form = AuthorizeForm(request.POST)
    if form.is_valid():
        try:
            assignment_authorize(
                actor=request.user, assignment=a, doc_no=form.cleaned_data["doc_no"], on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已办理授权。")
    else:
        messages.error(request, "请填写授权文号。")
    return redirect("planning:assignment_detail", a.pk)


@roles_required(*OFFICE)
@require_POST
def declaration_create_view(request: AppRequest, pk: int) -> HttpResponse:
    """Record a declaration, a unit's request, or a waiver request for a detected conflict."""
    a = _get(request, pk)
    manage_check(request.user, a.round.committee_id, "只有本级巡察办可以登记回避申报。")
    members = {m.person_id: m.person for m in a.team.members.select_related("person")} if a.team else {}
    form = DeclarationForm(request.POST)
    cast(ChoiceField, form.fields["person"]).choices = [(k, p.name) for k, p in members.items()]
    if form.is_valid():
        try:
            declaration_create(
                actor=request.user,
                assignment=a,
                person=members[form.cleaned_data["person"]],
                source=form.cleaned_data["source"],
                reason=form.cleaned_data["reason"],
                rule=form.cleaned_data["rule"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已登记，待审批。")
    else:
        messages.error(request, "请选择人员并写明回避事由。")
    return redirect("planning:assignment_detail", a.pk)


@roles_required(*READERS)
@require_POST
def declaration_decide_view(request: AppRequest, pk: int, declaration_pk: int) -> HttpResponse:
    """The leading group or the committee decides a declaration; the approver is recorded."""
    a = _get(request, pk)
    decide_check(request.user, a.round.committee_id)
    declaration = get_or_404(lambda: a.declarations.get(pk=declaration_pk, result=DeclarationResult.PENDING))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            declaration_decide(
                actor=request.user,
                declaration=declaration,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已审批。")
    return redirect("planning:assignment_detail", a.pk)
