"""组长库 and 人才库: members with skills, availability and service history."""

from typing import cast

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import ChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from xuncha.accounts.models import User
from xuncha.core.access import AppRequest, roles_required
from xuncha.core.codetables import code_choices
from xuncha.core.models import Committee
from xuncha.core.roles import OFFICE_ROLES
from xuncha.orgs.models import Person
from xuncha.planning import selectors
from xuncha.planning.choices import PoolKind
from xuncha.planning.forms import PoolAccountForm, PoolMemberForm
from xuncha.planning.models import PoolMember, TeamMember
from xuncha.planning.permissions import can_manage, manages_pool, own_committee_ids
from xuncha.planning.services.pools import pool_member_link_user, pool_member_unlink_user
from xuncha.planning.services.teams import pool_member_save
from xuncha.planning.views.access import OFFICE, POOL_READERS, get_or_404
from xuncha.planning.views.form_text import committee_choices


@roles_required(*POOL_READERS)
def pool_list(request: AppRequest) -> HttpResponse:
    """Pool members with filters by pool, skill, availability and name."""
    kind, skill, available, q = (request.GET.get(k, "").strip() for k in ("kind", "skill", "available", "q"))
    qs = selectors.pool_list(user=request.user, kind=kind, skill=skill, available=available, query=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    # The filter offers the skills of the user's highest committee; each row uses its own committee's labels.
    top = (
        Committee.objects.filter(id__in=own_committee_ids(request.user, frozenset(POOL_READERS)))
        .order_by("path")
        .first()
    )
    skills = dict(code_choices("skills", committee=top))
    labels: dict[int, dict[str, str]] = {}
    for m in page:
        if m.committee_id not in labels:
            labels[m.committee_id] = dict(code_choices("skills", committee=m.committee))
    served = _served([m.person_id for m in page])
    context = {
        "page": page,
        "rows": [(m, [labels[m.committee_id].get(s, s) for s in m.skills], served.get(m.person_id, 0)) for m in page],
        "kind": kind,
        "skill": skill,
        "available": available,
        "q": q,
        "kinds": PoolKind.choices,
        "skills": skills.items(),
        "can_edit": bool(own_committee_ids(request.user, frozenset(OFFICE_ROLES))),
    }
    template = "planning/pool_list.html#results" if request.htmx else "planning/pool_list.html"
    return render(request, template, context)


def _served(person_ids: list[int]) -> dict[int, int]:
    from django.db.models import Count

    return dict(
        TeamMember.objects.filter(person_id__in=person_ids)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )


@roles_required(*POOL_READERS)
def pool_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One member: skills, availability, and service history (teams and units)."""
    member = get_or_404(lambda: selectors.pool_list(user=request.user).get(pk=pk))
    history = (
        TeamMember.objects.filter(person=member.person)
        .select_related("team__round")
        .prefetch_related("team__assignments__organization")
    )
    skills = dict(code_choices("skills", committee=member.committee))
    context = {
        "member": member,
        "skills": [skills.get(s, s) for s in member.skills],
        "history": history,
        "positions": member.person.positions.select_related("organization"),
        "can_edit": can_manage(request.user, member.committee_id),
        "can_link": manages_pool(request.user, member.committee),
    }
    return render(request, "planning/pool_detail.html", context)


@roles_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def pool_edit(request: AppRequest, pk: int | None = None) -> HttpResponse:
    """Add someone to a pool, or update an entry."""
    committees = Committee.objects.filter(id__in=own_committee_ids(request.user, frozenset(OFFICE)))
    member = None
    initial = {}
    if pk is not None:
        member = get_or_404(lambda: PoolMember.objects.filter(committee__in=committees).get(pk=pk))
        initial = {
            "person_code": member.person.person_code,
            "committee": member.committee_id,
            "kind": member.kind,
            "skills": member.skills,
            "available": member.available,
            "unavailable_from": member.unavailable_from,
            "unavailable_to": member.unavailable_to,
            "recommended_by": member.recommended_by,
            "vetted_on": member.vetted_on,
            "evaluation": member.evaluation,
            "note": member.note,
        }
    form = PoolMemberForm(request.POST or None, initial=initial)
    cast(ChoiceField, form.fields["committee"]).choices = committee_choices(committees)
    owner = member.committee if member is not None else committees.order_by("path").first()
    cast(ChoiceField, form.fields["skills"]).choices = code_choices("skills", committee=owner)
    if member is not None:
        form.fields["person_code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.filter(person_code=data["person_code"].strip()).first()
        if person is None:
            form.add_error("person_code", "找不到该人员编号；请先在“人员与班子”中登记。")
        if not form.errors and person is not None:
            try:
                saved = pool_member_save(
                    actor=request.user,
                    committee=committees.get(pk=data["committee"]),
                    person=person,
                    kind=data["kind"],
                    skills=data["skills"],
                    available=data["available"],
                    unavailable_from=data["unavailable_from"],
                    unavailable_to=data["unavailable_to"],
                    recommended_by=data["recommended_by"],
                    vetted_on=data["vetted_on"],
                    evaluation=data["evaluation"],
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("planning:pool_detail", saved.pk)
    return render(request, "planning/form.html", {"form": form, "title": "修改库内人员" if member else "人员入库"})


@roles_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def pool_account(request: AppRequest, pk: int) -> HttpResponse:
    """Link the person's own platform account to a pool entry, or unlink it (ADR 0014)."""
    member = get_or_404(lambda: selectors.pool_list(user=request.user).select_related("user").get(pk=pk))
    if not manages_pool(request.user, member.committee):
        raise Http404
    form = PoolAccountForm(request.POST or None, initial={"username": member.user.username if member.user else ""})
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first() if username else None
        if username and user is None:
            form.add_error("username", "找不到该账号。")
        else:
            try:
                if user is not None:
                    pool_member_link_user(actor=request.user, member=member, user=user)
                elif member.user_id is not None:
                    pool_member_unlink_user(actor=request.user, member=member)
            except ValidationError as exc:
                form.add_error(None, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
            else:
                return redirect("planning:pool_detail", member.pk)
    title = f"{member.person.name}：关联平台账号"
    return render(request, "planning/form.html", {"form": form, "title": title})
