"""The announcement page of an assignment (publish, amend, download) and the survey's aggregate."""

import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.downloads import download
from xuncha.core.roles import OFFICE_ROLES
from xuncha.fieldwork.announcement_docs import (
    FontMissing,
    announcement_lines,
    announcement_pdf,
    announcement_poster,
    public_url,
    qr_png,
)
from xuncha.fieldwork.announcements import announcement_defaults, announcement_save
from xuncha.fieldwork.forms import AnnouncementForm
from xuncha.fieldwork.models import Announcement
from xuncha.fieldwork.selectors import announcement_readable, assignment_to_publish
from xuncha.fieldwork.survey import MIN_SHOWN, OPTIONS, survey_summary
from xuncha.planning.permissions import serves_on_team

OFFICE = tuple(OFFICE_ROLES)


@roles_required(*OFFICE, also=serves_on_team)
@require_http_methods(["GET", "POST"])
def announcement_edit(request: AppRequest, assignment_pk: int) -> HttpResponse:
    """Publish or amend the announcement of an assignment (the office managing it or the team leader)."""
    assignment = assignment_to_publish(request.user, assignment_pk)
    if assignment is None:
        raise Http404
    existing = Announcement.objects.filter(assignment=assignment).first()
    values = model_to_dict(existing) if existing else announcement_defaults(assignment)
    form = AnnouncementForm(request.POST or None, initial=AnnouncementForm.initial_for(values))
    if request.method == "POST" and form.is_valid():
        try:
            announcement_save(actor=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "公告已修改。" if existing else "公告已发布。")
            return redirect("fieldwork:announcement_edit", assignment.pk)
    context = {"assignment": assignment, "an": existing, "form": form}
    return render(request, "fieldwork/announcement_edit.html", context)


def _readable(request: AppRequest, assignment_pk: int) -> Announcement:
    announcement = announcement_readable(request.user, assignment_pk)
    if announcement is None:
        raise Http404
    return announcement


def rendered_once(
    announcement: Announcement, kind: str, base: str, make: Callable[[Announcement, str], bytes]
) -> bytes:
    """A file rendered once per version of its content (the PDF takes seconds to lay out): the cache key is
    a digest of the text the file prints, its public link and the address in its QR codes."""
    title, paragraphs = announcement_lines(announcement)
    content = "\n".join([kind, base, announcement.token, title, *paragraphs])
    key = "announcement-file:" + hashlib.sha256(content.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = make(announcement, base)
        cache.set(key, body, timeout=7 * 24 * 3600)
    return bytes(body)


# The announcement's files: (name after the unit's, type, how it is made from the announcement and the base URL).
ANNOUNCEMENT_FILES: dict[str, tuple[str, str, Callable[[Announcement, str], bytes]]] = {
    "announcement.pdf": ("巡察公告.pdf", "application/pdf", announcement_pdf),
    "poster.png": ("公告海报.png", "image/png", announcement_poster),
    "qr.png": ("举报二维码.png", "image/png", lambda a, base: qr_png(public_url(a, base))),
    "survey-qr.png": ("测评二维码.png", "image/png", lambda a, base: qr_png(public_url(a, base, survey=True))),
}


@roles_required(*OFFICE, also=serves_on_team)
def announcement_file(request: AppRequest, assignment_pk: int, kind: str) -> HttpResponse:
    """The announcement as A4 PDF, as a poster PNG, or the bare QR codes."""
    if kind not in ANNOUNCEMENT_FILES:
        raise Http404
    announcement = _readable(request, assignment_pk)
    name, mime, make = ANNOUNCEMENT_FILES[kind]
    try:
        body = rendered_once(announcement, kind, f"{request.scheme}://{request.get_host()}", make)
    except FontMissing as exc:
        return render(request, "core/forbidden.html", {"message": str(exc)}, status=503)
    return download(body, f"{announcement.assignment.organization.name}{name}", mime)


@roles_required(*OFFICE, also=serves_on_team)
def survey_results(request: AppRequest, assignment_pk: int) -> HttpResponse:
    """The 民主测评 results of an assignment, in aggregate only."""
    announcement = _readable(request, assignment_pk)
    context = {
        "assignment": announcement.assignment,
        "summary": survey_summary(announcement.assignment),
        "options": OPTIONS,
        "minimum": MIN_SHOWN,
    }
    return render(request, "fieldwork/survey_results.html", context)
