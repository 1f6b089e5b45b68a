"""Vocabularies of petitions (domain.md §5)."""

from django.db import models

from xuncha.core.transitions import Transition


class Channel(models.TextChoices):
    QR = "qr", "码上巡察（网上举报）"
    LETTER = "letter", "来信"
    PHONE = "phone", "来电"
    VISIT = "visit", "来访"
    EMAIL = "email", "电子邮件"
    BOX = "box", "意见箱"
    REFERRAL_IN = "referral_in", "上级转办"


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", "已登记"
    UNDER_REVIEW = "under_review", "组务会研判"
    BECAME_PROBLEM = "became_problem", "已作为问题使用"
    BECAME_CLUE = "became_clue", "已作为问题线索"
    IMMEDIATE_FIX = "immediate_fix", "已交立行立改"
    REFERRED = "referred", "已转办"
    MERGED = "merged", "已合并（重复件）"
    ARCHIVED = "archived", "留存备查"
    CLOSED = "closed", "已办结"


class Disposition(models.TextChoices):
    """What the team decided a petition becomes (domain.md §5.5): fixed, because the later stages
    (findings, leads, immediate fixes) consume each one."""

    USE_PROBLEM = "use_problem", "作为问题使用"
    USE_CLUE = "use_clue", "作为问题线索"
    IMMEDIATE_FIX = "immediate_fix", "立行立改"
    REFER_OUT = "refer_out", "转办"
    MERGE_DUPLICATE = "merge_duplicate", "重复件合并"
    NOTED = "noted", "了解情况（不作处理）"
    ARCHIVE = "archive", "无实质内容存档"


DISPOSITION_STATUS = {
    Disposition.USE_PROBLEM: PetitionStatus.BECAME_PROBLEM,
    Disposition.USE_CLUE: PetitionStatus.BECAME_CLUE,
    Disposition.IMMEDIATE_FIX: PetitionStatus.IMMEDIATE_FIX,
    Disposition.REFER_OUT: PetitionStatus.REFERRED,
    Disposition.MERGE_DUPLICATE: PetitionStatus.MERGED,
    Disposition.NOTED: PetitionStatus.CLOSED,
    Disposition.ARCHIVE: PetitionStatus.ARCHIVED,
}
USED_FOR_INSPECTION = (Disposition.USE_PROBLEM, Disposition.USE_CLUE, Disposition.IMMEDIATE_FIX)

# What the reporter sees: the status, never the internal reasoning; a closed petition says what it became.
PUBLIC_STATUS = {
    PetitionStatus.RECEIVED: "已收到，正在处理",
    PetitionStatus.UNDER_REVIEW: "巡察组正在研究",
    PetitionStatus.BECAME_PROBLEM: "巡察组已将反映的情况作为发现的问题研究使用",
    PetitionStatus.BECAME_CLUE: "巡察组已将反映的情况作为问题线索按规定处置",
    PetitionStatus.IMMEDIATE_FIX: "巡察组已督促被巡察党组织立行立改",
    PetitionStatus.REFERRED: "已按规定转有关部门处理",
    PetitionStatus.MERGED: "已与相同反映合并处理",
    PetitionStatus.ARCHIVED: "已登记备查",
    PetitionStatus.CLOSED: "已办结",
}
PUBLIC_CLOSED = {
    Disposition.USE_PROBLEM: "已办结（反映的情况已作为发现的问题研究使用）",
    Disposition.USE_CLUE: "已办结（反映的情况已作为问题线索按规定处置）",
    Disposition.IMMEDIATE_FIX: "已办结（已督促被巡察党组织立行立改）",
    Disposition.REFER_OUT: "已办结（有关部门已回复办理结果）",
    Disposition.MERGE_DUPLICATE: "已办结（已与相同反映合并处理）",
}


def public_status(status: str, disposition: str) -> str:
    """The reporter's wording of where the petition stands."""
    if status == PetitionStatus.CLOSED and disposition in PUBLIC_CLOSED:
        return PUBLIC_CLOSED[Disposition(disposition)]
    return PUBLIC_STATUS[PetitionStatus(status)]


