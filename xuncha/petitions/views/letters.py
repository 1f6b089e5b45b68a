"""Letters the team sends about a petition: the 转办函 of a referral, as a .docx download."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.audit import audit_record
from xuncha.core.documents import DOCX
from xuncha.core.downloads import download
from xuncha.core.roles import OFFICE_ROLES
from xuncha.petitions.models import Referral
from xuncha.petitions.permissions import is_on_team, serves_on_petition_team
from xuncha.petitions.referral_letter import referral_letter_docx
from xuncha.petitions.selectors import petition_get


@roles_required(*OFFICE_ROLES, also=serves_on_petition_team)
@require_GET
def referral_letter(request: AppRequest, pk: int) -> HttpResponse:
    """The 转办函 of a referred petition, for the assignment's team only; audit-logged."""
    petition = petition_get(user=request.user, pk=pk)
    if petition is None:
        raise Http404
    # The office reads petitions masked; writing to a receiver on the team's behalf is not its part.
    if not is_on_team(request.user, petition):
        return render(
            request, "core/forbidden.html", {"message": "只有承担该巡察任务的巡察组可以生成转办函。"}, status=403
        )
    referral = Referral.objects.filter(petition=petition).first()
    if referral is None:
        raise Http404
    referral.petition = petition
    body = referral_letter_docx(referral, request.user)
    audit_record(
        action="petitions.referral_letter",
        actor=request.user,
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"生成信访件 {petition.number} 的转办函（{referral.letter_no}）",
        request=request,
    )
    return download(body, f"转办函（信访件{petition.number}）.docx", DOCX)
