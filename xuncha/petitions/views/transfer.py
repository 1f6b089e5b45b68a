"""The one-way transfer in the shell: the intake node exports a bundle, the internal system imports it.

Only the office administrator (巡察办管理员) moves bundles. Nothing here opens a petition: the
bundle is sealed to the internal key and the import verifies it before anything is written.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.roles import Role
from xuncha.petitions.bundles import bundle_export, bundle_import, bundle_pending
from xuncha.petitions.models import ImportedBundle

MAX_BUNDLE = 512 * 1024 * 1024


@roles_required(Role.OFFICE_ADMIN)
@require_http_methods(["GET", "POST"])
def transfer(request: AppRequest) -> HttpResponse:
    """On the intake node: what waits and an export; on the internal side: import and the history."""
    intake = settings.NODE == "intake"
    if request.method == "POST" and intake:
        try:
            data, _ = bundle_export(actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("petitions:transfer")
        response = HttpResponse(data, content_type="application/octet-stream")
        name = f"xuncha-{timezone.localtime():%Y%m%d-%H%M%S}.xcb"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if request.method == "POST":
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
    context: dict[str, object] = {"intake": intake}
    if intake:
        context["waiting"] = bundle_pending()
    else:
        context["history"] = ImportedBundle.objects.order_by("-imported_at")[:50]
    return render(request, "petitions/transfer.html", context)
