"""The access chokepoint of findings: one predicate per object, shared by lists, details, documents and counts.

Problem leads (domain.md §4.7, §6.2, ADR 0023) form a compartment of their own: a lead is read by the
leader and the lead officer (线索岗) of its assignment's team (on the roster, with the 一次一授权), by the
office director (巡察办主任) of its committee, and after transfer by the body it was transferred to — and by
nobody else: not the rest of the office (counts only), not the inspected unit, not another team, not the
三员, not a receiving body it was not transferred to. A lead of high confidentiality is read on the team by
its leader alone (直报组长).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.core.permissions import Reach, committee_scope
from xuncha.core.roles import OFFICE_ROLES, THREE_ADMIN_ROLES, Role
from xuncha.findings.leads.choices import DIRECTOR, RECEIVER, TEAM, TEAM_LEADER, Confidentiality
from xuncha.findings.models import Lead, LeadTransfer
from xuncha.planning.choices import TeamPost, TeamRole
from xuncha.planning.models import Assignment, TeamMember
from xuncha.planning.permissions import team_capacities

LEAD_DIRECTOR_ROLES = frozenset({Role.OFFICE_DIRECTOR})
LEAD_RECEIVER_ROLES = frozenset({Role.DISCIPLINE_ORG, Role.ORG_DEPT})
LEAD_COUNT_ROLES = OFFICE_ROLES


# --- Problem leads ------------------------------------------------------------------------------------


def _no_business(user: Any) -> bool:
    return not getattr(user, "is_authenticated", False) or user.has_any_role(THREE_ADMIN_ROLES)


def lead_team_posts(user: Any) -> dict[int, str]:
    """Assignment id → "leader" or "officer": where this user acts as the team leader or the lead officer
    (线索岗) of the assignment's team, on the roster and authorised (planning.permissions.team_capacities)."""
    if _no_business(user):
        return {}
    if "_lead_team_posts" not in user.__dict__:
        found: dict[int, str] = {}
        for assignment_id, persons in team_capacities(user).items():
            members = TeamMember.objects.filter(team__assignments=assignment_id, person_id__in=persons)
            for role, held in members.values_list("role", "posts"):
                if role == TeamRole.LEADER:
                    found[assignment_id] = "leader"
                elif TeamPost.LEAD in (held or []):
                    found.setdefault(assignment_id, "officer")
        user.__dict__["_lead_team_posts"] = found
    posts: dict[int, str] = user.__dict__["_lead_team_posts"]
    return posts


def lead_director_committee_ids(user: Any) -> set[int]:
    """The committees whose office this user directs (the grant's own committee only)."""
    return set() if _no_business(user) else committee_scope(user, LEAD_DIRECTOR_ROLES, Reach.OWN)


def lead_receiver_scopes(user: Any) -> set[tuple[int, str]]:
    """(committee id, role) of the discipline commissions and organisation departments this user serves in."""
    if _no_business(user):
        return set()
    return {(g.committee_id, g.role) for g in user.active_grants() if g.role in LEAD_RECEIVER_ROLES and g.committee_id}


def _receiver_condition(user: Any, prefix: str) -> Q:
    condition = Q(pk__in=[])
    for committee_id, role in lead_receiver_scopes(user):
        condition |= Q(**{f"{prefix}receiver_committee_id": committee_id, f"{prefix}receiver_role": role})
    return condition


def leads_visible(user: Any) -> QuerySet[Lead]:
    """The one definition of who reads a lead: list, detail, letter, search and the inbox all start here."""
    if _no_business(user):
        return Lead.objects.none()
    posts = lead_team_posts(user)
    leader_of = [a for a, post in posts.items() if post == "leader"]
    officer_of = [a for a, post in posts.items() if post == "officer"]
    condition = Q(assignment_id__in=leader_of)
    condition |= Q(assignment_id__in=officer_of) & ~Q(confidentiality=Confidentiality.HIGH)
    condition |= Q(committee_id__in=lead_director_committee_ids(user))
    condition |= Q(transfer__in=LeadTransfer.objects.filter(_receiver_condition(user, "")).values("pk"))
    return Lead.objects.filter(condition)


