"""Credential resets by two people (docs/adr/0012).

The system administrator files a reset of an account's password or TOTP. An account that may reveal a
reporter or read leads (a "sensitive" one: whoever must pass a second factor, by role grant or by a
registered capacity such as team leader) waits for the security administrator's approval, and only then
is the temporary password made, shown once to the approver: neither administrator alone can sign in as
the owner. Any other account is reset at once. Either way the owner must choose a new password (and
enrol TOTP anew where a second factor is required) at the next sign-in.
"""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from xuncha.accounts.models import CredentialReset, ResetKind, ResetStatus, User
from xuncha.accounts.services import requires_second_factor
from xuncha.core.actors import SystemActor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.roles import Role
from xuncha.core.transitions import Machine, Transition, transition_perform

REQUEST_LIFETIME = timedelta(hours=24)
# No 0/O, 1/l/I: the approver reads it out or writes it down for the owner.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def account_is_sensitive(user: User) -> bool:
    """An account that may reveal reporters or read leads: its reset needs two people."""
    return requires_second_factor(user)


def _temporary_password() -> str:
    groups = ["".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4)]
    return "-".join(groups)


def _apply(reset: CredentialReset) -> str:
    """Reset the owner's credentials; returns the temporary password ("" for a TOTP reset)."""
    user = User.objects.select_for_update().get(pk=reset.user_id)
    temporary = ""
    if reset.kind == ResetKind.PASSWORD:
        temporary = _temporary_password()
        user.set_password(temporary)
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = 0
    user.must_change_password = True
    user.credentials_reset_at = timezone.now()
    # A lock from wrong codes belonged to the authenticator that is now gone.
    user.failed_logins = 0
    user.locked_until = None
    user.save(
        update_fields=[
            "failed_logins",
            "locked_until",
            "password",
            "totp_secret",
            "totp_confirmed_at",
            "totp_last_step",
            "must_change_password",
            "credentials_reset_at",
        ]
    )
    return temporary


EXPIRY = SystemActor("重置申请到期")

# A request's moves, on the one transition engine (ADR 0005). The services audit with the request
# (client address), so the machine records the `StateChange` only.
RESET_MACHINE = Machine(
    name="accounts.credential_reset",
    field_name="status",
    states=ResetStatus,
    transitions=[
        Transition("approve", "批准重置", (ResetStatus.PENDING,), ResetStatus.APPROVED, actors=(Role.SEC_ADMIN,)),
        Transition("reject", "驳回重置", (ResetStatus.PENDING,), ResetStatus.REJECTED, actors=(Role.SEC_ADMIN,)),
        Transition("expire", "到期失效", (ResetStatus.PENDING,), ResetStatus.EXPIRED, actors=("expiry",)),
    ],
    capacity_labels={Role.SEC_ADMIN: "安全保密管理员", "expiry": "系统"},
    describe=lambda reset: "该申请",
)


def _move(
    reset: CredentialReset, code: str, *, actor: User | SystemActor, update_fields: list[str] | None = None
) -> None:
    capacities: set[str] = set()
    if actor is EXPIRY:
        capacities = {"expiry"}
    elif isinstance(actor, User) and actor.has_any_role({Role.SEC_ADMIN}):
        capacities = {str(Role.SEC_ADMIN)}
    transition_perform(
        RESET_MACHINE, reset, code, actor=actor, capacities=capacities, update_fields=update_fields or ()
    )


def _expire_stale(user: User) -> None:
    for stale in CredentialReset.objects.select_for_update().filter(
        user=user, status=ResetStatus.PENDING, expires_at__lte=timezone.now()
    ):
        _move(stale, "expire", actor=EXPIRY)
        audit_record(action="accounts.reset_expire", target=stale, summary=f"{stale}：申请已过期")


@transaction.atomic
def credential_reset_request(
    *, actor: User, user: User, kind: str, reason: str, request: HttpRequest | None = None
) -> tuple[CredentialReset, str]:
    """The system administrator files a reset. A sensitive account's request waits for approval (no
    password is made yet); any other is applied at once and its temporary password returned."""
    if not actor.has_any_role({Role.SYS_ADMIN}):
        raise PermissionDenied("只有系统管理员可以申请重置账号凭据。")
    if actor.pk == user.pk:
        raise ValidationError("不能重置自己的账号，请在“修改密码”中更改。")
    if kind not in ResetKind.values:
        raise ValidationError("请选择重置类型。")
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写重置事由。")
    _expire_stale(user)
    if CredentialReset.objects.filter(user=user, status=ResetStatus.PENDING).exists():
        raise ValidationError("该账号已有待审批的重置申请。")
    sensitive = account_is_sensitive(user)
    reset = CredentialReset.objects.create(
        user=user,
        kind=kind,
        reason=reason,
        needs_approval=sensitive,
        status=ResetStatus.PENDING if sensitive else ResetStatus.APPLIED,
        expires_at=timezone.now() + REQUEST_LIFETIME,
        created_by=account_of(actor),
    )
    temporary = "" if sensitive else _apply(reset)
    audit_record(
        action="accounts.reset_request" if sensitive else "accounts.reset_apply",
        actor=actor,
        target=reset,
        summary=f"申请{reset}（事由：{reason}）" + ("，待安全保密管理员审批" if sensitive else "，已直接执行"),
        data={"user": user.pk, "kind": kind},
        request=request,
    )
    return reset, temporary


def _decide(*, actor: User, reset: CredentialReset, code: str) -> CredentialReset:
    """Authorise the approver, lock the request and record the decision (inside the caller's transaction)."""
    if not actor.has_any_role({Role.SEC_ADMIN}):
        raise PermissionDenied("只有安全保密管理员可以审批重置申请。")
    locked = CredentialReset.objects.select_for_update().get(pk=reset.pk)
    if actor.pk in {locked.user_id, locked.created_by_id}:
        raise ValidationError("申请人和账号本人不能审批该申请。")
    if locked.is_expired:
        # Left pending here (this transaction is rolled back); the next request for the account expires it.
        raise ValidationError("该申请已超过 24 小时有效期，请系统管理员重新申请。")
    locked.decided_by = account_of(actor)
    locked.decided_at = timezone.now()
    _move(locked, code, actor=actor, update_fields=["decided_by", "decided_at"])
    return locked


@transaction.atomic
def credential_reset_approve(*, actor: User, reset: CredentialReset, request: HttpRequest | None = None) -> str:
    """The security administrator approves: the reset is applied and its temporary password returned
    (to be shown once, to the approver only; "" for a TOTP reset)."""
    locked = _decide(actor=actor, reset=reset, code="approve")
    temporary = _apply(locked)
    audit_record(
        action="accounts.reset_approve",
        actor=actor,
        target=locked,
        summary=f"批准{locked}",
        data={"user": locked.user_id, "kind": locked.kind},
        request=request,
    )
    return temporary


@transaction.atomic
def credential_reset_reject(*, actor: User, reset: CredentialReset, request: HttpRequest | None = None) -> None:
    """The security administrator rejects: the account stays as it is."""
    locked = _decide(actor=actor, reset=reset, code="reject")
    audit_record(
        action="accounts.reset_reject",
        actor=actor,
        target=locked,
        summary=f"驳回{locked}",
        data={"user": locked.user_id, "kind": locked.kind},
        request=request,
    )
