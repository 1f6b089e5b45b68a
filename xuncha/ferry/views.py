"""The transfer in the shell: the intake node exports numbered bundles (and makes a lost one again),
the internal system imports them and names the numbers it is still missing; where the deployment
allows it, reporters' views go back the other way (replies.py).

Only the office administrator (巡察办管理员) moves bundles. Nothing here opens a petition: the
bundle is sealed to the internal key and the import verifies it before anything is written.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.downloads import download
from xuncha.core.roles import Role
from xuncha.ferry.bundles import (
    bundle_export,
    bundle_import,
    bundle_pending,
    bundle_reexport,
    bundles_missing,
)
from xuncha.ferry.models import ExportedBundle, ImportedBundle, ReplyExport
from xuncha.ferry.replies import reply_export, reply_import, reply_pending

MAX_BUNDLE = 512 * 1024 * 1024


def _download(data: bytes, seq: int) -> HttpResponse:
    return download(data, f"xuncha-{seq:06d}-{timezone.localtime():%Y%m%d-%H%M%S}.xcb")


def _export(request: AppRequest) -> HttpResponse:
    if request.POST.get("action") == "replies":
        return _upload(request, _apply_replies)
    try:
        if request.POST.get("seq"):
            data, record = bundle_reexport(seq=int(request.POST["seq"]), actor=request.user)
            return _download(data, record.seq)
        data, transfer = bundle_export(actor=request.user)
    except ValueError:
        messages.error(request, "数据包序号不正确。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except IntegrityError:
        messages.error(request, "另一次导出正在进行，请稍后重试。")
    else:
        return _download(data, transfer.seq or 0)
    return redirect("ferry:transfer")


def _upload(request: AppRequest, apply: Callable[[AppRequest, bytes], None]) -> HttpResponse:
    upload = request.FILES.get("bundle")
    if upload is None:
        messages.error(request, "请选择要导入的数据包文件。")
    elif upload.size is not None and upload.size > MAX_BUNDLE:
        messages.error(request, f"数据包过大（不超过 {MAX_BUNDLE // 1024 // 1024} MB），请分批导出。")
    else:
        try:
            apply(request, upload.read())
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("ferry:transfer")


def _apply_bundle(request: AppRequest, data: bytes) -> None:
    got = bundle_import(data, actor=request.user)
    if got.total:
        messages.success(request, f"已导入数据包：{got.counts()}。")
    else:
        messages.info(request, "该数据包已导入过，未重复导入。")


def _apply_replies(request: AppRequest, data: bytes) -> None:
    published, applied, seq = reply_import(data, actor=request.user)
    messages.success(
        request, f"已导入回传数据包第 {seq} 号：发布公告 {published} 份，更新 {applied} 件信访件的办理情况。"
    )


def _internal(request: AppRequest) -> HttpResponse:
    if request.POST.get("action") != "reply_export":
        return _upload(request, _apply_bundle)
    try:
        data, record = reply_export(
            actor=request.user, full=bool(request.POST.get("full")), views=not request.POST.get("announcements_only")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("ferry:transfer")
    return download(data, f"xuncha-replies-{record.seq:06d}.xcr")


@roles_required(Role.OFFICE_ADMIN)
@require_http_methods(["GET", "POST"])
@csrf_exempt  # checked by _transfer, once the upload handlers are set (Django's documented order)
def transfer(request: AppRequest) -> HttpResponse:
    """On the intake node: what waits, an export, and the numbered exports to make again; on the
    internal side: import, the history and the numbers still missing."""
    # Bundles are sealed: unlike a reporter's files they may wait on disk while a large one uploads.
    request.upload_handlers = [TemporaryFileUploadHandler(request)]
    return _transfer(request)


@csrf_protect
def _transfer(request: AppRequest) -> HttpResponse:
    intake = settings.NODE == "intake"
    if request.method == "POST":
        return _export(request) if intake else _internal(request)
    context: dict[str, object] = {"intake": intake}
    if intake:
        context.update(
            waiting=bundle_pending(),
            exports=ExportedBundle.objects.select_related("exported_by")[:50],
            replies_on=bool(settings.REPLY_VERIFY_KEY),
        )
    else:
        context.update(
            history=ImportedBundle.objects.order_by("-imported_at")[:50],
            missing=bundles_missing(),
            replies_on=bool(settings.REPLY_SIGNING_KEY_FILE),
            replies_waiting=reply_pending() if settings.REPLY_SIGNING_KEY_FILE else (0, 0),
            reply_exports=ReplyExport.objects.select_related("exported_by")[:20],
        )
    response = render(request, "ferry/transfer.html", context)
    response["Cache-Control"] = "no-store"
    return response
