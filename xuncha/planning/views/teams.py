"""Teams of a round: composition, members, and automatic formation."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.orgs.models import Person
from xuncha.planning import selectors
from xuncha.planning.choices import RunStatus
from xuncha.planning.forms import FormationForm, TeamMemberForm
from xuncha.planning.models import PoolMember, Round, Team
from xuncha.planning.permissions import can_manage, manage_check, reads_as_office, serves_team
from xuncha.planning.recusal import recusal_conflicts
from xuncha.planning.services.formation import formation_apply, formation_request
from xuncha.planning.services.teams import team_create, team_member_add, team_member_remove
from xuncha.planning.tasks import formation_run
from xuncha.planning.views.access import OFFICE, READERS, TEAM, get_or_404
from xuncha.planning.views.form_text import error_text


def _team(request: AppRequest, pk: int) -> Team:
    team = get_or_404(lambda: Team.objects.select_related("round__committee").get(pk=pk))
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=team.round_id))
    if not (reads_as_office(request.user, round_) or serves_team(request.user, team)):
        raise Http404
    return team


@roles_required(*READERS, also=TEAM)
@require_http_methods(["GET", "POST"])
def team_detail(request: AppRequest, pk: int) -> HttpResponse:
    """A team: members with roles and posts, its assignments, recusal findings; the office edits it."""
    team = _team(request, pk)
    manage = can_manage(request.user, team.round.committee_id)
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST":
        manage_check(request.user, team.round.committee_id, "只有本级巡察办可以调整巡察组人员。")
        if form.is_valid():
            person = Person.objects.filter(person_code=form.cleaned_data["person_code"].strip()).first()
            if person is None:
                form.add_error("person_code", "找不到该人员编号。")
            else:
                try:
                    team_member_add(
                        actor=request.user,
                        team=team,
                        person=person,
                        role=form.cleaned_data["role"],
                        posts=form.cleaned_data["posts"],
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    return redirect("planning:team_detail", team.pk)
    members = selectors.team_members(team)
    assignments = list(team.assignments.select_related("organization", "round__committee"))
    conflicts = []
    if reads_as_office(request.user, team.round) and assignments:
        role_of = {m.person_id: m.role for m in members}
        names = {a.pk: a.organization.name for a in assignments}
        conflicts = [
            (c, names[c.assignment_id])
            for c in recusal_conflicts(assignments, role_of)
            if c.binds(role_of[c.person_id])
        ]
    context = {
        "team": team,
        "members": members,
        "assignments": assignments,
        "conflicts": conflicts,
        "form": form,
        "manage": manage,
        "names": {m.person_id: m.person.name for m in members},
    }
    return render(request, "planning/team_detail.html", context)


@roles_required(*OFFICE)
@require_POST
def team_member_remove_view(request: AppRequest, pk: int, member_pk: int) -> HttpResponse:
    team = _team(request, pk)
    manage_check(request.user, team.round.committee_id, "只有本级巡察办可以调整巡察组人员。")
    member = get_or_404(lambda: team.members.get(pk=member_pk))
    try:
        team_member_remove(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("planning:team_detail", team.pk)


@roles_required(*OFFICE)
@require_POST
def team_create_view(request: AppRequest, pk: int) -> HttpResponse:
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    manage_check(request.user, round_.committee_id, "只有本级巡察办可以成立巡察组。")
    team = team_create(actor=request.user, round_=round_)
    return redirect("planning:team_detail", team.pk)


def parse_options(round_: Round, data: dict[str, Any]) -> dict[str, Any]:
    """Turn the formation form's text areas into ids; errors name the field and line."""
    errors = []

    def lines(field: str) -> list[tuple[int, str]]:
        return [
            (n, line.strip()) for n, line in enumerate((data.get(field) or "").splitlines(), start=1) if line.strip()
        ]

    pool = PoolMember.objects.filter(committee_id=round_.committee_id)

    def person(text: str, where: str) -> int | None:
        """A person of the round's committee's pools, by number or by name (a name shared by two: by number)."""
        by_code = Person.objects.filter(person_code=text).values_list("pk", flat=True).first()
        if by_code is not None:
            return by_code
        named = list(pool.filter(person__name=text).values_list("person_id", flat=True).distinct())
        if len(named) > 1:
            errors.append(f"{where}：库内有 {len(named)} 人名为“{text}”，请改写人员编号。")
            return None
        if not named:
            errors.append(f"{where}：组长库、人才库中没有“{text}”。")
            return None
        return named[0]

    def team_index(text: str, where: str) -> int | None:
        if not text.isdigit() or not 1 <= int(text) <= data["team_count"]:
            errors.append(f"{where}：组序号应为 1—{data['team_count']} 的整数。")
            return None
        return int(text) - 1

    options: dict[str, Any] = {
        "team_count": data["team_count"],
        "time_limit": data.get("time_limit") or 10,
        "pinned_people": {},
        "pinned_leaders": {},
        "pinned_slots": {},
        "excluded": [],
    }
    for field, label in [("pinned_people", "固定人员"), ("pinned_leaders", "指定组长"), ("pinned_slots", "固定任务")]:
        for n, line in lines(field):
            where = f"{label}第 {n} 行"
            left, sep, right = line.replace("＝", "=").partition("=")
            if not sep:
                errors.append(f"{where}：格式应为“…=…”。")
                continue
            left, right = left.strip(), right.strip()
            if field == "pinned_people":
                p, t = person(left, where), team_index(right, where)
                if p is not None and t is not None:
                    options[field][str(p)] = t
            elif field == "pinned_leaders":
                t, p = team_index(left, where), person(right, where)
                if p is not None and t is not None:
                    options[field][str(t)] = p
            else:
                unit = Q(organization__org_code=left) | Q(organization__name=left) | Q(organization__short_name=left)
                assignment = round_.assignments.filter(unit).first()
                t = team_index(right, where)
                if assignment is None:
                    errors.append(f"{where}：本轮没有名称或编码为“{left}”的单位。")
                elif t is not None:
                    options[field][str(assignment.pk)] = t
    for n, line in lines("excluded"):
        p = person(line, f"不参加本轮的人员第 {n} 行")
        if p is not None:
            options["excluded"].append(p)
    if errors:
        raise ValidationError(errors)
    return options


