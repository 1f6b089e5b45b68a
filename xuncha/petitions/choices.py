"""Vocabularies of petitions (domain.md §5)."""

from django.db import models


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
    USED = "used", "已用于巡察"
    REFERRED = "referred", "已转办"
    MERGED = "merged", "已合并（重复件）"
    ARCHIVED = "archived", "留存备查"
    CLOSED = "closed", "已办结"


# What the reporter sees: the status, never the internal reasoning.
PUBLIC_STATUS = {
    PetitionStatus.RECEIVED: "已收到，正在处理",
    PetitionStatus.UNDER_REVIEW: "巡察组正在研究",
    PetitionStatus.USED: "巡察组已在工作中研究使用",
    PetitionStatus.REFERRED: "已按规定转有关部门处理",
    PetitionStatus.MERGED: "已与相同反映合并处理",
    PetitionStatus.ARCHIVED: "已登记备查",
    PetitionStatus.CLOSED: "已办结",
}

# Moves staff may make directly; every disposal goes through decisions.petition_dispose, and a referral
# closes only with its result (decisions.referral_update).
STATUS_FLOW = {
    PetitionStatus.RECEIVED: [PetitionStatus.UNDER_REVIEW],
    PetitionStatus.UNDER_REVIEW: [],
    PetitionStatus.USED: [PetitionStatus.CLOSED],
    PetitionStatus.REFERRED: [],
    PetitionStatus.MERGED: [PetitionStatus.CLOSED],
    PetitionStatus.ARCHIVED: [],
    PetitionStatus.CLOSED: [],
}


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
