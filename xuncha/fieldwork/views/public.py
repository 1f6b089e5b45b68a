"""The public 民主测评/问卷 page behind the second QR code: no log-in, nothing from outside, mobile first."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from xuncha.core.access import AppRequest, public
from xuncha.core.throttle import allow, remember_device
from xuncha.fieldwork.announcements import intake_state_now
from xuncha.fieldwork.selectors import announcement_by_token
from xuncha.fieldwork.survey import OPTIONS, QUESTIONS, survey_submit

TOO_MANY = "提交过于频繁，请过几分钟再试。"
SURVEY_COOKIE = "xuncha_survey_{}"


@public
@require_http_methods(["GET", "POST"])
def survey(request: AppRequest, token: str) -> HttpResponse:
    """民主测评/问卷: anonymous, one sheet per device, counted only in aggregate.

    A hall of cadres on one venue Wi-Fi fills it in at once, so the address only has a high ceiling;
    the device's own cookie says it has answered (soft, as an anonymous survey must be)."""
    announcement = announcement_by_token(token)
    if announcement is None:
        raise Http404
    open_, closed_reason = intake_state_now(announcement)
    answered = SURVEY_COOKIE.format(announcement.assignment_id)
    context: dict[str, object] = {
        "a": announcement,
        "open": open_,
        "closed_reason": closed_reason,
        "questions": QUESTIONS,
        "options": OPTIONS,
        "answered": answered in request.COOKIES,
    }
    if request.method == "POST" and open_ and not context["answered"]:
        if not allow(request, "survey"):
            context["error"] = TOO_MANY
            return render(request, "fieldwork/public_survey.html", context, status=429)
        try:
            survey_submit(announcement=announcement, answers=request.POST.dict())
        except ValidationError as exc:
            context["error"] = "；".join(exc.messages)
        else:
            context["thanks"] = True
            response = render(request, "fieldwork/public_survey.html", context)
            until = max(1, (announcement.cutoff - timezone.localdate()).days + 1)
            response.set_cookie(answered, "1", max_age=until * 86400, httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
            return response
    return remember_device(request, render(request, "fieldwork/public_survey.html", context))
