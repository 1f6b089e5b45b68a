"""Vocabularies of the organisation registry."""

from django.db import models


class OrgLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县（市、区）"
    TOWNSHIP = "township", "乡镇"
    STREET = "street", "街道"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    DEPARTMENT = "department", "党政部门"
    SOE = "soe", "国有企业"
    INSTITUTION = "institution", "事业单位"
    SCHOOL = "school", "学校"


class PartyOrgType(models.TextChoices):
    COMMITTEE = "committee", "党委"
    LEADING_GROUP = "leading_group", "党组"
    WORKING_COMMITTEE = "working_committee", "党工委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"


class PostKind(models.TextChoices):
    TOP_LEADER = "top_leader", "主要负责人（一把手）"
    LEADERSHIP_MEMBER = "leadership_member", "领导班子成员"
    KEY_POST = "key_post", "重要岗位"
    STAFF = "staff", "一般干部"


LEADERSHIP_POSTS = frozenset({PostKind.TOP_LEADER, PostKind.LEADERSHIP_MEMBER})


class Rank(models.TextChoices):
    BUREAU = "bureau", "厅局级"
    DIVISION = "division", "县处级"
    SECTION = "section", "乡科级"
    GENERAL = "general", "一般干部"
    VILLAGE = "village", "村（社区）干部"
    ENTERPRISE = "enterprise", "企业管理人员"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class RelationKind(models.TextChoices):
    """Relations that can require recusal (domain.md §4.2)."""

    SPOUSE = "spouse", "夫妻关系"
    DIRECT_BLOOD = "direct_blood", "直系血亲关系"
    COLLATERAL = "collateral_3", "三代以内旁系血亲关系"
    IN_LAW = "in_law_close", "近姻亲关系"
    FORMER_SUPERIOR = "former_superior", "曾为上下级关系"
    CO_SERVICE = "co_service", "曾在同一领导班子共事"
    CLASSMATE = "classmate", "同学或师承关系"
    OTHER = "other", "其他可能影响公正的关系"


class RelationSource(models.TextChoices):
    SELF_DECLARED = "self_declared", "本人申报"
    VERIFIED = "verified", "组织核实"
    IMPORTED = "imported", "数据导入"


# The audit log's names for what this app records (xuncha.core.audit_labels).
AUDIT_ACTIONS = {
    "orgs.organization_created": "登记单位",
    "orgs.organization_updated": "修改单位信息",
    "orgs.relationship_add": "登记人员关系",
    "orgs.import_organizations": "导入组织机构",
    "orgs.import_roster": "导入领导班子名册",
}
