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
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    totp_secret = models.CharField("动态口令密钥", max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField("动态口令绑定时间", null=True, blank=True)
    totp_last_step = models.BigIntegerField("最近使用的口令时间步", default=0)

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
