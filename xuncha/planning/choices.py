"""Vocabularies and lifecycle states of planning (domain.md §2–§4.2)."""

from django.db import models

from xuncha.core.transitions import Transition


class ApprovalStatus(models.TextChoices):
    DRAFT = "draft", "巡察办起草"
    SUBMITTED = "submitted", "待领导小组审议"
    GROUP_APPROVED = "group_approved", "待常委会审定"
    APPROVED = "approved", "已审定"
    RETURNED = "returned", "退回修改"


class Approver(models.TextChoices):
    OFFICE = "office", "巡察办"
    LEADING_GROUP = "leading_group", "巡察工作领导小组"
    COMMITTEE = "committee", "党委常委会"
    TEAM_LEADER = "team_leader", "巡察组组长"


# Plans and round work schemes: 巡察办 drafts → 领导小组 → 常委会 (domain.md §4.1).
APPROVAL_TRANSITIONS: dict[str, Transition] = {
    t.code: t
    for t in [
        Transition(
            "submit",
            "提交领导小组审议",
            (ApprovalStatus.DRAFT, ApprovalStatus.RETURNED),
            ApprovalStatus.SUBMITTED,
            (Approver.OFFICE,),
        ),
        Transition(
            "group_approve",
            "领导小组审议通过",
            (ApprovalStatus.SUBMITTED,),
            ApprovalStatus.GROUP_APPROVED,
            (Approver.LEADING_GROUP,),
        ),
        Transition(
            "committee_approve",
            "常委会审定",
            (ApprovalStatus.GROUP_APPROVED,),
            ApprovalStatus.APPROVED,
            (Approver.COMMITTEE,),
        ),
        Transition(
            "return",
            "退回修改",
            (ApprovalStatus.SUBMITTED, ApprovalStatus.GROUP_APPROVED),
            ApprovalStatus.RETURNED,
            (Approver.LEADING_GROUP, Approver.COMMITTEE),
            needs_reason=True,
        ),
    ]
}


class AssignmentState(models.TextChoices):
    """domain.md §2.2, in canonical order, plus 已取消 for units dropped from a round."""

    PLANNED = "planned", "列入计划"
    PREPARING = "preparing", "巡前准备"
    NOTIFIED = "notified", "已印发巡察通知"
    ENTERED = "entered", "已进驻"
    ON_SITE = "on_site", "了解阶段"
    ON_SITE_CLOSED = "on_site_closed", "已撤离"
    REPORT_DRAFTING = "report_drafting", "起草巡察报告"
    REPORT_REVIEWED = "report_reviewed", "报告已审核"
    REPORT_APPROVED = "report_approved", "报告已审定"
    FEEDBACK_DONE = "feedback_done", "已反馈"
    RECTIFYING_CONCENTRATED = "rectifying_concentrated", "集中整改"
    RECTIFICATION_REPORTED = "rectification_reported", "已报送整改情况"
    RECTIFYING_CONTINUOUS = "rectifying_continuous", "持续整改"
    EVALUATED = "evaluated", "已评估"
    CLOSED = "closed", "已销号归档"
    CANCELLED = "cancelled", "已取消"


S = AssignmentState
ORDER = [s.value for s in AssignmentState if s != S.CANCELLED]

ASSIGNMENT_TRANSITIONS: dict[str, Transition] = {
    t.code: t
    for t in [
        Transition("prepare", "启动巡前准备", (S.PLANNED,), S.PREPARING, (Approver.OFFICE,)),
        Transition("notify", "印发巡察通知", (S.PREPARING,), S.NOTIFIED, (Approver.OFFICE,)),
        Transition("enter", "召开进驻动员会", (S.NOTIFIED,), S.ENTERED, (Approver.OFFICE, Approver.TEAM_LEADER)),
        Transition("start_onsite", "开展了解工作", (S.ENTERED,), S.ON_SITE, (Approver.TEAM_LEADER, Approver.OFFICE)),
        Transition(
            "close_onsite",
            "结束进驻（信访受理截止）",
            (S.ON_SITE,),
            S.ON_SITE_CLOSED,
            (Approver.TEAM_LEADER, Approver.OFFICE),
        ),
        Transition("draft_report", "起草巡察报告", (S.ON_SITE_CLOSED,), S.REPORT_DRAFTING, (Approver.TEAM_LEADER,)),
        Transition(
            "review_report", "巡察办审核、领导小组听取汇报", (S.REPORT_DRAFTING,), S.REPORT_REVIEWED, (Approver.OFFICE,)
        ),
        Transition(
            "return_report",
            "退回修改报告",
            (S.REPORT_REVIEWED,),
            S.REPORT_DRAFTING,
            (Approver.OFFICE, Approver.LEADING_GROUP),
            needs_reason=True,
        ),
        Transition(
            "approve_report",
            "书记专题会审定",
            (S.REPORT_REVIEWED,),
            S.REPORT_APPROVED,
            (Approver.COMMITTEE,),
        ),
        Transition(
            "feedback",
            "反馈并移交问题清单",
            (S.REPORT_APPROVED,),
            S.FEEDBACK_DONE,
            (Approver.OFFICE, Approver.TEAM_LEADER),
        ),
        Transition("rectify", "进入集中整改期", (S.FEEDBACK_DONE,), S.RECTIFYING_CONCENTRATED, (Approver.OFFICE,)),
        Transition(
            "report_rectification",
            "整改情况报告已报送审核",
            (S.RECTIFYING_CONCENTRATED,),
            S.RECTIFICATION_REPORTED,
            (Approver.OFFICE,),
        ),
        Transition(
            "continue_rectification",
            "转入持续整改",
            (S.RECTIFICATION_REPORTED,),
            S.RECTIFYING_CONTINUOUS,
            (Approver.OFFICE,),
        ),
        Transition("evaluate", "完成整改评估", (S.RECTIFYING_CONTINUOUS,), S.EVALUATED, (Approver.OFFICE,)),
        Transition("close", "全部销号并归档", (S.EVALUATED,), S.CLOSED, (Approver.OFFICE, Approver.LEADING_GROUP)),
        Transition(
            "cancel",
            "调出本轮（取消）",
            (S.PLANNED, S.PREPARING, S.NOTIFIED),
            S.CANCELLED,
            (Approver.OFFICE,),
            needs_reason=True,
        ),
    ]
}


