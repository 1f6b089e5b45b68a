"""Pools, teams and their members, and recusal declarations."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_choices
from xuncha.core.models import Committee
from xuncha.orgs.models import Person
from xuncha.planning.choices import (
    AssignmentState,
    DeclarationResult,
    DeclarationSource,
    PoolKind,
    TeamPost,
    TeamRole,
)
from xuncha.planning.formation import team_name
from xuncha.planning.models import Assignment, Authorization, ConflictDeclaration, PoolMember, Round, Team, TeamMember
from xuncha.planning.permissions import decide_check, manage_check
from xuncha.planning.recusal import RULES

LOCKED_STATES = frozenset(
    s for s in AssignmentState.values if s not in {AssignmentState.PLANNED, AssignmentState.PREPARING}
)


FINISHED = frozenset({AssignmentState.CLOSED, AssignmentState.CANCELLED})


@transaction.atomic
def pool_member_save(
    *,
    actor: Actor,
    committee: Committee,
    person: Person,
    kind: str,
    skills: list[str],
    available: bool = True,
    unavailable_from: date | None = None,
    unavailable_to: date | None = None,
    recommended_by: str = "",
    vetted_on: date | None = None,
    evaluation: str = "",
    note: str = "",
) -> PoolMember:
    """Add a person to the committee's 组长库 or 人才库, or update their entry (its account: services.pools)."""
    manage_check(actor, committee.pk, "只有本级巡察办可以维护人才库。")
    if kind not in PoolKind.values:
        raise ValidationError("请选择入库类别。")
    unknown = set(skills) - {code for code, _ in code_choices("skills", committee=committee)}
    if unknown:
        raise ValidationError(f"未知的专业特长：{'、'.join(sorted(unknown))}。")
    if unavailable_from and unavailable_to and unavailable_to < unavailable_from:
        raise ValidationError("不可调用期间的结束日期不能早于开始日期。")
    values = {
        "kind": kind,
        "skills": sorted(set(skills)),
        "available": available,
        "unavailable_from": unavailable_from,
        "unavailable_to": unavailable_to,
        "recommended_by": recommended_by,
        "vetted_on": vetted_on,
        "evaluation": evaluation,
        "note": note,
    }
    member, created = PoolMember.objects.update_or_create(
        committee=committee, person=person, defaults=values, create_defaults={**values, "created_by": account_of(actor)}
    )
    audit_record(
        action="planning.pool_add" if created else "planning.pool_update",
        actor=actor,
        target=member,
        committee_id=committee.id,
        summary=f"{person.name}{'入' if created else '更新'}{PoolKind(kind).label}",
    )
    return member


@transaction.atomic
def team_create(*, actor: Actor, round_: Round, seq: int | None = None, name: str = "") -> Team:
    """Add a team (第N巡察组) to a round."""
    manage_check(actor, round_.committee_id, "只有本级巡察办可以成立巡察组。")
    seq = seq or (max(round_.teams.values_list("seq", flat=True), default=0) + 1)
    activity = round_.committee.activity_name
    if round_.teams.filter(seq=seq).exists():
        raise ValidationError(f"本轮已有{team_name(seq, activity)}。")
    team = Team.objects.create(
        round=round_, seq=seq, name=name.strip() or team_name(seq, activity), created_by=account_of(actor)
    )
    audit_record(
        action="planning.team_create",
        actor=actor,
        target=team,
        committee_id=round_.committee_id,
        summary=f"{round_.name}：成立{team.name}",
    )
    return team


def _team_unlocked(team: Team) -> None:
    started = team.assignments.filter(state__in=LOCKED_STATES).first()
    if started is not None:
        raise ValidationError(f"{team.name}承担的{started.organization.name}巡察已印发通知，人员调整须先撤回通知。")


def default_posts(skills: list[str], role: str) -> list[str]:
    """Posts suggested from skills: 财务/审计 → 财务审计岗, 组织 → 党建组织岗, 信访 → 信访岗, else 谈话外调岗."""
    posts = []
    if {"finance", "audit"} & set(skills):
        posts.append(TeamPost.FINANCE_AUDIT)
    if "organization" in skills:
        posts.append(TeamPost.PARTY_ORG)
    if "petition" in skills:
        posts.append(TeamPost.PETITION)
    if role == TeamRole.LIAISON:
        posts.append(TeamPost.GENERAL)
    return [str(p) for p in posts] or [str(TeamPost.TALK)]


