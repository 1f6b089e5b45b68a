"""Which platform account signs in for a pool entry's person: linked and unlinked only here (ADR 0014)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from xuncha.accounts.models import User
from xuncha.core.audit import audit_record
from xuncha.core.roles import THREE_ADMIN_ROLES
from xuncha.planning.models import PoolMember
from xuncha.planning.permissions import manages_pool


def _name(value: str) -> str:
    """A name as compared: without any whitespace (“张 伟” and “张伟” are one name)."""
    return "".join(value.split())


def _forget_capacities(user: User) -> None:
    user.__dict__.pop("_pool_person_ids", None)
    user.__dict__.pop("_team_capacities", None)


def _authorise(actor: User, member: PoolMember, user: User) -> None:
    if not manages_pool(actor, member.committee):
        raise PermissionDenied("只有该库所属党委或上级党委的巡察办可以关联或解除平台账号。")
    if actor.pk == user.pk:
        raise PermissionDenied("不能为本人账号关联或解除库内人员，请由巡察办其他同志办理。")


@transaction.atomic
def pool_member_link_user(*, actor: User, member: PoolMember, user: User) -> PoolMember:
    """Link `user` as the account through which `member`'s person signs in.

    The matching rule: the account must belong to that person, which the data model shows as
    (1) the account's full name (姓名, set when the account is opened) equals the person's name,
    whitespace ignored; (2) the account is linked to no other person in any pool; (3) the person is
    linked to no other account in any pool — one person, one account. Further: the actor is the
    office of the pool's committee or of one above it and never the account's own holder, and the
    account is active and holds no 三员 role. Homonyms remain possible, so the office checks the
    person before linking; the rules stop an account being linked to somebody it plainly is not."""
    member = PoolMember.objects.select_for_update(of=("self",)).select_related("person", "committee").get(pk=member.pk)
    user = User.objects.select_for_update().get(pk=user.pk)
    _authorise(actor, member, user)
    if user.has_any_role(THREE_ADMIN_ROLES):
        raise ValidationError("三员（系统管理员、安全保密管理员、安全审计员）账号不得关联库内人员。")
    if not user.is_active:
        raise ValidationError("该账号已停用，不能关联。")
    person = member.person
    if _name(user.full_name) != _name(person.name):
        raise ValidationError(f"账号姓名“{user.full_name}”与库内人员“{person.name}”不一致，不能关联。")
    other = PoolMember.objects.filter(user=user).exclude(person=person).select_related("person").first()
    if other is not None:
        raise ValidationError(f"该账号已关联库内人员{other.person.name}，一个账号只能属于一人。")
    if PoolMember.objects.filter(person=person, user__isnull=False).exclude(user=user).exists():
        raise ValidationError(f"{person.name}已关联其他平台账号，请先解除原关联。")
    if member.user_id == user.pk:
        return member
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    _forget_capacities(user)
    audit_record(
        action="planning.pool_link_user",
        actor=actor,
        target=member,
        committee_id=member.committee_id,
        summary=f"{person.name}关联平台账号{user.username}",
    )
    return member


@transaction.atomic
def pool_member_unlink_user(*, actor: User, member: PoolMember) -> PoolMember:
    """Take the account off a pool entry (by the office of the pool's committee, not by the holder)."""
    member = (
        PoolMember.objects.select_for_update(of=("self",))
        .select_related("person", "committee", "user")
        .get(pk=member.pk)
    )
    user = member.user
    if user is None:
        raise ValidationError("该人员尚未关联平台账号。")
    _authorise(actor, member, user)
    member.user = None
    member.save(update_fields=["user", "updated_at"])
    _forget_capacities(user)
    audit_record(
        action="planning.pool_unlink_user",
        actor=actor,
        target=member,
        committee_id=member.committee_id,
        summary=f"{member.person.name}解除平台账号{user.username}",
    )
    return member
