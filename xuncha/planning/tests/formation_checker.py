"""An independent checker of a formed round: every constraint re-verified from the stored rows,
without the solver and without the recusal engine."""

from datetime import date, timedelta

from django.db.models import Q

from xuncha.core.params import param_value
from xuncha.orgs.models import Position, Relationship
from xuncha.planning.models import Assignment, PoolMember, Round, TeamMember


def _overlap(a: Assignment, b: Assignment) -> bool:
    return a.planned_entry <= b.onsite_end and b.planned_entry <= a.onsite_end


def _county_path(path: str, levels: dict[str, str]) -> str | None:
    parts = [p for p in path.strip("/").split("/") if p]
    for i in range(len(parts), 0, -1):
        prefix = "/" + "/".join(parts[:i]) + "/"
        if levels.get(prefix) == "county":
            return prefix
    return None


def check_round(round_: Round, pins: dict | None = None) -> list[str]:
    """Return every violated constraint, in words (empty when the formation is sound)."""
    from xuncha.orgs.models import Organization

    pins = pins or {}
    problems = []
    size = param_value("team_size", committee=round_.committee)
    required = param_value("team_required_skills", committee=round_.committee)
    pool = {m.person_id: m for m in PoolMember.objects.filter(committee=round_.committee)}
    levels = dict(Organization.objects.values_list("path", "level"))
    assignments = list(round_.assignments.select_related("organization", "team"))
    seen: dict[int, int] = {}
    for team in round_.teams.all():
        members = list(TeamMember.objects.filter(team=team))
        mine = [a for a in assignments if a.team_id == team.pk]
        leaders = [m for m in members if m.role == "leader"]
        deputies = [m for m in members if m.role == "deputy"]
        if len(leaders) != 1 or pool[leaders[0].person_id].kind != "leader":
            problems.append(f"{team.name}: leader")
        if not 1 <= len(deputies) <= size["deputies_max"]:
            problems.append(f"{team.name}: deputies")
        if not size["min"] <= len(members) <= size["max"]:
            problems.append(f"{team.name}: size {len(members)}")
        for group in required:
            if not any(set(pool[m.person_id].skills) & set(group) for m in members):
                problems.append(f"{team.name}: skill {group}")
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                if _overlap(a, b):
                    problems.append(f"{team.name}: overlapping {a.organization.org_code}/{b.organization.org_code}")
        for m in members:
            if m.person_id in seen:
                problems.append(f"person {m.person_id} on two teams")
            seen[m.person_id] = team.pk
            entry = pool[m.person_id]
            for a in mine:
                start, end = a.planned_entry, a.onsite_end
                if not entry.available or (
                    entry.unavailable_from
                    and entry.unavailable_from <= end
                    and (entry.unavailable_to or date.max) >= start
                ):
                    problems.append(f"person {m.person_id} unavailable for {a.organization.org_code}")
                lookback = start - timedelta(days=365 * 3 + 1)
                target = a.organization.path
                worked = Position.objects.filter(person_id=m.person_id, organization__path__startswith=target).filter(
                    Q(end_date__isnull=True) | Q(end_date__gte=lookback)
                )
                if worked.exists():
                    problems.append(f"person {m.person_id} worked in {a.organization.org_code}")
                staff = Position.objects.filter(organization__path__startswith=target, end_date__isnull=True).values(
                    "person_id"
                )
                relatives = Relationship.objects.filter(kind__in=["spouse", "direct_blood"]).filter(
                    Q(person_a_id=m.person_id, person_b_id__in=staff)
                    | Q(person_b_id=m.person_id, person_a_id__in=staff)
                )
                if relatives.exists():
                    problems.append(f"person {m.person_id} related to staff of {a.organization.org_code}")
                if "cross" in a.flags:
                    county = _county_path(target, levels)
                    here = Position.objects.filter(
                        person_id=m.person_id, end_date__isnull=True, organization__path__startswith=county or "-"
                    )
                    if here.exists():
                        problems.append(f"person {m.person_id} from the same county as {a.organization.org_code}")
                if m.role == "leader":
                    last = (
                        Assignment.objects.filter(organization=a.organization, planned_entry__lt=a.planned_entry)
                        .exclude(round=round_)
                        .order_by("-planned_entry")
                        .first()
                    )
                    if last and last.team and last.team.members.filter(role="leader", person_id=m.person_id).exists():
                        problems.append(f"leader {m.person_id} led the last inspection of {a.organization.org_code}")
                others = Assignment.objects.filter(team__members__person_id=m.person_id).exclude(round=round_)
                if any(_overlap(a, o) for o in others):
                    problems.append(f"person {m.person_id} busy elsewhere during {a.organization.org_code}")
    for a in assignments:
        if a.team_id is None:
            problems.append(f"{a.organization.org_code} has no team")
    for person_id, seq in pins.get("people", {}).items():
        if TeamMember.objects.filter(person_id=person_id, team__round=round_, team__seq=seq).count() != 1:
            problems.append(f"pin of person {person_id} ignored")
    return problems
