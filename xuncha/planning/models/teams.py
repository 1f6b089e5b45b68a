"""Pools, teams, per-assignment authorisation, recusal declarations and formation runs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xuncha.core.models import BaseModel, Committee
from xuncha.planning.choices import DeclarationResult, DeclarationSource, PoolKind, RunStatus, TeamPost, TeamRole
from xuncha.planning.models.assignments import Assignment
from xuncha.planning.models.plans import Round


class PoolMember(BaseModel):
    """A vetted person in a committee's 组长库 or 人才库, with skills and availability."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="pool_members")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="pool_entries")
    kind = models.CharField("入库类别", max_length=10, choices=PoolKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pool_entries",
        verbose_name="平台账号",
    )
    skills = models.JSONField("专业特长", default=list, blank=True)
    available = models.BooleanField("可调用", default=True)
    unavailable_from = models.DateField("不可调用起", null=True, blank=True)
    unavailable_to = models.DateField("不可调用止", null=True, blank=True)
    recommended_by = models.CharField("推荐单位", max_length=100, blank=True)
    vetted_on = models.DateField("入库日期", null=True, blank=True)
    evaluation = models.CharField("最近一次鉴定", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "库内人员"
        verbose_name_plural = "库内人员"
        ordering = ["kind", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="pool_member_unique_person"),
            models.CheckConstraint(
                condition=Q(unavailable_to__isnull=True)
                | Q(unavailable_from__isnull=True)
                | Q(unavailable_to__gte=F("unavailable_from")),
                name="pool_member_unavailable_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_kind_display()}）"


class Team(BaseModel):
    """巡察组 of a round; its leader is the secretary of the team's 临时党支部."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams")
    seq = models.PositiveSmallIntegerField("序号")
    name = models.CharField("组名", max_length=60)

    class Meta:
        verbose_name = "巡察组"
        verbose_name_plural = "巡察组"
        ordering = ["round", "seq"]
        constraints = [models.UniqueConstraint(fields=["round", "seq"], name="team_unique_seq")]

    def __str__(self) -> str:
        return self.name


class TeamMember(BaseModel):
    """A person on a team, with their role and posts (谈话、财务审计、党建组织、信访)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="team_memberships")
    role = models.CharField("职务", max_length=10, choices=TeamRole.choices)
    posts = models.JSONField("岗位", default=list, blank=True)

    class Meta:
        verbose_name = "巡察组成员"
        verbose_name_plural = "巡察组成员"
        ordering = ["team", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="team_member_unique_person"),
            models.UniqueConstraint(fields=["team"], condition=Q(role=TeamRole.LEADER), name="team_member_one_leader"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_role_display()}）"

    @property
    def post_labels(self) -> list[str]:
        labels = dict(TeamPost.choices)
        return [labels.get(p, p) for p in self.posts]


class Authorization(BaseModel):
    """一次一授权: the leader (and deputies) are authorised anew for each assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="authorizations")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("职务", max_length=10, choices=TeamRole.choices)
    doc_no = models.CharField("授权文号", max_length=60)
    authorized_on = models.DateField("授权日期")
    authorized_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "授权记录"
        verbose_name_plural = "授权记录"
        constraints = [models.UniqueConstraint(fields=["assignment", "person"], name="authorization_unique_person")]


class ConflictDeclaration(BaseModel):
    """A recusal declaration, a unit's request or a detected conflict, and the decision on it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=10, choices=DeclarationSource.choices)
    rule = models.CharField("回避规则", max_length=40, blank=True)
    reason = models.TextField("回避事由")
    result = models.CharField(
        "处理结果", max_length=20, choices=DeclarationResult.choices, default=DeclarationResult.PENDING
    )
    decision_note = models.TextField("批准意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("批准时间", null=True, blank=True)

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"
        ordering = ["-created_at"]


class FormationRun(BaseModel):
    """One run of automatic team formation for a round: options in, proposal or explanation out."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="formation_runs")
    status = models.CharField("状态", max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    options = models.JSONField("求解条件", default=dict)
    proposal = models.JSONField("建议方案", default=dict, blank=True)
    messages = models.JSONField("说明", default=list, blank=True)
    objective = models.FloatField("目标值", null=True, blank=True)
    bound = models.FloatField("下界", null=True, blank=True)
    optimal = models.BooleanField("已证明最优", default=False)
    wall_seconds = models.FloatField("用时（秒）", null=True, blank=True)

    class Meta:
        verbose_name = "自动组建记录"
        verbose_name_plural = "自动组建记录"
        ordering = ["-created_at"]
