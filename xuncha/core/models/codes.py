from django.db import models

from xuncha.core.models.base import BaseModel
from xuncha.core.models.committee import Committee


class CodeTable(BaseModel):
    """One version of a category framework (三个聚焦, 六大纪律, inspection types …).

    Versions are never edited in place once in use: a new version is created and marked
    current, while older records keep pointing at the version they were classified under.
    """

    key = models.SlugField("代码表标识", max_length=60)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    is_current = models.BooleanField("当前版本", default=True)
    effective_from = models.DateField("启用日期", null=True, blank=True)
    local_overrides_allowed = models.BooleanField(
        "允许各级补充或改称",
        default=False,
        help_text="否：全国统一，仅最高一级巡察办管理员可修改；是：各级可为本级及下级补充代码项或改称",
    )

    class Meta:
        verbose_name = "代码表"
        verbose_name_plural = "代码表"
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="codetable_key_version_unique"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(is_current=True),
                name="codetable_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class CodeItem(BaseModel):
    """One entry of a code table: an English code with its Chinese label."""

    table = models.ForeignKey(CodeTable, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField("代码", max_length=60)
    label = models.CharField("名称", max_length=200)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "代码项"
        verbose_name_plural = "代码项"
        ordering = ["table", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="codeitem_table_code_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class CodeItemOverride(BaseModel):
    """A committee's local change to a code table: a relabel or withdrawal of a national item, or a local item.

    It applies to the committee and those below it; the nearest override up the committee path wins
    (ADR 0016). It is keyed by the table's key, not a version, so it survives a new national version.
    """

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="code_overrides")
    table_key = models.SlugField("代码表标识", max_length=60)
    code = models.SlugField("代码", max_length=60)
    label = models.CharField("名称", max_length=200)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "代码项本级设置"
        verbose_name_plural = "代码项本级设置"
        ordering = ["table_key", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "table_key", "code"], name="codeitemoverride_unique"),
        ]

    def __str__(self) -> str:
        return self.label
