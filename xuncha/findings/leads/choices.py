"""Vocabularies of problem leads (问题线索, domain.md §4.7, §10.6) and their transitions as data."""

from django.db import models

from xuncha.core.transitions import Transition


class LeadSource(models.TextChoices):
    PETITION = "petition", "信访举报"
    INTERVIEW = "interview", "个别谈话"
    DOCUMENT = "document", "调阅资料"
    CHECK = "check", "抽查核实"
    VISIT = "visit", "下沉走访"
    OTHER = "other", "其他"


class LeadStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    UNDER_REVIEW = "under_review", "组务会研究"
    PROPOSED = "proposed", "已提出处置建议"
    DECIDED = "decided", "已决定移交"
    TRANSFERRED = "transferred", "已移交"
    SIGNED = "signed", "已签收"
    IN_HANDLING = "in_handling", "处置中"
    CONCLUDED = "concluded", "已办结反馈"
    CARRIED_FORWARD = "carried_forward", "结转后续处理"


class Confidentiality(models.TextChoices):
    NORMAL = "normal", "一般"
    HIGH = "high", "高（直报组长、密封移送）"


class Destination(models.TextChoices):
    """Where a lead goes (the clue_destinations code table holds the same codes and labels)."""

    TO_DISCIPLINE = "to_discipline", "移交纪委监委"
    TO_ORG_DEPT = "to_org_dept", "移交组织部"
    TO_UNIT = "to_unit", "交办被巡察党组织"
    TO_DEPT = "to_dept", "移交职能部门"
    TO_UPPER = "to_upper", "报送上级"


class DecisionBody(models.TextChoices):
    LEADING_GROUP = "leading_group", "巡察工作领导小组"
    SECRETARY_MEETING = "secretary_meeting", "书记专题会"
    FAST_TRACK = "fast_track", "组长和巡察办主任（直查快办）"


class Disposal(models.TextChoices):
    """The receiver's disposal (纪检 four ways, or 立案): the clue_disposals code table's codes."""

    TALK_INQUIRY = "talk_inquiry", "谈话函询"
    PRELIMINARY_VERIFICATION = "preliminary_verification", "初步核实"
    SHELVED_PENDING = "shelved_pending", "暂存待查"
    CLOSED_NO_ACTION = "closed_no_action", "予以了结"
    CASE_FILED = "case_filed", "立案审查调查"


class EscalationKind(models.TextChoices):
    REMINDER = "reminder", "定期督办"
    PLACARD = "placard", "挂牌督办"


# Capacities on a lead (decided by findings.permissions.lead_capacities).
TEAM = "lead_team"  # the team leader or the lead officer (线索岗) of the lead's assignment
TEAM_LEADER = "lead_team_leader"
DIRECTOR = "lead_director"  # the office director (巡察办主任) of the lead's committee
RECEIVER = "lead_receiver"  # the body the lead was transferred to (or the director for a unit or department)
CAPACITY_LABELS = {
    TEAM: "该巡察组组长或线索岗",
    TEAM_LEADER: "巡察组组长",
    DIRECTOR: "巡察办主任",
    RECEIVER: "接收单位",
}

S = LeadStatus
OPEN_BEFORE_DECISION = (S.REGISTERED, S.UNDER_REVIEW, S.PROPOSED)
SETTLED_FOR_REPORT = (S.DECIDED, S.TRANSFERRED, S.SIGNED, S.IN_HANDLING, S.CONCLUDED, S.CARRIED_FORWARD)
AWAITING_REPORT = (S.TRANSFERRED, S.SIGNED, S.IN_HANDLING)

LEAD_TRANSITIONS = [
    Transition("review", "提交组务会研究", (S.REGISTERED,), S.UNDER_REVIEW, (TEAM,)),
    Transition("propose", "提出处置建议", (S.UNDER_REVIEW,), S.PROPOSED, (TEAM_LEADER,)),
    Transition("send_back", "退回巡察组补充", (S.PROPOSED,), S.UNDER_REVIEW, (DIRECTOR,), needs_reason=True),
    Transition("decide", "记录处置决定", (S.PROPOSED,), S.DECIDED, (DIRECTOR,)),
    Transition(
        "carry_forward", "结转后续处理", OPEN_BEFORE_DECISION, S.CARRIED_FORWARD, (DIRECTOR,), needs_reason=True
    ),
    Transition("resume", "恢复研究", (S.CARRIED_FORWARD,), S.UNDER_REVIEW, (DIRECTOR,)),
    Transition("transfer", "移交", (S.DECIDED,), S.TRANSFERRED, (DIRECTOR,)),
    Transition("sign", "签收", (S.TRANSFERRED,), S.SIGNED, (RECEIVER,)),
    # Before signing, the receiver may return a lead outside its remit; the director decides again.
    Transition("return", "退回移交", (S.TRANSFERRED,), S.PROPOSED, (RECEIVER,), needs_reason=True),
    Transition("dispose", "记录处置方式", (S.SIGNED,), S.IN_HANDLING, (RECEIVER,)),
    Transition("report_back", "反馈办理结果", (S.IN_HANDLING,), S.CONCLUDED, (RECEIVER,)),
]

AUDIT_ACTIONS = {
    "findings.lead_register": "登记问题线索",
    "findings.lead_read": "查阅问题线索内容",
    "findings.lead_letter": "生成问题线索移交函",
    "findings.lead_escalate": "督办问题线索",
    "findings.lead_decision": "记录问题线索处置决定",
    "findings.lead_transfer_record": "移交问题线索",
    **{f"findings.lead_{t.code}": f"问题线索：{t.label}" for t in LEAD_TRANSITIONS},
}
AUDIT_OBJECT_TYPES = {
    "findings.lead": "问题线索",
    "findings.leaddecision": "问题线索处置决定",
    "findings.leadtransfer": "问题线索移交",
    "findings.leadescalation": "问题线索督办",
}
