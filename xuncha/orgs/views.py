"""Pages of the organisation registry: lists, details, forms, Excel import."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import ChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.codetables import code_choices
from xuncha.core.downloads import download
from xuncha.core.permissions import committees_visible
from xuncha.core.pickers import LIMIT, picker_query, picker_response
from xuncha.core.roles import OFFICE_ROLES, ORGANIZATION_ROLES, REGISTRY_READERS
from xuncha.orgs import selectors
from xuncha.orgs.choices import OrgLevel
from xuncha.orgs.forms import ImportForm, OrganizationForm, RelationshipForm
from xuncha.orgs.models import Organization, Person
from xuncha.orgs.permissions import can_edit_registry, organizations_editable, organizations_visible, people_visible
from xuncha.orgs.registry_xlsx import ImportRejected, organization_import, roster_import, template_workbook
from xuncha.orgs.services import organization_save, relationship_add

READERS = (*REGISTRY_READERS, *ORGANIZATION_ROLES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _org_or_404(request: AppRequest, pk: int) -> Organization:
    try:
        return selectors.organization_get(user=request.user, pk=pk)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc


@roles_required(*READERS)
def organization_list(request: AppRequest) -> HttpResponse:
    """Visible organisations with filters; htmx requests get the table only."""
    q = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    try:
        committee_id = int(request.GET.get("committee") or 0) or None
    except ValueError:
        committee_id = None
    orgs = selectors.organization_list(user=request.user, query=q, level=level, committee_id=committee_id)
    page = Paginator(orgs, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "level": level,
        "committee_id": committee_id,
        "levels": OrgLevel.choices,
        "committees": committees_visible(request.user),
        "can_edit": can_edit_registry(request.user),
    }
    template = "orgs/organization_list.html#results" if request.htmx else "orgs/organization_list.html"
    return render(request, template, context)


@roles_required(*READERS)
def organization_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One organisation: its place in the tree and its current roster."""
    org = _org_or_404(request, pk)
    visible = selectors.organization_list(user=request.user)
    context = {
        "org": org,
        "ancestors": visible.filter(pk__in=[int(p) for p in org.path.strip("/").split("/")[:-1]]),
        "children": visible.filter(parent=org),
        "roster": selectors.current_positions(org),
        "can_edit": organizations_editable(request.user).filter(pk=org.pk).exists(),
        "tags": [
            label for code, label in code_choices("sector_tags", committee=org.managed_by) if code in org.sector_tags
        ],
    }
    return render(request, "orgs/organization_detail.html", context)


def _org_form(request: AppRequest, org: Organization | None) -> OrganizationForm:
    committees = committees_visible(request.user, OFFICE_ROLES)
    initial = {}
    if org is not None:
        initial = {
            "org_code": org.org_code,
            "name": org.name,
            "short_name": org.short_name,
            "parent_code": org.parent.org_code if org.parent else "",
            "level": org.level,
            "party_org_type": org.party_org_type,
            "committee": org.managed_by_id,
            "sector_tags": org.sector_tags,
        }
    form = OrganizationForm(request.POST or None, initial=initial)
    cast(ChoiceField, form.fields["committee"]).choices = [(c.pk, c.name) for c in committees]
    # The tags as the managing committee sees them (a new unit: the user's highest committee).
    owner = org.managed_by if org is not None else committees.order_by("path").first()
    cast(ChoiceField, form.fields["sector_tags"]).choices = code_choices("sector_tags", committee=owner)
    if org is not None:
        form.fields["org_code"].disabled = True
    return form


