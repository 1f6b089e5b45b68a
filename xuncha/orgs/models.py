from django.db import models
from django.db.models import F, Q

from xuncha.core.models import BaseModel, Committee
from xuncha.orgs.choices import Gender, OrgLevel, PartyOrgType, PostKind, Rank, RelationKind, RelationSource


class Organization(BaseModel):
    """A unit and its Party organisation, placed in the tree and managed by one committee."""

    org_code = models.CharField("单位编码", max_length=40, unique=True)
    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")
    level = models.CharField("层级", max_length=20, choices=OrgLevel.choices)
    party_org_type = models.CharField("党组织类型", max_length=20, choices=PartyOrgType.choices)
    sector_tags = models.JSONField("行业标签", default=list, blank=True)
    managed_by = models.ForeignKey(
        Committee, verbose_name="管理党委", on_delete=models.PROTECT, related_name="organizations"
    )

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def party_org_name(self) -> str:
        return f"{self.name}{self.get_party_org_type_display()}"


class Person(BaseModel):
    """A cadre or staff member: the subject of rosters, pools and recusal checks."""

    person_code = models.CharField("人员编号", max_length=40, unique=True)
    name = models.CharField("姓名", max_length=50, db_index=True)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生年月", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    political_status = models.CharField("政治面貌", max_length=20, blank=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "person_code"]

    def __str__(self) -> str:
        return self.name


class Position(BaseModel):
    """A post a person held in an organisation over a period (open-ended while current)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField("职务", max_length=100)
    post_kind = models.CharField("岗位类别", max_length=20, choices=PostKind.choices)
    rank = models.CharField("职级", max_length=20, choices=Rank.choices, blank=True)
    start_date = models.DateField("任职开始")
    end_date = models.DateField("任职结束", null=True, blank=True)

    class Meta:
        verbose_name = "任职经历"
        verbose_name_plural = "任职经历"
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "title", "start_date"], name="position_unique_post"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.organization} {self.title}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Relationship(BaseModel):
    """A relation between two people that recusal rules consider (direction: a is to b)."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_out")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField("关系", max_length=20, choices=RelationKind.choices)
    valid_from = models.DateField("起始", null=True, blank=True)
    valid_to = models.DateField("终止", null=True, blank=True)
    source = models.CharField("来源", max_length=20, choices=RelationSource.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "人员关系"
        verbose_name_plural = "人员关系"
        constraints = [
            models.CheckConstraint(condition=~Q(person_a=F("person_b")), name="relationship_two_people"),
            models.UniqueConstraint(fields=["person_a", "person_b", "kind"], name="relationship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a}—{self.person_b}：{self.get_kind_display()}"
