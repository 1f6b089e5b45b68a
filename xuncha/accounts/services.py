"""Writes of the accounts app: users, role grants, sign-in with lock-out, TOTP."""

import secrets
from datetime import timedelta
from functools import cache
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from xuncha.accounts import lockout
from xuncha.accounts.models import RoleGrant, User
from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.capabilities import second_factor_reasons
from xuncha.core.models import Committee
from xuncha.core.permissions import role_check, system_check
from xuncha.core.roles import COMMITTEE_ROLES, ORGANIZATION_ROLES, SECOND_FACTOR_ROLES, THREE_ADMIN_ROLES, Role
from xuncha.core.totp_keys import TotpSecretUnavailable, open_totp_secret, seal_totp_secret

SYS_ADMIN_ONLY = frozenset({Role.SYS_ADMIN})
SEC_ADMIN_ONLY = frozenset({Role.SEC_ADMIN})
TOTP_ISSUER = "巡察工作平台"
GENERIC_LOGIN_ERROR = "用户名或密码不正确。"
PAUSED_LOGIN_ERROR = "登录失败次数过多，本地址已暂停登录该账号，请稍后再试或联系系统管理员。"
TOTP_LOCKED_ERROR = "账号因多次动态口令验证失败已被临时锁定，请稍后再试或联系系统管理员。"


def _forget_cached_grants(user: User) -> None:
    user.__dict__.pop("_grants", None)
    user.__dict__.pop("_committee_scope", None)


@transaction.atomic
def user_create(
    *, actor: Actor, username: str, full_name: str, password: str, phone: str = "", is_active: bool = True
) -> User:
    """Create an account; the password must satisfy the password rules."""
    role_check(actor, SYS_ADMIN_ONLY, "只有系统管理员可以创建账号。")
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"用户名“{username}”已被使用。")
    user = User(username=username, full_name=full_name.strip(), phone=phone.strip(), is_active=is_active)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(action="accounts.user_create", actor=actor, target=user, summary=f"创建用户 {user.username}")
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str) -> None:
    """The owner replaces their own password (administrators reset through accounts.resets instead,
    so that no administrator can choose a password and sign in as someone else)."""
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied("只能修改本人的密码；他人的密码须通过重置申请办理。")
    password_validation.validate_password(password, user)
    if user.must_change_password and user.check_password(password):
        raise ValidationError("新密码不能与临时密码或重置前的密码相同。")
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(action="accounts.password_set", actor=user, target=user, summary=f"{user.username} 修改本人密码")


@transaction.atomic
def user_unlock(*, actor: Actor, user: User) -> None:
    """Lift a lock-out before it expires: the TOTP lock and every address's pause on this name."""
    role_check(actor, SYS_ADMIN_ONLY, "只有系统管理员可以解除账号锁定。")
    lockout.forget(user.username)
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(action="accounts.unlock", actor=actor, target=user, summary=f"解除用户 {user.username} 的锁定")


@transaction.atomic
def user_set_active(*, actor: Actor, user: User, active: bool) -> None:
    """Enable or disable an account (accounts are never deleted: the audit trail names them)."""
    role_check(actor, SYS_ADMIN_ONLY, "只有系统管理员可以启用或停用账号。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        action="accounts.activate" if active else "accounts.deactivate",
        actor=actor,
        target=user,
        summary=f"{'启用' if active else '停用'}用户 {user.username}",
    )


