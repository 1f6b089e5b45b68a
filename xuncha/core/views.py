"""Pages of the core app: home, committees, calendar, parameters, code tables, audit log.

Configuration pages show each value's scope (全国统一 / 本级 / 继承自上级) and offer editing only
where the user may write (ADR 0016); the services authorise every write again.
"""

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core import selectors
from xuncha.core.access import AppRequest, public, roles_required, signed_in
from xuncha.core.codetables import (
    code_override_delete,
    code_override_set,
    code_resolved,
    code_table_current,
    code_table_new_version,
    parse_items,
)
from xuncha.core.forms import (
    AuditFilterForm,
    CalendarDayForm,
    CodeOverrideForm,
    CodeTableVersionForm,
    ParamForm,
    param_display,
)
from xuncha.core.models import CodeTable, Committee, ConfigParam
from xuncha.core.models.calendar import DayKind
from xuncha.core.params import param_default_set, param_reset, param_resolved, param_set
from xuncha.core.permissions import config_committees_writable, config_write_check, may_write_national_config
from xuncha.core.roles import COMMITTEE_ROLES, OFFICE_ROLES, Role
from xuncha.core.services import calendar_day_delete, calendar_day_set
from xuncha.core.todo import posts_for, todos_for
from xuncha.core.workdays import committee_chain, working_days_between

CONFIG_READERS = (*OFFICE_ROLES, Role.LEADING_GROUP)


@signed_in
def home(request: AppRequest) -> HttpResponse:
    """The work bench: what is waiting for the signed-in user."""
    context = {
        "todos": todos_for(request.user),
        "grants": request.user.active_grants(),
        "posts": posts_for(request.user),
    }
    return render(request, "core/home.html", context)


@public
def healthz(request: AppRequest) -> HttpResponse:
    """Liveness probe for the reverse proxy."""
    return HttpResponse("ok", content_type="text/plain")


@roles_required(*COMMITTEE_ROLES)
def committee_list(request: AppRequest) -> HttpResponse:
    """The committees in the user's scope, as a tree."""
    return render(request, "core/committee_list.html", {"committees": selectors.committee_list(user=request.user)})


NATIONAL = "national"
LOCAL_KIND_LABELS: dict[str, str] = {DayKind.HOLIDAY: "本地节假日", DayKind.WORKDAY: "本地调休上班日"}


def _scope_choice(request: AppRequest, committees: list[Committee], *, allow_national: bool) -> Committee | None:
    """The committee chosen by the GET filter `committee` (or "national"); by default the user's first."""
    raw = request.GET.get("committee", "")
    if allow_national and raw == NATIONAL:
        return None
    chosen = next((c for c in committees if str(c.pk) == raw), None)
    return chosen or (committees[0] if committees else None)


def _scope_label(owner_id: int | None, chosen: Committee | None, names: dict[int, str]) -> str:
    """全国统一 / 本级 / 继承自上级（…）: where a value the chosen committee sees comes from."""
    if owner_id is None:
        return "全国统一"
    if chosen is not None and owner_id == chosen.pk:
        return "本级"
    return f"继承自上级（{names.get(owner_id, '上级党委')}）"


def _refused(request: AppRequest, exc: PermissionDenied) -> HttpResponse:
    raise PermissionDenied(str(exc) or "您没有修改此项配置的权限。")


def _posted_committee(request: AppRequest) -> Committee | None:
    """The scope a configuration form writes for: a committee id, or "national"."""
    raw = request.POST.get("committee", "")
    if raw == NATIONAL:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Committee, pk=int(raw))


def _calendar_url(year: int, committee: Committee | None) -> str:
    scope = NATIONAL if committee is None else committee.pk
    return f"{reverse('core:calendar')}?{urlencode({'year': year, 'committee': scope})}"


@roles_required(*CONFIG_READERS)
def calendar(request: AppRequest) -> HttpResponse:
    """One year of a committee's calendar (national entries, its superiors' and its own), or the national one."""
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    committees = list(selectors.committee_list(user=request.user))
    chosen = _scope_choice(request, committees, allow_national=True)
    names = {c.pk: c.name for c in Committee.objects.filter(id__in=committee_chain(chosen))}
    days = selectors.calendar_day_list(year=year, committee=chosen)
    national_writer = may_write_national_config(request.user)
    writable = set(config_committees_writable(request.user).values_list("id", flat=True))
    can_edit = national_writer if chosen is None else chosen.pk in writable
    rows = [
        {
            "day": d,
            "scope": _scope_label(d.committee_id, chosen, names),
            "kind": d.get_kind_display() if d.committee_id is None else LOCAL_KIND_LABELS[d.kind],
            "removable": can_edit and d.committee_id == (chosen.pk if chosen else None),
        }
        for d in days
    ]
    context = {
        "year": year,
        "rows": rows,
        "years": range(2023, timezone.localdate().year + 3),
        "committees": committees,
        "chosen": chosen,
        "scope_value": NATIONAL if chosen is None else chosen.pk,
        "working_days": working_days_between(date(year - 1, 12, 31), date(year, 12, 31), committee=chosen),
        "form": CalendarDayForm(),
        "can_edit": can_edit,
        "national_writer": national_writer,
        "estimated": any("预估" in d.source for d in days),
    }
    return render(request, "core/calendar.html", context)


