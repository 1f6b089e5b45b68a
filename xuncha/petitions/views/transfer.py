"""The one-way transfer in the shell: the intake node exports numbered bundles (and makes a lost one
again), the internal system imports them and names the numbers it is still missing.

Only the office administrator (巡察办管理员) moves bundles. Nothing here opens a petition: the
bundle is sealed to the internal key and the import verifies it before anything is written.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.roles import Role
from xuncha.petitions.bundles import (
    bundle_export,
    bundle_import,
    bundle_pending,
    bundle_reexport,
    bundles_missing,
)
from xuncha.petitions.models import ExportedBundle, ImportedBundle

MAX_BUNDLE = 512 * 1024 * 1024


def _download(data: bytes, seq: int) -> HttpResponse:
    response = HttpResponse(data, content_type="application/octet-stream")
    name = f"xuncha-{seq:06d}-{timezone.localtime():%Y%m%d-%H%M%S}.xcb"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _export(request: AppRequest) -> HttpResponse:
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
    return redirect("petitions:transfer")


def _import(request: AppRequest) -> HttpResponse:
    upload = request.FILES.get("bundle")
    if upload is None:
        messages.error(request, "请选择要导入的数据包文件（.xcb）。")
    elif upload.size is not None and upload.size > MAX_BUNDLE:
        messages.error(request, f"数据包过大（不超过 {MAX_BUNDLE // 1024 // 1024} MB），请在受理节点分批导出。")
    else:
        try:
            got = bundle_import(upload.read(), actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            if got.total:
                messages.success(request, f"已导入数据包：{got.counts()}。")
            else:
                messages.info(request, "该数据包已导入过，未重复导入。")
    return redirect("petitions:transfer")


@roles_required(Role.OFFICE_ADMIN)
@require_http_methods(["GET", "POST"])
def transfer(request: AppRequest) -> HttpResponse:
    """On the intake node: what waits, an export, and the numbered exports to make again; on the
    internal side: import, the history and the numbers still missing."""
    intake = settings.NODE == "intake"
    if request.method == "POST":
        return _export(request) if intake else _import(request)
    context: dict[str, object] = {"intake": intake}
    if intake:
        context.update(waiting=bundle_pending(), exports=ExportedBundle.objects.select_related("exported_by")[:50])
    else:
        context.update(history=ImportedBundle.objects.order_by("-imported_at")[:50], missing=bundles_missing())
    response = render(request, "petitions/transfer.html", context)
    response["Cache-Control"] = "no-store"
    return response