def transfers_received(user: Any) -> QuerySet[LeadTransfer]:
    """The 移交 addressed to this user's discipline commission or organisation department (the inbox)."""
    if _no_business(user):
        return LeadTransfer.objects.none()
    return LeadTransfer.objects.filter(_receiver_condition(user, ""))


def lead_capacities(actor: Actor, lead: Lead) -> set[str]:
    """The capacities the actor holds on this lead (a system actor holds every one, named as itself)."""
    if is_system(actor):
        return {TEAM, TEAM_LEADER, DIRECTOR, RECEIVER}
    capacities: set[str] = set()
    post = lead_team_posts(actor).get(lead.assignment_id)
    if post == "leader":
        capacities |= {TEAM, TEAM_LEADER}
    elif post == "officer" and lead.confidentiality != Confidentiality.HIGH:
        capacities.add(TEAM)
    directs = lead.committee_id in lead_director_committee_ids(actor)
    if directs:
        capacities.add(DIRECTOR)
    transfer = lead.transfer
    if transfer is not None:
        if (transfer.receiver_committee_id, transfer.receiver_role) in lead_receiver_scopes(actor):
            capacities.add(RECEIVER)
        elif not transfer.receiver_role and directs:
            capacities.add(RECEIVER)  # a unit or a department outside the platform: the office records for it
    return capacities


def lead_read_check(actor: Actor, lead: Lead) -> None:
    """Refuse (in Chinese) anyone outside the lead's compartment, before anything of it is opened."""
    require_actor(actor)
    if is_system(actor):
        return
    if not leads_visible(actor).filter(pk=lead.pk).exists():
        raise PermissionDenied("问题线索仅限该巡察组组长、线索岗、巡察办主任和接收单位查阅。")


def lead_register_check(actor: Actor, assignment: Assignment, confidentiality: str) -> None:
    """The team leader or the lead officer of the assignment registers leads (a high one: the leader)."""
    require_actor(actor)
    if is_system(actor):
        return
    post = lead_team_posts(actor).get(assignment.pk)
    if post is None or (post == "officer" and confidentiality == Confidentiality.HIGH):
        raise PermissionDenied("问题线索由该巡察组组长或线索岗登记；密级高的线索由组长登记。")


def lead_capacity_check(actor: Actor, lead: Lead, needed: str, message: str) -> set[str]:
    """The actor's capacities on the lead, refused unless they include `needed` (checked before the state)."""
    require_actor(actor)
    capacities = lead_capacities(actor, lead)
    if needed not in capacities:
        raise PermissionDenied(message)
    return capacities


def lead_director_check(actor: Actor, committee_id: int) -> None:
    """Only the office director of the committee (or a system actor) decides, transfers and presses."""
    require_actor(actor)
    if not is_system(actor) and committee_id not in lead_director_committee_ids(actor):
        raise PermissionDenied("问题线索的处置决定、移交和督办由本级巡察办主任办理。")


def lead_receiver_check(actor: Actor, transfer: LeadTransfer) -> None:
    """The body a transfer was addressed to signs for it (a unit or department: the office director)."""
    require_actor(actor)
    if is_system(actor):
        return
    if transfer.receiver_role:
        allowed = (transfer.receiver_committee_id, transfer.receiver_role) in lead_receiver_scopes(actor)
    else:
        allowed = transfer.committee_id in lead_director_committee_ids(actor)
    if not allowed:
        raise PermissionDenied("只有接收单位可以签收移交的问题线索。")


def lead_count_committee_ids(user: Any) -> set[int]:
    """Committees whose lead figures (counts only, never content) this user may read: the offices, own and below."""
    return set() if _no_business(user) else committee_scope(user, LEAD_COUNT_ROLES, Reach.OWN_AND_BELOW)


def serves_on_leads(user: Any) -> bool:
    """Access capacity for the team's lead pages: the leader or lead officer of some assignment's team."""
    return bool(lead_team_posts(user))
