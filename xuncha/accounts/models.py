from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from xuncha.core.models import BaseModel, Committee
from xuncha.core.roles import Role
from xuncha.orgs.models import Organization


class User(AbstractUser):
    """A person who signs in: staff of an office, a team, a unit or a department."""

    full_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("办公电话", max_length=30, blank=True)
    # Failed TOTP codes (only someone holding the password reaches that step); wrong passwords are counted
    # per client address in SignInFailures, so that a stranger cannot lock the owner out.
    failed_logins = models.PositiveSmallIntegerField("连续动态口令验证失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    # Sealed with the key outside the database (xuncha.core.totp_keys), bound to this user's id.
    totp_secret = models.CharField("动态口令密钥（密文）", max_length=128, blank=True)
    totp_confirmed_at = models.DateTimeField("动态口令绑定时间", null=True, blank=True)
    totp_last_step = models.BigIntegerField("最近使用的口令时间步", default=0)
    # Set by a credential reset: the owner chooses a new password (and enrols TOTP anew where a second
    # factor is required) before the sign-in completes.
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    credentials_reset_at = models.DateTimeField("凭据重置时间", null=True, blank=True)

    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def active_grants(self) -> list["RoleGrant"]:
        """The user's role grants, fetched once per request."""
        return self._grants

    @cached_property
    def _grants(self) -> list["RoleGrant"]:
        return list(self.role_grants.select_related("committee", "organization"))

    def has_any_role(self, roles: Any) -> bool:
        """True when the user holds at least one of `roles` anywhere."""
        wanted = {str(r) for r in roles}
        return any(g.role in wanted for g in self.active_grants())

    @property
    def role_codes(self) -> set[str]:
        return {g.role for g in self.active_grants()}


class RoleGrant(BaseModel):
    """One role held by a user, for a committee (committee roles) or an organisation (unit roles)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    committee = models.ForeignKey(
        Committee, verbose_name="派出党委", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"],
                condition=models.Q(organization__isnull=False),
                name="rolegrant_unique_org",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "committee"],
                condition=models.Q(organization__isnull=True, committee__isnull=False),
                name="rolegrant_unique_committee",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(organization__isnull=True, committee__isnull=True),
                name="rolegrant_unique_system",
            ),
        ]

    def __str__(self) -> str:
        where = self.organization or self.committee
        return f"{self.get_role_display()}（{where}）" if where else self.get_role_display()


class ResetKind(models.TextChoices):
    PASSWORD = "password", "重设密码"
    TOTP = "totp", "重置动态口令"


class ResetStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准并执行"
    REJECTED = "rejected", "已驳回"
    EXPIRED = "expired", "已过期"
    APPLIED = "applied", "已直接执行"


class CredentialReset(BaseModel):
    """A system administrator's request to reset an account's password or TOTP (created_by is the
    requester); an account that may reveal reporters waits for the security administrator's approval."""

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.PROTECT, related_name="credential_resets")
    kind = models.CharField("类型", max_length=10, choices=ResetKind.choices)
    reason = models.CharField("事由", max_length=200)
    needs_approval = models.BooleanField("须安全保密管理员审批")
    status = models.CharField("状态", max_length=10, choices=ResetStatus.choices, default=ResetStatus.PENDING)
    expires_at = models.DateTimeField("申请有效期至")
    decided_by = models.ForeignKey(
        User, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = "凭据重置申请"
        verbose_name_plural = "凭据重置申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="credential_reset_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.user}"

    @property
    def is_expired(self) -> bool:
        return self.status == ResetStatus.PENDING and self.expires_at <= timezone.now()


class SignInFailures(models.Model):
    """Wrong passwords counted per (user name, client address), and per user name alone (address ""),
    under keyed hashes: the same for names that exist and names that do not, and never the typed name
    itself (people sometimes type their password into it)."""

    account = models.CharField("用户名（密钥散列）", max_length=32, db_index=True)
    address = models.CharField("客户端地址（密钥散列）", max_length=32, blank=True)
    failures = models.PositiveIntegerField("失败次数", default=0)
    window_start = models.DateTimeField("计数起始时间")
    locked_until = models.DateTimeField("暂停至", null=True, blank=True)

    class Meta:
        verbose_name = "登录失败计数"
        verbose_name_plural = "登录失败计数"
        constraints = [models.UniqueConstraint(fields=["account", "address"], name="signin_failures_unique")]

    def __str__(self) -> str:
        return f"{self.account[:8]}/{self.address[:8] or '*'}: {self.failures}"
