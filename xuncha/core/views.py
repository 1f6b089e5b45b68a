"""Pages of the core app: home, committees, calendar, parameters, code tables, audit log."""

import json
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core import selectors
from xuncha.core.access import AppRequest, forbidden, public, roles_required, signed_in
from xuncha.core.codetables import code_table_current, code_table_new_version, parse_items
from xuncha.core.forms import AuditFilterForm, CalendarDayForm, CodeTableVersionForm, ParamForm
from xuncha.core.models import CodeTable, ConfigParam, ConfigValue
from xuncha.core.models.params import ParamType
from xuncha.core.params import param_reset, param_set, param_value
from xuncha.core.roles import COMMITTEE_ROLES, OFFICE_ROLES, Role
from xuncha.core.services import calendar_day_delete, calendar_day_set
from xuncha.core.todo import todos_for
from xuncha.core.workdays import working_days_between

CONFIG_READERS = (*OFFICE_ROLES, Role.LEADING_GROUP)


@signed_in
def home(request: AppRequest) -> HttpResponse:
    """The work bench: what is waiting for the signed-in user."""
    grants = request.user.active_grants()
    return render(request, "core/home.html", {"todos": todos_for(request.user), "grants": grants})


@public
def healthz(request: AppRequest) -> HttpResponse:
    """Liveness probe for the reverse proxy."""
    return HttpResponse("ok", content_type="text/plain")


@roles_required(*COMMITTEE_ROLES)
def committee_list(request: AppRequest) -> HttpResponse:
    """The committees in the user's scope, as a tree."""
    return render(request, "core/committee_list.html", {"committees": selectors.committee_list(user=request.user)})


@roles_required(*CONFIG_READERS)
def calendar(request: AppRequest) -> HttpResponse:
    """The holiday and 调休 calendar of one year, with the working-day count."""
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    days = selectors.calendar_day_list(year=year)
    context = {
        "year": year,
        "days": days,
        "years": range(2023, timezone.localdate().year + 3),
        "working_days": working_days_between(date(year - 1, 12, 31), date(year, 12, 31)),
        "form": CalendarDayForm(),
        "can_edit": request.user.has_any_role({Role.OFFICE_ADMIN}),
        "estimated": any("预估" in d.source for d in days),
    }
    return render(request, "core/calendar.html", context)


