"""The public channel: the announcement page with the report form, and the receipt-code status page.

No log-in, nothing from outside, mobile first. The receipt code travels only in POST bodies,
never in a URL, so it cannot end up in access logs or browser history.
"""

import time

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.views.decorators.http import require_http_methods

from xuncha.core.access import AppRequest, public
from xuncha.core.throttle import allow, allow_lookup, refund, remember_device
from xuncha.core.uploads import check_uploads
from xuncha.fieldwork.announcements import intake_state_now
from xuncha.fieldwork.models import Announcement
from xuncha.fieldwork.selectors import announcement_by_token
from xuncha.petitions.forms import ReceiptForm, ReportForm, valid_data
from xuncha.petitions.intake.receipts import receipt_hash
from xuncha.petitions.intake.services import petition_by_receipt, petition_submit, reporter_add
from xuncha.petitions.selectors import reporter_status

TOO_MANY = "提交过于频繁，请过几分钟再试。"
IDENTITY_KEYS = ("name", "phone", "unit", "address")


RECEIPT_SECONDS = 30.0


def _announcement(token: str) -> Announcement:
    announcement = announcement_by_token(token)
    if announcement is None:
        raise Http404
    return announcement


_RECEIPTS: dict[int, tuple[float, str]] = {}
_CODE, _NUMBER = "\x00code\x00", "\x00number\x00"


def _receipt_page(announcement: Announcement, code: str, number: str) -> str:
    """The receipt page: the same for every report of an announcement but for the code and number,
    so each process renders it once a while and fills those in (escaped)."""
    now = time.monotonic()
    hit = _RECEIPTS.get(announcement.pk)
    if hit is None or hit[0] < now:
        page = render_to_string("petitions/public_receipt.html", {"a": announcement, "code": _CODE, "number": _NUMBER})
        if len(_RECEIPTS) > 1000:
            _RECEIPTS.clear()
        hit = _RECEIPTS[announcement.pk] = (now + RECEIPT_SECONDS, page)
    return hit[1].replace(_CODE, escape(code)).replace(_NUMBER, escape(number))


@public
@require_http_methods(["GET", "POST"])
def report(request: AppRequest, token: str) -> HttpResponse:
    """The announcement and the report form (named or anonymous)."""
    announcement = _announcement(token)
    open_, closed_reason = intake_state_now(announcement)
    context: dict[str, object] = {"a": announcement, "open": open_, "closed_reason": closed_reason}
    error: ValidationError | None = None
    if request.method == "POST" and open_:
        data = valid_data(ReportForm, request.POST)
        # Counted in advance (one round trip); a reporter whose form comes back with an error is not.
        if not allow(request, "attempt", *(("submit",) if data is not None else ())):
            if data is not None:
                refund(request, "submit")
            context.update(error=TOO_MANY, form=ReportForm(request.POST))
            return _no_store(render(request, "petitions/public_report.html", context, status=429))
        if data is not None and data["anonymous"] and any(data[k].strip() for k in IDENTITY_KEYS):
            # Nothing typed is dropped in silence: the reporter chooses, and the fields are shown to do so.
            refund(request, "submit")
            context["identity_conflict"] = True
            error = ValidationError(
                "您选择了“匿名反映”，但实名信息栏中填写了内容。如需实名反映，请选择“实名反映”；"
                "如坚持匿名，请清空实名信息栏后再提交（匿名反映不保存任何个人信息）。"
            )
        elif data is not None:
            identity = None if data["anonymous"] else {k: data[k] for k in IDENTITY_KEYS}
            try:
                files = check_uploads(request.FILES.getlist("attachments"))
                petition, code = petition_submit(
                    announcement=announcement, content=data, identity=identity, attachments=files
                )
            except ValidationError as exc:
                refund(request, "submit")
                error = exc
            else:
                return _no_store(HttpResponse(_receipt_page(announcement, code, petition.number)))
    form = ReportForm(request.POST or None)
    if error is not None:
        form.add_error(None, error)
    elif request.method == "POST":
        form.is_valid()  # shows each field's error
    context["form"] = form
    # A re-shown form may hold a name and a phone number.
    return _no_store(remember_device(request, render(request, "petitions/public_report.html", context)))


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@public
@require_http_methods(["GET", "POST"])
def status(request: AppRequest) -> HttpResponse:
    """With the receipt code: the status, the team's replies, and a form to add information."""
    form = ReceiptForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST":
        # The code is looked up first (one indexed query) so that only a wrong one spends the device's
        # and the address's budget; a right one spends its own (throttle.allow_lookup, ADR 0010).
        code = form.cleaned_data["code"] if form.is_valid() else ""
        petition = petition_by_receipt(code) if code else None
        if not allow_lookup(request, "receipt", receipt_hash(code), found=petition is not None):
            context["error"] = TOO_MANY
            return _no_store(render(request, "petitions/public_status.html", context, status=429))
        if form.is_valid():
            if petition is None:
                context["error"] = "查询码不正确。请核对后重新输入（查询码不区分大小写）。"
            else:
                addition = form.cleaned_data.get("addition", "").strip()
                if addition:
                    if not allow(request, "add"):
                        context["error"] = TOO_MANY
                    else:
                        try:
                            reporter_add(petition=petition, text=addition)
                        except ValidationError as exc:
                            context["error"] = "；".join(exc.messages)
                        else:
                            context["added"] = True
                context.update(petition=petition, code=form.cleaned_data["code"])
                context.update(reporter_status(petition, form.cleaned_data["code"]))
    return _no_store(remember_device(request, render(request, "petitions/public_status.html", context)))
