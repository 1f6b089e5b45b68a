from typing import Any

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One append-only audit record; `hash` covers its content and the previous record's hash.

    Sensitive values never go in here: `summary` and `data` name objects and actions,
    not petition text or reporter identity.
    """

    seq = models.PositiveBigIntegerField("序号", unique=True)
    occurred_at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        # DO_NOTHING: a hashed row must never be rewritten by a cascade.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField("操作人名称", max_length=150, blank=True)
    action = models.CharField("动作", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=80, blank=True)
    object_id = models.CharField("对象标识", max_length=64, blank=True)
    committee_id = models.BigIntegerField("所属党委", null=True, blank=True, db_index=True)
    summary = models.CharField("摘要", max_length=300, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Append-only: a stored event is never saved again."""
        if not self._state.adding:
            raise ValueError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("审计日志只能追加，不能删除。")


class AuditChainHead(models.Model):
    """Single row holding the chain's tip; locked while appending so that writers queue up."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="auditchainhead_singleton")]

    def __str__(self) -> str:
        return f"链尾 #{self.last_seq}"