@roles_required(Role.OFFICE_ADMIN)
@require_POST
def calendar_day_save(request: AppRequest) -> HttpResponse:
    """Record a holiday or a 调休 working day."""
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            calendar_day_set(
                actor=request.user,
                day=form.cleaned_data["day"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
            )
            messages.success(request, "已保存。")
            return redirect(f"{reverse('core:calendar')}?year={form.cleaned_data['day'].year}")
        except ValidationError as exc:
            form.add_error(None, exc)
    for error in form.errors.values():
        messages.error(request, "；".join(str(e) for e in error))
    return redirect("core:calendar")


@roles_required(Role.OFFICE_ADMIN)
@require_POST
def calendar_day_remove(request: AppRequest, day: str) -> HttpResponse:
    """Return a date to the ordinary Monday–Friday rule."""
    parsed = date.fromisoformat(day)
    calendar_day_delete(actor=request.user, day=parsed)
    messages.success(request, f"{parsed:%Y-%m-%d} 已恢复为常规日。")
    return redirect(f"{reverse('core:calendar')}?year={parsed.year}")


@roles_required(*CONFIG_READERS)
def param_list(request: AppRequest) -> HttpResponse:
    """Every parameter with its effective value for the chosen committee."""
    committees = list(selectors.committee_list(user=request.user))
    chosen = next((c for c in committees if str(c.pk) == request.GET.get("committee")), None)
    chosen = chosen or (committees[0] if committees else None)
    own_keys = set(ConfigValue.objects.filter(committee=chosen).values_list("param__key", flat=True) if chosen else [])
    rows = [
        {"param": p, "value": param_value(p.key, committee=chosen), "own": p.key in own_keys}
        for p in selectors.param_list()
    ]
    admin_ids = set(selectors.committee_admin_list(user=request.user).values_list("id", flat=True))
    context = {
        "rows": rows,
        "committees": committees,
        "chosen": chosen,
        "can_edit": chosen is not None and chosen.pk in admin_ids,
    }
    return render(request, "core/param_list.html", context)


@roles_required(Role.OFFICE_ADMIN)
@require_http_methods(["GET", "POST"])
def param_edit(request: AppRequest, committee_id: int, key: str) -> HttpResponse:
    """Set or reset a committee's own value of a parameter."""
    committee = get_object_or_404(selectors.committee_admin_list(user=request.user), pk=committee_id)
    param = get_object_or_404(ConfigParam, key=key)
    current = param_value(key, committee=committee)
    shown = json.dumps(current, ensure_ascii=False) if param.value_type == ParamType.JSON else str(current)
    form = ParamForm(request.POST or None, initial={"value": shown})
    if request.method == "POST":
        if "reset" in request.POST:
            param_reset(actor=request.user, key=key, committee=committee)
            messages.success(request, f"“{param.label}”已恢复继承值。")
            return redirect(f"{reverse('core:param_list')}?committee={committee.pk}")
        if form.is_valid():
            raw = form.cleaned_data["value"]
            try:
                value = json.loads(raw) if param.value_type == ParamType.JSON else raw
                param_set(actor=request.user, key=key, committee=committee, value=value)
                messages.success(request, f"“{param.label}”已更新。")
                return redirect(f"{reverse('core:param_list')}?committee={committee.pk}")
            except json.JSONDecodeError:
                form.add_error("value", "格式不正确，请按示例填写。")
            except ValidationError as exc:
                form.add_error("value", exc)
    return render(request, "core/param_edit.html", {"form": form, "param": param, "committee": committee})


@roles_required(*CONFIG_READERS)
def code_table_list(request: AppRequest) -> HttpResponse:
    """All code tables and their versions."""
    return render(request, "core/code_table_list.html", {"tables": selectors.code_table_list()})


@roles_required(*CONFIG_READERS)
def code_table_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One version of a code table with its items."""
    table = get_object_or_404(CodeTable, pk=pk)
    context = {
        "table": table,
        "items": table.items.order_by("sort_order"),
        "can_edit": request.user.has_any_role({Role.OFFICE_ADMIN}),
    }
    return render(request, "core/code_table_detail.html", context)


@roles_required(Role.OFFICE_ADMIN)
@require_http_methods(["GET", "POST"])
def code_table_version(request: AppRequest, key: str) -> HttpResponse:
    """Create the next version of a code table."""
    current = get_object_or_404(CodeTable, key=key, is_current=True)
    initial = {
        "name": current.name,
        "items": "\n".join(f"{i.code} {i.label}" for i in current.items.order_by("sort_order")),
    }
    form = CodeTableVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            items = parse_items(form.cleaned_data["items"])
            table = code_table_new_version(actor=request.user, key=key, items=items, name=form.cleaned_data["name"])
            messages.success(request, f"已启用第 {table.version} 版。")
            return redirect("core:code_table_detail", pk=table.pk)
        except ValidationError as exc:
            form.add_error("items", exc)
    return render(request, "core/code_table_version.html", {"form": form, "table": code_table_current(key)})


@roles_required(Role.SEC_AUDITOR, Role.OFFICE_ADMIN)
def audit_log(request: AppRequest) -> HttpResponse:
    """The audit trail: the security auditor sees every event as who, when, from where, what and on what
    kind of object (never its summary); an office administrator sees their committees' events in full."""
    form = AuditFilterForm(request.GET)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    events = selectors.audit_event_list(user=request.user, action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    with_summary = selectors.audit_shows_business(request.user)
    context = {
        "form": form,
        "page": page,
        "rows": selectors.audit_rows(page, with_summary=with_summary),
        "with_summary": with_summary,
        "action": action,
    }
    return render(request, "core/audit_log.html", context)


# The 400 and CSRF pages are rendered without the request: a rejected request is often a public
# reporter's form, and nothing it carried (path, query, fields) may be reflected back.
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The Chinese 400 page (malformed or oversized request): it names nothing about the request."""
    return HttpResponseBadRequest(render_to_string("core/bad_request.html"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The Chinese page for a refused form submission, usually a page left open until it expired."""
    return HttpResponseForbidden(render_to_string("core/csrf_failure.html"))


def page_not_found(request: AppRequest, exception: Exception) -> HttpResponse:
    """The Chinese 404 page."""
    return render(request, "core/not_found.html", status=404)


def permission_denied(request: AppRequest, exception: Exception) -> HttpResponse:
    """The Chinese 403 page for PermissionDenied raised inside a view."""
    return forbidden(request)


def server_error(request: AppRequest) -> HttpResponse:
    """The Chinese 500 page: it names nothing about the failure."""
    return render(request, "core/server_error.html", status=500)