@roles_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def formation(request: AppRequest, pk: int) -> HttpResponse:
    """Automatic formation: set pins and exclusions, queue a run, review and adopt the proposal."""
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    manage_check(request.user, round_.committee_id, "只有本级巡察办可以组建巡察组。")
    form = FormationForm(request.POST or None, initial={"team_count": round_.teams.count() or 1})
    if request.method == "POST" and form.is_valid():
        try:
            options = parse_options(round_, form.cleaned_data)
            run = formation_request(actor=request.user, round_=round_, options=options)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            formation_run.enqueue(run.pk)
            return redirect("planning:formation_run", round_.pk, run.pk)
    runs = round_.formation_runs.all()[:10]
    return render(request, "planning/formation.html", {"round": round_, "form": form, "runs": runs})


@roles_required(*OFFICE)
def formation_run_view(request: AppRequest, pk: int, run_pk: int) -> HttpResponse:
    """A run's status and proposal; htmx polls it while the solver works."""
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    manage_check(request.user, round_.committee_id, "只有本级巡察办可以组建巡察组。")
    run = get_or_404(lambda: round_.formation_runs.get(pk=run_pk))
    proposed = {p for t in run.proposal.get("teams", []) for p in t["members"]}
    names = dict(Person.objects.filter(pk__in=proposed).values_list("id", "name"))
    orgs = dict(round_.assignments.values_list("id", "organization__name"))
    teams = [
        {
            **t,
            "leader_name": names.get(t["leader"], ""),
            "deputy_names": [names.get(p, "") for p in t["deputies"]],
            "member_names": [names.get(p, "") for p in t["members"] if p != t["leader"] and p not in t["deputies"]],
            "assignment_names": [orgs.get(a, "") for a in t["assignments"]],
        }
        for t in run.proposal.get("teams", [])
    ]
    context = {
        "round": round_,
        "run": run,
        "teams": teams,
        "pending": run.status in {RunStatus.QUEUED, RunStatus.RUNNING},
    }
    template = "planning/formation_run.html#status" if request.htmx else "planning/formation_run.html"
    return render(request, template, context)


@roles_required(*OFFICE)
@require_POST
def formation_apply_view(request: AppRequest, pk: int, run_pk: int) -> HttpResponse:
    round_ = get_or_404(lambda: selectors.round_get(user=request.user, pk=pk))
    manage_check(request.user, round_.committee_id, "只有本级巡察办可以组建巡察组。")
    run = get_or_404(lambda: round_.formation_runs.get(pk=run_pk))
    try:
        teams = formation_apply(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("planning:formation_run", round_.pk, run.pk)
    messages.success(request, f"已采用方案，成立 {len(teams)} 个巡察组；可在各组页面继续调整。")
    return redirect("planning:round_detail", round_.pk)