@roles_required(Role.OFFICE_ADMIN)
@require_POST
def calendar_day_save(request: AppRequest) -> HttpResponse:
    """Record a holiday or a 调休 working day, nationally (only from the top) or for one committee."""
    committee = _posted_committee(request)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            calendar_day_set(
                actor=request.user,
                committee=committee,
                day=form.cleaned_data["day"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
            )
            messages.success(request, "已保存。")
            return redirect(_calendar_url(form.cleaned_data["day"].year, committee))
        except ValidationError as exc:
            form.add_error(None, exc)
    for error in form.errors.values():
        messages.error(request, "；".join(str(e) for e in error))
    return redirect(_calendar_url(timezone.localdate().year, committee))


@roles_required(Role.OFFICE_ADMIN)
@require_POST
def calendar_day_remove(request: AppRequest, day: str) -> HttpResponse:
    """Remove a national entry (only from the top) or a committee's own override of a date."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    committee = _posted_committee(request)
    calendar_day_delete(actor=request.user, committee=committee, day=parsed)
    messages.success(request, f"{parsed:%Y-%m-%d} 的登记已删除。")
    return redirect(_calendar_url(parsed.year, committee))


@roles_required(*CONFIG_READERS)
def param_list(request: AppRequest) -> HttpResponse:
    """Every parameter with its effective value for the chosen committee (or the national defaults) and its scope."""
    committees = list(selectors.committee_list(user=request.user))
    chosen = _scope_choice(request, committees, allow_national=True)
    names = {c.pk: c.name for c in Committee.objects.filter(id__in=committee_chain(chosen))}
    writable = set(config_committees_writable(request.user).values_list("id", flat=True))
    national_writer = may_write_national_config(request.user)
    rows = []
    for p in selectors.param_list():
        value, owner = param_resolved(p.key, committee=chosen)
        if chosen is None or p.national_only:
            scope, editable = "全国统一", national_writer and chosen is None
        else:
            scope = "默认值（全国统一）" if owner is None else _scope_label(owner, chosen, names)
            editable = chosen.pk in writable
        rows.append(
            {
                "param": p,
                "value": param_display(p, value),
                "default": param_display(p, p.default),
                "scope": scope,
                "own": chosen is not None and owner == chosen.pk,
                "editable": editable,
            }
        )
    context = {
        "rows": rows,
        "committees": committees,
        "chosen": chosen,
        "can_edit": any(r["editable"] for r in rows),
    }
    return render(request, "core/param_list.html", context)


@roles_required(Role.OFFICE_ADMIN)
@require_http_methods(["GET", "POST"])
def param_default_edit(request: AppRequest, key: str) -> HttpResponse:
    """Change a parameter's national default (only from the top)."""
    param = get_object_or_404(ConfigParam, key=key)
    if not may_write_national_config(request.user):
        raise PermissionDenied("全国统一的配置只能由最高一级巡察办管理员修改。")
    form = ParamForm(request.POST or None, param=param, current=param.default)
    back = f"{reverse('core:param_list')}?{urlencode({'committee': NATIONAL})}"
    if request.method == "POST" and form.is_valid():
        try:
            param_default_set(actor=request.user, key=key, value=form.value())
            messages.success(request, f"“{param.label}”的全国统一默认值已更新。")
            return redirect(back)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "form": form,
        "param": param,
        "committee": None,
        "own": True,
        "default": param_display(param, param.default),
        "back": back,
    }
    return render(request, "core/param_edit.html", context)


@roles_required(Role.OFFICE_ADMIN)
@require_http_methods(["GET", "POST"])
def param_edit(request: AppRequest, committee_id: int, key: str) -> HttpResponse:
    """Set or reset a committee's own value of a parameter (own committee or one below)."""
    committee = get_object_or_404(Committee, pk=committee_id)
    param = get_object_or_404(ConfigParam, key=key)
    config_write_check(request.user, committee)
    if param.national_only:
        raise PermissionDenied(f"“{param.label}”全国统一，不能按党委单独设置。")
    current, owner = param_resolved(key, committee=committee)
    names = {c.pk: c.name for c in Committee.objects.filter(id__in=committee_chain(committee))}
    form = ParamForm(request.POST or None, param=param, current=current)
    back = f"{reverse('core:param_list')}?{urlencode({'committee': committee.pk})}"
    if request.method == "POST":
        try:
            if "reset" in request.POST:
                param_reset(actor=request.user, key=key, committee=committee)
                messages.success(request, f"“{param.label}”已恢复继承值。")
                return redirect(back)
            if form.is_valid():
                param_set(actor=request.user, key=key, committee=committee, value=form.value())
                messages.success(request, f"“{param.label}”已更新。")
                return redirect(back)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "form": form,
        "param": param,
        "committee": committee,
        "own": owner == committee.pk,
        "scope": "默认值（全国统一）" if owner is None else _scope_label(owner, committee, names),
        "default": param_display(param, param.default),
        "back": back,
    }
    return render(request, "core/param_edit.html", context)


