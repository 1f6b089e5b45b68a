from django.db import models

from xuncha.core.models.base import BaseModel


class CommitteeLevel(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCE = "province", "省（自治区、直辖市）"
    CITY = "city", "市（地、州、盟）"
    COUNTY = "county", "县（市、区、旗）"
    ENTERPRISE = "enterprise", "企事业单位党委"


class Committee(BaseModel):
    """An inspecting Party committee (派出党委): the first partition of all data.

    `path` is a materialised path ("/1/4/9/") so that "this committee and every committee
    below it" is one prefix query; higher committees see and guide lower ones, never the
    reverse.
    """

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40)
    level = models.CharField("层级", max_length=20, choices=CommitteeLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级党委",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    office_name = models.CharField("巡视巡察机构名称", max_length=100, blank=True)

    class Meta:
        verbose_name = "派出党委"
        verbose_name_plural = "派出党委"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def activity_name(self) -> str:
        """巡视 for central and provincial committees, 巡察 below them."""
        return "巡视" if self.level in {CommitteeLevel.CENTRAL, CommitteeLevel.PROVINCE} else "巡察"

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1
