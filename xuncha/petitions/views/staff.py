"""The team's petition queue (and the office's masked view), registration, a petition and its files."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.forms import ChoiceField
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.codetables import code_items
from xuncha.core.downloads import download, download_stream
from xuncha.core.links import links_for
from xuncha.core.paging import SEARCH_COUNT_CAP, CappedPaginator
from xuncha.core.roles import OFFICE_ROLES
from xuncha.core.uploads import check_uploads
from xuncha.fieldwork.selectors import announcement_links
from xuncha.petitions.choices import Channel, PetitionStatus
from xuncha.petitions.decisions.clocks import CLOCKS, FINAL, OPEN, petition_clocks
from xuncha.petitions.exports import petitions_export
from xuncha.petitions.forms import (
    ContactForm,
    IncomingReportForm,
    NoteForm,
    ReferralForm,
    RegisterForm,
    ReplyForm,
    StatusForm,
)
from xuncha.petitions.intake.services import attachment_download_open, identity_reveal, petition_register
from xuncha.petitions.machines import manual_targets
from xuncha.petitions.models import Petition
from xuncha.petitions.permissions import (
    can_reveal,
    is_on_team,
    petition_assignments_visible,
    serves_on_petition_team,
)
from xuncha.petitions.selectors import (
    petition_content,
    petition_dialogue,
    petition_follow_up,
    petition_get,
    petition_notes,
    petition_search,
    row,
)
from xuncha.petitions.triage.categories import (
    category_explained,
    category_suggestions,
    near_duplicates,
    suggest_category,
)
from xuncha.petitions.triage.scope import scope_matches
from xuncha.petitions.views.decide import dispose_form
from xuncha.planning.models import Assignment
from xuncha.planning.permissions import (
    team_assignment_ids,
)

OFFICE = tuple(OFFICE_ROLES)


def _get(request: AppRequest, pk: int) -> Petition:
    petition = petition_get(user=request.user, pk=pk)
    if petition is None:
        raise Http404
    return petition


FILTERS = ("status", "channel", "overdue", "assignment", "named")


def _filters(request: AppRequest) -> dict[str, str]:
    """The list's filters; the text search comes only by POST, so a searched name never lands in a URL,
    a history or a proxy log (links such as a to-do's may carry the other filters)."""
    source = request.POST if request.method == "POST" else request.GET
    values = {k: source.get(k, "").strip() for k in FILTERS}
    values["query"] = request.POST.get("q", "").strip() if request.method == "POST" else ""
    return values


@roles_required(*OFFICE, also=serves_on_petition_team)
@require_http_methods(["GET", "POST"])
def petition_list(request: AppRequest) -> HttpResponse:
    """The queue: the team's own assignment(s); the office sees its committee's, reporters masked."""
    filters = _filters(request)
    # Filters live in the address (bookmarkable, Back works); a typed search never does.
    address = f"{request.path}?{urlencode({k: filters[k] for k in FILTERS if filters[k]})}".rstrip("?")
    if request.method == "POST" and not filters["query"] and not request.htmx:
        return redirect(address)
    found = petition_search(user=request.user, **filters)
    number = (request.POST if request.method == "POST" else request.GET).get("page")
    page = CappedPaginator(found, 50, cap=SEARCH_COUNT_CAP if filters["query"] else None).get_page(number)
    context = {
        "page": page,
        "rows": [(r.petition, r.subject, r.summary) for r in map(row, page)],
        "f": filters,
        "filter_query": urlencode({k: filters[k] for k in FILTERS if filters[k]}),
        "statuses": PetitionStatus.choices,
        "channels": Channel.choices,
        "clocks": [(c.key, c.label) for c in CLOCKS],
        "assignments": _visible_assignments(request),
        "can_register": bool(team_assignment_ids(request.user)),
        "announcement_links": announcement_links(request.user),
    }
    template = "petitions/petition_list.html#results" if request.htmx else "petitions/petition_list.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    if request.htmx:
        response["HX-Push-Url"] = "false" if filters["query"] else address
    return response


def _visible_assignments(request: AppRequest) -> list[tuple[int, str]]:
    """The assignments whose petitions this user sees (the list's assignment filter)."""
    found = petition_assignments_visible(request.user).filter(
        Exists(Petition.objects.filter(assignment=OuterRef("pk")))
    )
    return list(found.values_list("pk", "organization__name").order_by("pk"))


@roles_required(*OFFICE, also=serves_on_petition_team)
@require_POST
def petition_export(request: AppRequest) -> HttpResponse:
    """The visible queue (as filtered) as .xlsx, without reporter identity, watermarked; audit-logged."""
    body = petitions_export(actor=request.user, filters=_filters(request), request=request)
    return download(body, "信访件清单.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@roles_required(*OFFICE, also=serves_on_petition_team)
@require_http_methods(["GET", "POST"])
def petition_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One petition: content, the dialogue, internal notes, decisions; identity masked unless revealed."""
    petition = _get(request, pk)
    team = is_on_team(request.user, petition)
    identity, reveal_error = None, ""
    if request.method == "POST" and request.POST.get("action") == "reveal":
        try:
            identity = identity_reveal(
                actor=request.user, petition=petition, reason=request.POST.get("reason", ""), request=request
            )
        except ValidationError as exc:
            reveal_error = "；".join(exc.messages)
    content = petition_content(petition)
    status_form = StatusForm()
    cast(ChoiceField, status_form.fields["status"]).choices = manual_targets(petition.status)
    context = {
        "p": petition,
        "content": content,
        "identity": identity,
        "revealed": identity is not None,
        "reveal_error": reveal_error,
        "became": links_for(petition, request.user),
        "team": team,
        "can_reveal": can_reveal(request.user, petition),
        "attachments": list(petition.attachments.all()) if team else [],
        "dialogue": petition_dialogue(petition) if team else [],
        "notes": petition_notes(petition) if team else [],
        **_triage(petition, team, content),
        "reply_form": ReplyForm(),
        "note_form": NoteForm(),
        "status_form": status_form,
    }
    response = render(request, "petitions/petition_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _triage(petition: Petition, team: bool, content: dict[str, str] | None) -> dict[str, Any]:
    """Suggestions, clocks and the follow-up forms for the team (suggestions computed now, never stored)."""
    if not team or content is None:
        return {}
    labels = dict(code_items("six_disciplines").values_list("code", "label"))
    explained = category_explained(content)
    scores = [(c.code, c.score) for c in explained]
    shown = set(category_suggestions(content, scores))
    scope = scope_matches(petition.assignment, content)
    duplicates = near_duplicates(petition, content, scope=scope)
    clocks, late = petition_clocks(petition)
    return {
        "scope": scope,
        "categories": [(labels.get(c.code, c.code), c.reason) for c in explained if c.code in shown],
        "duplicates": duplicates,
        "clocks": clocks,
        "dispose_form": dispose_form(
            initial={"category": suggest_category(content, scores)},
            petition=petition,
            suggested=[d.petition.pk for d in duplicates],
        ),
        "referral_form": ReferralForm(),
        "referral_overdue": "referral" in late,
        "incoming_overdue": "incoming" in late,
        **petition_follow_up(petition),
        "incoming_form": IncomingReportForm(initial={"reported_on": timezone.localdate()}),
        "contact_form": ContactForm(initial={"at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}),
        "final": petition.status in FINAL,
        "open": petition.status in OPEN,
    }


def _team_assignments(request: AppRequest) -> list[Assignment]:
    return list(Assignment.objects.filter(pk__in=team_assignment_ids(request.user)).select_related("organization"))


@roles_required(*OFFICE, also=serves_on_petition_team)
@require_http_methods(["GET", "POST"])
def petition_register_view(request: AppRequest) -> HttpResponse:
    """The team registers a letter, call, visit, box item or referral from above."""
    assignments = _team_assignments(request)
    if not assignments:
        raise PermissionDenied("只有巡察组可以登记信访件。")
    form = RegisterForm(request.POST or None, initial={"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    cast(ChoiceField, form.fields["assignment"]).choices = [(a.pk, a.organization.name) for a in assignments]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignment = next(a for a in assignments if a.pk == data["assignment"])
        try:
            petition = petition_register(
                actor=request.user,
                assignment=assignment,
                channel=data["channel"],
                content=data,
                identity={k: data[k] for k in ("name", "phone", "unit", "address")},
                received_at=data["received_at"],
                attachments=check_uploads(request.FILES.getlist("attachments")),
                incoming={k: data[k] for k in ("source_office", "letter_no", "requirement", "due_on")},
            )
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            if petition.out_of_hours:
                messages.warning(request, "该来电不在公告的接访时间内，已标注。")
            return redirect("petitions:petition_detail", petition.pk)
    response = render(request, "petitions/register.html", {"form": form, "channels": Channel})
    response["Cache-Control"] = "no-store"
    return response


@roles_required(*OFFICE, also=serves_on_petition_team)
def attachment_download(request: AppRequest, pk: int, attachment_pk: int) -> StreamingHttpResponse:
    """A reporter's file, only ever as a download (never rendered inline), to the team."""
    petition = _get(request, pk)
    if not is_on_team(request.user, petition):
        raise Http404
    attachment = petition.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return download_stream(
        attachment_download_open(actor=request.user, attachment=attachment),
        f"attachment-{attachment.pk}.{attachment.extension}",
    )
