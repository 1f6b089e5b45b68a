from django.db import models

from xuncha.core.models.base import BaseModel
from xuncha.core.models.committee import Committee


class ParamType(models.TextChoices):
    INT = "int", "整数"
    TEXT = "text", "文本"
    JSON = "json", "结构化"


class ConfigParam(BaseModel):
    """A configurable rule (domain.md §11) with its national default (changed only from the top, ADR 0016)."""

    key = models.CharField("参数标识", max_length=80, unique=True)
    label = models.CharField("名称", max_length=100)
    value_type = models.CharField("类型", max_length=10, choices=ParamType.choices)
    default = models.JSONField("默认值")
    unit = models.CharField("单位", max_length=20, blank=True)
    min_value = models.IntegerField("最小值", null=True, blank=True)
    max_value = models.IntegerField("最大值", null=True, blank=True)
    description = models.TextField("说明", blank=True)
    national_only = models.BooleanField(
        "仅全国统一",
        default=False,
        help_text="是：不按党委单独设置（如登录锁定），只能由最高一级巡察办管理员修改默认值",
    )

    class Meta:
        verbose_name = "配置参数"
        verbose_name_plural = "配置参数"
        ordering = ["key"]

    def __str__(self) -> str:
        return self.label


class ConfigValue(BaseModel):
    """A committee's own value for a parameter; lower committees inherit from higher ones."""

    param = models.ForeignKey(ConfigParam, on_delete=models.CASCADE, related_name="values")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="config_values")
    value = models.JSONField("取值")

    class Meta:
        verbose_name = "参数取值"
        verbose_name_plural = "参数取值"
        constraints = [
            models.UniqueConstraint(fields=["param", "committee"], name="configvalue_unique"),
        ]