@roles_required(*CONFIG_READERS)
def code_table_list(request: AppRequest) -> HttpResponse:
    """All code tables and their versions, with which may be extended locally."""
    context = {"tables": selectors.code_table_list(), "national_writer": may_write_national_config(request.user)}
    return render(request, "core/code_table_list.html", context)


@roles_required(*CONFIG_READERS)
def code_table_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One national version of a code table with its items."""
    table = get_object_or_404(CodeTable, pk=pk)
    context = {
        "table": table,
        "items": table.items.order_by("sort_order"),
        "can_edit": table.is_current and may_write_national_config(request.user),
    }
    return render(request, "core/code_table_detail.html", context)


@roles_required(*CONFIG_READERS)
def code_table_local(request: AppRequest, key: str) -> HttpResponse:
    """A code table as one committee sees it: national items, superiors' and its own relabels and local items."""
    table = get_object_or_404(CodeTable, key=key, is_current=True)
    committees = list(selectors.committee_list(user=request.user))
    chosen = _scope_choice(request, committees, allow_national=False)
    names = {c.pk: c.name for c in Committee.objects.filter(id__in=committee_chain(chosen))}
    writable = set(config_committees_writable(request.user).values_list("id", flat=True))
    can_edit = table.local_overrides_allowed and chosen is not None and chosen.pk in writable
    rows = [
        {
            "code": r,
            "scope": _scope_label(r.owner.pk if r.owner else None, chosen, names),
            "own": chosen is not None and r.owner is not None and r.owner.pk == chosen.pk,
        }
        for r in code_resolved(key, committee=chosen)
    ]
    context = {
        "table": table,
        "rows": rows,
        "committees": committees,
        "chosen": chosen,
        "can_edit": can_edit,
        "form": CodeOverrideForm(),
    }
    return render(request, "core/code_table_local.html", context)


@roles_required(Role.OFFICE_ADMIN)
@require_POST
def code_override_save(request: AppRequest, key: str) -> HttpResponse:
    """Set a committee's own label for a code (or add a local code); "reset" removes it again."""
    get_object_or_404(CodeTable, key=key, is_current=True)
    committee = _posted_committee(request)
    if committee is None:
        raise PermissionDenied("全国统一的代码项请通过“启用新版本”修改。")
    form = CodeOverrideForm(request.POST)
    try:
        if "reset" in request.POST:
            code_override_delete(actor=request.user, committee=committee, key=key, code=request.POST.get("code", ""))
            messages.success(request, "已恢复继承。")
        elif form.is_valid():
            code_override_set(
                actor=request.user,
                committee=committee,
                key=key,
                code=form.cleaned_data["code"],
                label=form.cleaned_data["label"],
                active=form.cleaned_data["active"],
            )
            messages.success(request, "已保存。")
        else:
            for error in form.errors.values():
                messages.error(request, "；".join(str(e) for e in error))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(f"{reverse('core:code_table_local', args=[key])}?{urlencode({'committee': committee.pk})}")


@roles_required(Role.OFFICE_ADMIN)
@require_http_methods(["GET", "POST"])
def code_table_version(request: AppRequest, key: str) -> HttpResponse:
    """Create the next national version of a code table (only from the top)."""
    current = get_object_or_404(CodeTable, key=key, is_current=True)
    if not may_write_national_config(request.user):
        raise PermissionDenied("全国统一的配置只能由最高一级巡察办管理员修改。")
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
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    too_big = isinstance(exception, RequestDataTooBig)
    return HttpResponseBadRequest(render_to_string("core/bad_request.html", {"too_big": too_big, "limit": limit}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The Chinese page for a refused form submission, usually a page left open until it expired."""
    return HttpResponseForbidden(render_to_string("core/csrf_failure.html"))


def page_not_found(request: AppRequest, exception: Exception) -> HttpResponse:
    """The Chinese 404 page; a reporter (anyone not signed in) gets one that links to no internal page."""
    if not getattr(request, "user", None) or not request.user.is_authenticated or request.path.startswith("/p/"):
        return HttpResponse(render_to_string("core/not_found_public.html"), status=404)
    return render(request, "core/not_found.html", status=404)


def permission_denied(request: AppRequest, exception: Exception) -> HttpResponse:
    """The Chinese 403 page for PermissionDenied raised inside a view."""
    raise PermissionDenied


def server_error(request: AppRequest) -> HttpResponse:
    """The Chinese 500 page: it names nothing about the failure."""
    return render(request, "core/server_error.html", status=500)