def state_reached(state: str, milestone: str) -> bool:
    """True when `state` is at or beyond `milestone` in the canonical order."""
    if state == S.CANCELLED:
        return False
    return ORDER.index(state) >= ORDER.index(milestone)


class PoolKind(models.TextChoices):
    LEADER = "leader", "巡察组长库"
    TALENT = "talent", "巡察人才库"


class TeamRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    LIAISON = "liaison", "联络员"
    MEMBER = "member", "组员"


class TeamPost(models.TextChoices):
    TALK = "talk", "谈话外调岗"
    FINANCE_AUDIT = "finance_audit", "财务审计岗"
    PARTY_ORG = "party_org", "党建组织岗"
    PETITION = "petition", "信访岗"
    LEAD = "lead", "线索岗"
    GENERAL = "general", "综合协调岗"


class CandidateReason(models.TextChoices):
    CLUES_CONCENTRATED = "clues_concentrated", "问题线索集中、群众反映强烈"
    HIGH_RISK = "high_risk", "改革任务重、风险高、权力集中"
    LONG_UNINSPECTED = "long_uninspected", "长期未巡察"
    POOR_RECTIFICATION = "poor_rectification", "上轮整改不到位"
    COVERAGE = "coverage", "全覆盖进度安排"


class DeclarationSource(models.TextChoices):
    SELF = "self", "本人申报"
    UNIT = "unit", "被巡察单位提出"
    DETECTED = "detected", "系统比对发现"


class DeclarationResult(models.TextChoices):
    PENDING = "pending", "待核实"
    NO_CONFLICT = "no_conflict", "经核实无需回避"
    RECUSED = "recused", "回避（另行调配人员）"
    WAIVED = "waived", "经批准不予回避"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "求解中"
    DONE = "done", "已生成方案"
    INFEASIBLE = "infeasible", "无可行方案"
    FAILED = "failed", "出错"
    APPLIED = "applied", "已采用"


# The audit log's names for what this app records (xuncha.core.audit_labels); each approval step and each
# assignment transition is its own action, named after the transition.
AUDIT_ACTIONS = {
    "planning.pool_link_user": "为库内人员关联平台账号",
    "planning.pool_unlink_user": "解除库内人员的平台账号关联",
    "planning.coverage_create": "编制巡察工作规划",
    "planning.annual_create": "编制年度巡察工作计划",
    "planning.candidate_add": "列入计划巡察对象",
    "planning.candidate_remove": "移出计划巡察对象",
    "planning.round_create": "建立巡察轮次",
    "planning.round_file": "轮次方案报备",
    "planning.assignment_create": "列入巡察任务",
    "planning.assignment_team": "为巡察任务指派巡察组",
    "planning.assignment_authorize": "出具巡察授权",
    "planning.pool_add": "人员入库",
    "planning.pool_update": "修改库内人员信息",
    "planning.team_create": "组建巡察组",
    "planning.team_member_add": "增加巡察组成员",
    "planning.team_member_update": "调整巡察组成员",
    "planning.team_member_remove": "移出巡察组成员",
    "planning.declaration_create": "提交回避申报",
    "planning.declaration_decide": "审核回避申报",
    "planning.formation_request": "申请自动组建",
    "planning.formation_apply": "采用自动组建方案",
    **{f"planning.approval_{t.code}": f"计划审批：{t.label}" for t in APPROVAL_TRANSITIONS.values()},
    **{f"planning.assignment_{t.code}": f"巡察任务：{t.label}" for t in ASSIGNMENT_TRANSITIONS.values()},
}