@transaction.atomic
def role_grant_add(
    *, actor: Actor, user: User, role: str, committee: Committee | None = None, organization: Any = None
) -> RoleGrant:
    """Grant a role; committee roles need a committee, unit roles an organisation, 三员 neither.

    A holder of one of the 三员 roles may hold no other role at all (separation of duties).
    """
    role_check(actor, SEC_ADMIN_ONLY, "只有安全保密管理员可以授予角色。")
    if role not in Role.values:
        raise ValidationError("未知角色。")
    label = Role(role).label
    if role in COMMITTEE_ROLES and (committee is None or organization is not None):
        raise ValidationError(f"“{label}”须指定所属派出党委。")
    if role in ORGANIZATION_ROLES:
        if organization is None:
            raise ValidationError(f"“{label}”须指定所在单位。")
        committee = organization.managed_by
    if role in THREE_ADMIN_ROLES and (committee is not None or organization is not None):
        raise ValidationError(f"“{label}”是系统级角色，不指定党委或单位。")
    held = {g.role for g in user.role_grants.all()}
    if role in THREE_ADMIN_ROLES and held - {role}:
        raise ValidationError("“三员”角色不得与其他任何角色兼任。")
    if role not in THREE_ADMIN_ROLES and held & THREE_ADMIN_ROLES:
        raise ValidationError("该用户担任“三员”角色，不得兼任业务角色。")
    if RoleGrant.objects.filter(user=user, role=role, committee=committee, organization=organization).exists():
        raise ValidationError("该授权已存在。")
    grant = RoleGrant.objects.create(
        user=user, role=role, committee=committee, organization=organization, created_by=account_of(actor)
    )
    _forget_cached_grants(user)
    audit_record(
        action="accounts.grant_add",
        actor=actor,
        target=grant,
        committee_id=committee.pk if committee else None,
        summary=f"授予 {user.username} {grant}",
        data={"user": user.pk, "role": role},
    )
    return grant


@transaction.atomic
def role_grant_revoke(*, actor: Actor, grant: RoleGrant) -> None:
    """Withdraw a role grant."""
    role_check(actor, SEC_ADMIN_ONLY, "只有安全保密管理员可以撤销角色。")
    user = grant.user
    audit_record(
        action="accounts.grant_revoke",
        actor=actor,
        target=grant,
        committee_id=grant.committee_id,
        summary=f"撤销 {user.username} {grant}",
        data={"user": user.pk, "role": grant.role},
    )
    grant.delete()
    _forget_cached_grants(user)


def requires_second_factor(user: User) -> bool:
    """Office roles, the 三员 and anyone a registered capacity rule names (a team leader, a petition
    officer: they may reveal reporters) must pass TOTP at every sign-in."""
    return bool(user.role_codes & SECOND_FACTOR_ROLES) or bool(second_factor_reasons(user))


def _record_totp_failure(user: User, *, request: HttpRequest | None) -> str:
    """Count a wrong TOTP code (committed though the caller then refuses); lock the account at the limit.

    Only someone holding the password reaches this step, so a hard lock here cannot be a stranger's doing."""
    max_failures, minutes = lockout.policy()
    with transaction.atomic():
        locked_user = User.objects.select_for_update().get(pk=user.pk)
        locked_user.failed_logins += 1
        locked = locked_user.failed_logins >= max_failures
        if locked:
            locked_user.locked_until = timezone.now() + timedelta(minutes=minutes)
            locked_user.failed_logins = 0
        locked_user.save(update_fields=["failed_logins", "locked_until"])
        audit_record(
            action="accounts.lockout" if locked else "accounts.totp_failed",
            target=user,
            summary=f"{user.username} 动态口令错误" + ("，账号已锁定" if locked else ""),
            request=request,
        )
    if locked:
        return f"连续 {max_failures} 次动态口令验证失败，账号已锁定 {minutes} 分钟。"
    return ""


@cache
def _dummy_hash(hashers: tuple[str, ...]) -> str:
    """A hash made with the configured hasher, checked when the name is unknown: the same work either way."""
    return make_password(secrets.token_urlsafe(16))


