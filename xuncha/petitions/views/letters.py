"""Letters the team sends about a petition: the 转办函 of a referral, as a .docx download."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.documents import DOCX
from xuncha.core.downloads import download
from xuncha.core.roles import OFFICE_ROLES
from xuncha.petitions.exports import referral_letter_make
from xuncha.petitions.permissions import serves_on_petition_team
from xuncha.petitions.selectors import petition_get


@roles_required(*OFFICE_ROLES, also=serves_on_petition_team)
@require_GET
def referral_letter(request: AppRequest, pk: int) -> HttpResponse:
    """The 转办函 of a referred petition, for the assignment's team only; audit-logged."""
    petition = petition_get(user=request.user, pk=pk)
    if petition is None:
        raise Http404
    body = referral_letter_make(actor=request.user, petition=petition, request=request)
    if body is None:
        raise Http404
    return download(body, f"转办函（信访件{petition.number}）.docx", DOCX)