S = PetitionStatus
TEAM = "team"
_DECIDABLE = (S.RECEIVED, S.UNDER_REVIEW)

# Every move of a petition's status, as data for the transition engine (petitions/machines.py).
PETITION_TRANSITIONS = [
    Transition("review", "提交组务会研判", (S.RECEIVED,), S.UNDER_REVIEW, (TEAM,)),
    *(Transition(f"dispose_{d.value}", str(d.label), _DECIDABLE, DISPOSITION_STATUS[d], (TEAM,)) for d in Disposition),
    Transition("close", "办结", (S.BECAME_PROBLEM, S.BECAME_CLUE, S.IMMEDIATE_FIX, S.MERGED), S.CLOSED, (TEAM,)),
    Transition("referral_result", "转办件回复办理结果", (S.REFERRED,), S.CLOSED, (TEAM,)),
]
# The moves staff make directly from the detail page (the rest come with a decision or a referral result).
MANUAL_TRANSITIONS = ("review", "close")


class ContactMethod(models.TextChoices):
    """How a named reporter was told (受理告知, 结果反馈)."""

    PHONE = "phone", "电话告知"
    LETTER = "letter", "书面告知"
    IN_PERSON = "in_person", "当面告知"
    ONLINE = "online", "网上答复（查询码）"


class SourceRequirement(models.TextChoices):
    """What the sender of a 上级转办 asks for."""

    RESULT = "result", "要结果"
    SITUATION = "situation", "要情况"
    NOTE = "note", "阅知（不要求报结）"


# The audit log's names for what this app records, and for the objects that are not models or whose model
# has no Chinese name (xuncha.core.audit_labels).
AUDIT_ACTIONS = {
    "petitions.announcement_save": "发布或修改巡察公告",
    "petitions.received": "收到信访件",
    "petitions.registered": "登记信访件",
    "petitions.reporter_added": "反映人补充材料",
    "petitions.signed": "签收信访件",
    "petitions.disposed": "信访件处理意见",
    "petitions.status": "信访件状态变更",
    "petitions.acknowledged": "受理告知",
    "petitions.result_notified": "向反映人反馈办理结果",
    "petitions.team_reply": "答复反映人",
    "petitions.note_add": "添加内部记录",
    "petitions.identity_reveal": "查看反映人信息",
    "petitions.attachment_download": "下载信访附件",
    "petitions.export": "导出信访件清单",
    "petitions.search_index": "重建信访件检索索引",
    "petitions.referral_letter": "生成转办函",
    "petitions.referral_update": "转办跟踪",
    "petitions.incoming_report": "上级转办报结",
    "petitions.bundle_export": "导出受理节点数据包",
    "petitions.bundle_reexport": "重新导出受理节点数据包",
    "petitions.bundle_import": "导入受理节点数据包",
    "petitions.reply_export": "导出回传数据包",
    "petitions.reply_import": "导入回传数据包",
    "petitions.keys_rewrap": "信访密文换钥",
}
AUDIT_OBJECT_TYPES = {
    "petitions.bundle": "受理节点数据包",
    "petitions.reply_bundle": "回传数据包",
    "petitions.keyring": "信访密钥",
    "petitions.petitionmessage": "信访往来消息",
    "petitions.petitionnote": "信访件内部记录",
    "petitions.petitionsignature": "信访件查重特征",
    "petitions.petitionband": "信访件查重特征",
    "petitions.petitionbandcount": "信访件查重特征",
    "petitions.petitionmatter": "信访件查重特征",
    "petitions.categoryfeature": "信访分类特征",
    "petitions.petitionterm": "信访件检索索引",
    "petitions.reporterview": "反映人查询页",
    "petitions.attachment": "信访附件",
    "petitions.surveyresponse": "满意度测评答卷",  # events recorded before the move to fieldwork
    "petitions.exportedbundle": "受理节点数据包",  # and before the move to ferry
    "petitions.importedbundle": "受理节点数据包",
    "petitions.replyexport": "回传数据包",
    "petitions.replyimport": "回传数据包",
}