def login_check_password(*, username: str, password: str, request: HttpRequest | None = None) -> User:
    """First step of sign-in: the password. Names that do not exist cost the same hash work, are counted
    the same way and get the same messages; wrong passwords pause the (name, client address) pair, not the
    account (see accounts.lockout).

    Raises ValidationError with a message safe to show (it does not tell whether the user exists).
    """
    lockout.slow_down(username)
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is not None:
        matched = user.check_password(password)
    else:
        check_password(password, _dummy_hash(tuple(settings.PASSWORD_HASHERS)))
        matched = False
    if lockout.pair_locked(username, request):
        audit_record(
            action="accounts.login_locked",
            target=user,
            summary=(f"{user.username} " if user else "未知用户名") + "暂停期内再次尝试登录",
            request=request,
        )
        raise ValidationError(PAUSED_LOGIN_ERROR)
    if not matched or user is None or not user.is_active:
        paused = lockout.record_failure(username, request)
        audit_record(
            action="accounts.lockout" if paused else "accounts.login_failed",
            target=user,
            summary=(f"{user.username} 登录失败" if user else "未知用户名登录失败")
            + ("，本地址暂停登录该账号" if paused else ""),
            request=request,
        )
        if paused:
            max_failures, minutes = lockout.policy()
            raise ValidationError(f"连续 {max_failures} 次登录失败，本地址已暂停登录该账号 {minutes} 分钟。")
        raise ValidationError(GENERIC_LOGIN_ERROR)
    lockout.record_success(username, request)
    if user.is_locked:  # told only to someone who has just given the right password
        audit_record(
            action="accounts.login_locked", target=user, summary=f"{user.username} 锁定期内尝试登录", request=request
        )
        raise ValidationError(TOTP_LOCKED_ERROR)
    return user


@transaction.atomic
def login_succeeded(*, user: User, request: HttpRequest | None = None) -> None:
    """Record a completed sign-in and clear the failure counter."""
    user.failed_logins = 0
    user.last_login = timezone.now()
    user.save(update_fields=["failed_logins", "last_login"])
    audit_record(action="accounts.login", actor=user, target=user, summary=f"{user.username} 登录", request=request)


def totp_new_secret() -> str:
    """A fresh base32 TOTP secret for enrolment."""
    return pyotp.random_base32()


def totp_current_code(user: User) -> str:
    """The code an enrolled user's authenticator shows now (the demo prints it on the page)."""
    return pyotp.TOTP(open_totp_secret(user.pk, user.totp_secret)).now()


def totp_uri(user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def _totp_step(secret: str, code: str) -> int | None:
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    code = code.strip().replace(" ", "")
    for offset in (0, -1, 1):
        at = now + timedelta(seconds=30 * offset)
        if totp.at(at) == code:
            return int(at.timestamp()) // 30
    return None


@transaction.atomic
def totp_enrol(*, user: User, secret: str, code: str, request: HttpRequest | None = None) -> None:
    """Bind an authenticator: the first code proves the user holds the secret."""
    step = _totp_step(secret, code)
    if step is None:
        raise ValidationError("动态口令不正确，请核对手机验证器上显示的 6 位数字。")
    user.totp_secret = seal_totp_secret(user.pk, secret)
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit_record(
        action="accounts.totp_enrol", actor=user, target=user, summary=f"{user.username} 绑定动态口令", request=request
    )


def totp_verify(*, user: User, code: str, request: HttpRequest | None = None) -> None:
    """Check a sign-in code; a code is accepted once only, and failures count towards lock-out."""
    if user.is_locked:
        raise ValidationError(TOTP_LOCKED_ERROR)
    with transaction.atomic():
        fresh = User.objects.select_for_update().get(pk=user.pk)
        try:
            step = _totp_step(open_totp_secret(fresh.pk, fresh.totp_secret), code)
        except TotpSecretUnavailable:
            step = None  # another key (a copied database) or a tampered row: no code is accepted
        accepted = step is not None and step > fresh.totp_last_step
        if accepted and step is not None:
            fresh.totp_last_step = step
            fresh.save(update_fields=["totp_last_step"])
    if not accepted:
        locked_message = _record_totp_failure(user, request=request)
        raise ValidationError(locked_message or "动态口令不正确或已使用过，请输入验证器上的最新口令。")


@transaction.atomic
def totp_bind_known_secret(*, actor: Actor, user: User, secret: str) -> None:
    """Bind a secret known in advance, without a code: the demo loader and tests only (no page calls it)."""
    system_check(actor, "动态口令只能由本人扫码绑定。")
    user.totp_secret = seal_totp_secret(user.pk, secret)
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = 0
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit_record(action="accounts.totp_enrol", actor=actor, target=user, summary=f"{user.username} 预置动态口令")