@roles_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def organization_edit(request: AppRequest, pk: int | None = None) -> HttpResponse:
    """Register a new organisation or correct an existing one."""
    org = None
    if pk is not None:
        org = organizations_editable(request.user).filter(pk=pk).first()
        if org is None:
            raise Http404
    form = _org_form(request, org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        committee = committees_visible(request.user, OFFICE_ROLES).get(pk=data["committee"])
        parent = None
        if data["parent_code"]:
            parent = selectors.organization_list(user=request.user).filter(org_code=data["parent_code"]).first()
            if parent is None:
                form.add_error("parent_code", f"找不到编码为“{data['parent_code']}”的单位。")
        if not form.errors:
            try:
                saved, _ = organization_save(
                    actor=request.user,
                    org_code=org.org_code if org else data["org_code"].strip(),
                    name=data["name"],
                    short_name=data["short_name"],
                    level=data["level"],
                    party_org_type=data["party_org_type"],
                    managed_by=committee,
                    parent=parent,
                    sector_tags=data["sector_tags"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已保存“{saved.name}”。")
                return redirect("orgs:organization_detail", pk=saved.pk)
    return render(request, "orgs/organization_form.html", {"form": form, "org": org})


@roles_required(*READERS)
def person_list(request: AppRequest) -> HttpResponse:
    """Visible people with their current posts."""
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.person_list(user=request.user, query=q), 50).get_page(request.GET.get("page"))
    template = "orgs/person_list.html#results" if request.htmx else "orgs/person_list.html"
    return render(request, template, {"page": page, "q": q})


@roles_required(*READERS)
def person_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One person: posts and (for the office) recusal-relevant relations."""
    try:
        person = selectors.person_get(user=request.user, pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "person": person,
        "positions": selectors.person_positions(user=request.user, person=person),
        "relations": selectors.person_relationships(user=request.user, person=person),
        "is_office": can_edit_registry(request.user),
        "form": RelationshipForm(),
    }
    return render(request, "orgs/person_detail.html", context)


@roles_required(*OFFICE_ROLES)
@require_POST
def relationship_create(request: AppRequest, pk: int) -> HttpResponse:
    """Record a relation between the person shown and another person."""
    visible = people_visible(request.user)
    person = visible.filter(pk=pk).first()
    if person is None:
        raise Http404
    form = RelationshipForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        other = visible.filter(person_code=data["other_code"].strip()).first()
        if other is None:
            messages.error(request, f"找不到人员编号为“{data['other_code']}”的人员。")
        else:
            try:
                relationship_add(
                    actor=request.user,
                    person_a=person,
                    person_b=other,
                    kind=data["kind"],
                    source=data["source"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    note=data["note"],
                )
                messages.success(request, "已登记人员关系。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "关系信息不完整。")
    return redirect("orgs:person_detail", pk=person.pk)


@roles_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def registry_import(request: AppRequest, kind: str) -> HttpResponse:
    """Upload an organisations or roster spreadsheet; show what was stored or every error."""
    if kind not in {"organizations", "roster"}:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    rejected = ""
    if request.method == "POST" and form.is_valid():
        importer = organization_import if kind == "organizations" else roster_import
        try:
            report = importer(actor=request.user, file=form.cleaned_data["file"])
        except ImportRejected as exc:
            rejected = str(exc)
    context = {"form": form, "kind": kind, "report": report, "rejected": rejected}
    refused = rejected or form.errors or (report and not report.ok)
    return render(request, "orgs/import.html", context, status=400 if refused else 200)


@roles_required(*OFFICE_ROLES)
def import_template(request: AppRequest, kind: str) -> HttpResponse:
    """Download the blank .xlsx template for an import."""
    if kind not in {"organizations", "roster"}:
        raise Http404
    name = "organizations-template.xlsx" if kind == "organizations" else "roster-template.xlsx"
    return download(template_workbook(kind), name, XLSX)


@roles_required(*READERS)
def organization_pick(request: AppRequest) -> HttpResponse:
    """Units the user may see whose name or code matches what is typed (a picker's suggestions)."""
    typed = picker_query(request)
    found = organizations_visible(request.user)
    if typed:
        found = found.filter(Q(name__icontains=typed) | Q(short_name__icontains=typed) | Q(org_code__istartswith=typed))
    rows = found.select_related("parent").order_by("name")[:LIMIT]
    return picker_response((o.org_code, f"{o.name}{f'（{o.parent.name}）' if o.parent else ''}") for o in rows)


@roles_required(*READERS)
def person_pick(request: AppRequest) -> HttpResponse:
    """People of the units the user may see, by name or number, with their current post."""
    typed = picker_query(request)
    found = people_visible(request.user)
    if typed:
        found = found.filter(Q(name__icontains=typed) | Q(person_code__istartswith=typed))
    rows = found.order_by("name", "person_code")[:LIMIT]
    return picker_response((p.person_code, f"{p.name}（{p.person_code}）") for p in rows)
