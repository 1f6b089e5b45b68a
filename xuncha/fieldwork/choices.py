"""Vocabularies and status machines' transitions of on-site work (domain.md §4.3–§4.4, §10.4)."""

from django.db import models

from xuncha.core.transitions import Transition


class MeetingKind(models.TextChoices):
    PRE_MEETING = "pre_meeting", "见面沟通会"
    MOBILIZATION = "mobilization", "进驻动员会"


class AttendeeGroup(models.TextChoices):
    """Why a person is on the 动员会 list (seed 004's groups)."""

    LEADERSHIP = "leadership", "领导班子成员"
    NEXT_LEVEL_HEAD = "next_level_head", "下一级党组织主要负责人"
    RETIRED_LEADER = "retired_leader", "近两年退出领导岗位的干部"
    SUPERVISION_BODY = "supervision_body", "纪检、组织人事机构负责人"
    OTHER = "other", "其他列席人员"


class InterviewKind(models.TextChoices):
    REQUIRED = "required", "必谈"
    OPTIONAL = "optional", "选谈"


class InterviewBasis(models.TextChoices):
    """Why a person is on the 必谈 list, or that the team chose them (选谈)."""

    LEADERSHIP = "leadership", "领导班子成员"
    KEY_POST = "key_post", "重要岗位负责人"
    RETIRED_LEADER = "retired_leader", "近期退出领导岗位的领导干部"
    CHOSEN = "chosen", "巡察组选定"


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", "待谈话"
    RECORDED = "recorded", "已谈话"
    WAIVED = "waived", "不再谈话"


class Method(models.TextChoices):
    """The statutory methods of domain.md §4.4 recorded as activities (interviews, petitions, document
    requests and the survey have records of their own)."""

    BRIEFING = "briefing", "听取工作汇报和专题汇报"
    SYMPOSIUM = "symposium", "召开座谈会"
    ATTEND_MEETING = "attend_meeting", "列席有关会议"
    FIELD_VISIT = "field_visit", "下沉了解（走访）"
    SPECIAL_CHECK = "special_check", "开展专项检查"
    PERSONAL_MATTERS_CHECK = "personal_matters_check", "抽查核实个人有关事项报告"
    INQUIRY = "inquiry", "向知情人询问情况"
    ASSIST_REQUEST = "assist_request", "提请有关单位协助"
    OTHER = "other", "其他方式"


class DocumentRequestStatus(models.TextChoices):
    REQUESTED = "requested", "已提出调阅"
    RECEIVED = "received", "已交接（调入）"
    RETURNED = "returned", "已归还"


class UrgentMatter(models.TextChoices):
    """The matters a team reports at once (domain.md §4.4, 请示报告)."""

    SERIOUS_VIOLATION = "serious_violation", "领导班子成员或管理干部涉嫌严重违纪违法"
    DEMOCRATIC_CENTRALISM = "democratic_centralism", "主要负责人严重违反民主集中制"
    MASS_INTEREST = "mass_interest", "涉及群众切身利益或稳定的重大事项"
    OTHER = "other", "其他需要及时报告的事项"


class UrgentAddressee(models.TextChoices):
    LEADING_GROUP = "leading_group", "巡察工作领导小组"
    TOP_LEADER = "top_leader", "派出党委主要负责同志"


class UrgentStatus(models.TextChoices):
    SENT = "sent", "已报告"
    ANSWERED = "answered", "已批示"


# Capacities on these machines (decided by fieldwork.permissions).
TEAM = "team"
TEAM_LEADER = "team_leader"
RESPONDER = "responder"
CAPACITY_LABELS = {TEAM: "本组巡察人员", TEAM_LEADER: "本组组长", RESPONDER: "巡察办或领导小组"}

INTERVIEW_TRANSITIONS = [
    Transition("record", "录入谈话记录", (InterviewStatus.PLANNED,), InterviewStatus.RECORDED, (TEAM,)),
    Transition(
        "waive", "不再谈话", (InterviewStatus.PLANNED,), InterviewStatus.WAIVED, (TEAM_LEADER,), needs_reason=True
    ),
    Transition(
        "reinstate",
        "恢复谈话安排",
        (InterviewStatus.WAIVED,),
        InterviewStatus.PLANNED,
        (TEAM_LEADER,),
        needs_reason=True,
    ),
]

DOCUMENT_TRANSITIONS = [
    Transition(
        "hand_over", "办理调入交接", (DocumentRequestStatus.REQUESTED,), DocumentRequestStatus.RECEIVED, (TEAM,)
    ),
    Transition("give_back", "办理归还交接", (DocumentRequestStatus.RECEIVED,), DocumentRequestStatus.RETURNED, (TEAM,)),
]

URGENT_TRANSITIONS = [
    Transition("answer", "录入批示意见", (UrgentStatus.SENT,), UrgentStatus.ANSWERED, (RESPONDER,)),
]

# The audit log's names for what on-site work records (xuncha.core.audit_labels).
AUDIT_ACTIONS = {
    "fieldwork.meeting_save": "登记进驻会议",
    "fieldwork.attendance_generate": "生成动员会参会名单",
    "fieldwork.interview_list_generate": "生成必谈名单",
    "fieldwork.interview_subject_add": "增加选谈对象",
    "fieldwork.interview_record": "录入谈话记录",
    "fieldwork.interview_open": "查阅谈话记录",
    "fieldwork.interview_waive": "必谈对象不再谈话",
    "fieldwork.interview_reinstate": "恢复谈话安排",
    "fieldwork.activity_record": "登记了解工作",
    "fieldwork.document_request_create": "提出调阅清单",
    "fieldwork.document_hand_over": "办理调阅交接",
    "fieldwork.document_give_back": "办理调阅归还",
    "fieldwork.weekly_report_submit": "报送工作周报",
    "fieldwork.urgent_report_send": "请示报告",
    "fieldwork.urgent_report_open": "查阅请示报告",
    "fieldwork.urgent_answer": "录入请示报告批示",
}
AUDIT_OBJECT_TYPES = {
    "fieldwork.entrymeeting": "进驻会议",
    "fieldwork.interviewsubject": "谈话对象",
    "fieldwork.interviewrecord": "谈话记录",
    "fieldwork.workactivity": "了解工作记录",
    "fieldwork.documentrequest": "调阅清单",
    "fieldwork.weeklyreport": "工作周报",
    "fieldwork.urgentreport": "请示报告",
}