@transaction.atomic
def team_member_add(
    *, actor: Actor, team: Team, person: Person, role: str, posts: list[str] | None = None
) -> TeamMember:
    """Put a pool member on a team (or change their role and posts)."""
    manage_check(actor, team.round.committee_id, "只有本级巡察办可以调整巡察组人员。")
    _team_unlocked(team)
    if role not in TeamRole.values:
        raise ValidationError("请选择职务。")
    chain = [int(pk) for pk in team.round.committee.path.strip("/").split("/") if pk]
    entry = PoolMember.objects.filter(person=person, committee_id__in=chain).first()
    if entry is None:
        raise ValidationError(f"{person.name}不在组长库或人才库中。")
    if role == TeamRole.LEADER and entry.kind != PoolKind.LEADER:
        raise ValidationError(f"{person.name}不在组长库中，不能担任组长。")
    if role == TeamRole.LEADER and team.members.filter(role=TeamRole.LEADER).exclude(person=person).exists():
        raise ValidationError(f"{team.name}已有组长；请先调整原组长的职务。")
    elsewhere = TeamMember.objects.filter(team__round=team.round, person=person).exclude(team=team).first()
    if elsewhere is not None:
        raise ValidationError(f"{person.name}已编入本轮{elsewhere.team.name}。")
    unknown = set(posts or []) - set(TeamPost.values)
    if unknown:
        raise ValidationError("岗位不正确。")
    values = {"role": role, "posts": posts or default_posts(entry.skills, role)}
    member, created = TeamMember.objects.update_or_create(
        team=team, person=person, defaults=values, create_defaults={**values, "created_by": account_of(actor)}
    )
    audit_record(
        action="planning.team_member_add" if created else "planning.team_member_update",
        actor=actor,
        target=member,
        committee_id=team.round.committee_id,
        summary=f"{team.name}：{person.name}任{TeamRole(role).label}",
    )
    return member


@transaction.atomic
def team_member_remove(*, actor: Actor, member: TeamMember) -> None:
    """Take someone off a team before its notices go out."""
    manage_check(actor, member.team.round.committee_id, "只有本级巡察办可以调整巡察组人员。")
    _team_unlocked(member.team)
    audit_record(
        action="planning.team_member_remove",
        actor=actor,
        target=member,
        committee_id=member.team.round.committee_id,
        summary=f"{member.team.name}：调出{member.person.name}",
    )
    # Off the team, off its assignments' authorisations (一次一授权 is for the roster it was given to).
    Authorization.objects.filter(assignment__team=member.team, person=member.person).delete()
    member.delete()


@transaction.atomic
def declaration_create(
    *, actor: Actor, assignment: Assignment, person: Person, source: str, reason: str, rule: str = ""
) -> ConflictDeclaration:
    """Record a recusal declaration (本人申报), a unit's request, or a detected conflict to be decided."""
    manage_check(actor, assignment.round.committee_id, "只有本级巡察办可以登记回避申报。")
    if assignment.state in FINISHED:
        raise ValidationError(f"巡察任务{assignment.get_state_display()}，不再登记回避申报。")
    if source not in DeclarationSource.values:
        raise ValidationError("请选择申报来源。")
    if not reason.strip():
        raise ValidationError("请写明回避事由。")
    if rule and rule not in RULES:
        raise ValidationError("未知的回避规则。")
    declaration = ConflictDeclaration.objects.create(
        assignment=assignment,
        person=person,
        source=source,
        reason=reason.strip(),
        rule=rule,
        created_by=account_of(actor),
    )
    audit_record(
        action="planning.declaration_create",
        actor=actor,
        target=declaration,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：{person.name}回避申报（{DeclarationSource(source).label}）",
    )
    return declaration


@transaction.atomic
def declaration_decide(
    *, actor: Actor, declaration: ConflictDeclaration, result: str, note: str
) -> ConflictDeclaration:
    """Decide a declaration; the approver and the opinion are recorded (a waiver needs a reason)."""
    decide_check(actor, declaration.assignment.round.committee_id)
    if result not in {DeclarationResult.NO_CONFLICT, DeclarationResult.RECUSED, DeclarationResult.WAIVED}:
        raise ValidationError("请选择处理结果。")
    if declaration.result != DeclarationResult.PENDING:
        raise ValidationError("该申报已处理。")
    if result == DeclarationResult.WAIVED and not note.strip():
        raise ValidationError("不予回避须写明理由。")
    if result == DeclarationResult.WAIVED and not declaration.rule:
        raise ValidationError("只有系统比对发现的回避情形可以批准不予回避；本人申报请选择“回避”或“无需回避”。")
    declaration.result = result
    declaration.decision_note = note.strip()
    declaration.decided_by = account_of(actor)
    declaration.decided_at = timezone.now()
    declaration.save(update_fields=["result", "decision_note", "decided_by", "decided_at", "updated_at"])
    audit_record(
        action="planning.declaration_decide",
        actor=actor,
        target=declaration,
        committee_id=declaration.assignment.round.committee_id,
        summary=f"{declaration.person.name}回避申报：{DeclarationResult(result).label}",
    )
    return declaration
