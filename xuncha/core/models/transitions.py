from django.conf import settings
from django.db import models


class StateChange(models.Model):
    """One move of a status field made through the transition engine: what, who, when, and whether a
    reason was given (the reason itself is kept here only for machines whose reasons are not confidential)."""

    machine = models.CharField("状态机", max_length=60)
    object_id = models.BigIntegerField("对象")
    transition = models.CharField("操作", max_length=40)
    from_state = models.CharField("原状态", max_length=40)
    to_state = models.CharField("新状态", max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("操作人（记录时）", max_length=120, blank=True)
    reason = models.TextField("理由", blank=True)
    reason_given = models.BooleanField("已说明理由", default=False)
    effective_on = models.DateField("生效日期")
    occurred_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["machine", "object_id"], name="statechange_object")]

    def __str__(self) -> str:
        return f"{self.machine}#{self.object_id} {self.from_state}→{self.to_state}"
