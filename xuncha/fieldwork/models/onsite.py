"""On-site records of an assignment (domain.md §4.3–§4.4, §10.4): entry meetings with their attendance,
the interview plan (必谈/选谈) and sealed interview records, other statutory methods, document requests
with their hand-over, weekly reports and urgent reports to the leading group."""

from django.db import models
from django.db.models import Q

from xuncha.core.models import BaseModel
from xuncha.core.sealed_fields import SealedField
from xuncha.fieldwork.choices import (
    AttendeeGroup,
    DocumentRequestStatus,
    InterviewBasis,
    InterviewKind,
    InterviewStatus,
    MeetingKind,
    Method,
    UrgentAddressee,
    UrgentMatter,
    UrgentStatus,
)


class EntryMeeting(BaseModel):
    """见面沟通会 or 进驻动员会 of an assignment: one of each."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.CASCADE, related_name="entry_meetings")
    kind = models.CharField("会议", max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=200, blank=True)
    chair = models.CharField("主持人", max_length=100)
    speakers = models.CharField("讲话、表态人", max_length=300, blank=True)
    note = models.TextField("会议情况", blank=True)

    class Meta:
        verbose_name = "进驻会议"
        verbose_name_plural = "进驻会议"
        constraints = [models.UniqueConstraint(fields=["assignment", "kind"], name="entry_meeting_one_of_each")]

    def __str__(self) -> str:
        return self.get_kind_display()


class MeetingAttendee(models.Model):
    """One person on the 动员会 attendance list (also who takes the 民主测评), generated from the rosters."""

    meeting = models.ForeignKey(EntryMeeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("职务", max_length=100)
    group = models.CharField("类别", max_length=20, choices=AttendeeGroup.choices)
    takes_survey = models.BooleanField("参加民主测评", default=True)

    class Meta:
        verbose_name = "参会人员"
        verbose_name_plural = "参会人员"
        ordering = ["group", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendee_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.person} {self.title}"


class InterviewSubject(BaseModel):
    """A person to interview (个别谈话): 必谈 from the rosters, or 选谈 added by the team."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.CASCADE, related_name="interviewees")
    person = models.ForeignKey("orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("单位职务", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=InterviewKind.choices)
    basis = models.CharField("列入依据", max_length=20, choices=InterviewBasis.choices)
    status = models.CharField("状态", max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.PLANNED)
    waiver_reason = models.CharField("不再谈话的理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "谈话对象"
        verbose_name_plural = "谈话对象"
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "person"], condition=Q(person__isnull=False), name="interviewee_once"
            ),
            models.CheckConstraint(
                condition=~Q(status=InterviewStatus.WAIVED) | ~Q(waiver_reason=""), name="interview_waiver_reasoned"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class InterviewRecord(BaseModel):
    """谈话记录: at least two inspectors present, one of them recording; the text sealed; the interviewee's
    check and signature recorded."""

    subject = models.ForeignKey(InterviewSubject, on_delete=models.PROTECT, related_name="records")
    held_on = models.DateField("谈话日期")
    place = models.CharField("地点", max_length=200, blank=True)
    interviewers = models.ManyToManyField("orgs.Person", related_name="+", verbose_name="谈话人")
    recorder = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name="记录人")
    sealed_record = SealedField("谈话记录·内容", purpose="interview_record")
    confirmed = models.BooleanField("谈话对象已核对签字", default=False)

    class Meta:
        verbose_name = "谈话记录"
        verbose_name_plural = "谈话记录"
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.subject.name}谈话记录"


class WorkActivity(BaseModel):
    """One use of a statutory method besides interviews and document requests: a briefing, a symposium,
    an attended meeting, a field visit (四不两直), a check, an assistance request."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.CASCADE, related_name="activities")
    method = models.CharField("方式", max_length=30, choices=Method.choices)
    held_on = models.DateField("日期")
    counterpart = models.CharField("对象（单位或人员）", max_length=200)
    participants = models.ManyToManyField("orgs.Person", related_name="+", verbose_name="参加的巡察人员")
    summary = models.TextField("主要情况")
    unannounced = models.BooleanField("四不两直", default=False)

    class Meta:
        verbose_name = "了解工作记录"
        verbose_name_plural = "了解工作记录"
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()}：{self.counterpart}"


class DocumentRequest(BaseModel):
    """调阅清单: what the team asks the unit for, the hand-over in (交接) and the return (归还)."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.CASCADE, related_name="document_requests")
    number = models.PositiveIntegerField("清单序号")
    provider = models.CharField("提供部门", max_length=100)
    requested_on = models.DateField("提出日期")
    status = models.CharField(
        "状态", max_length=20, choices=DocumentRequestStatus.choices, default=DocumentRequestStatus.REQUESTED
    )
    received_on = models.DateField("调入日期", null=True, blank=True)
    handed_by = models.CharField("移交人（被巡察单位）", max_length=50, blank=True)
    received_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="接收人"
    )
    returned_on = models.DateField("归还日期", null=True, blank=True)
    returned_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="归还人"
    )
    taken_back_by = models.CharField("接收人（被巡察单位）", max_length=50, blank=True)

    class Meta:
        verbose_name = "调阅清单"
        verbose_name_plural = "调阅清单"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["assignment", "number"], name="document_request_number")]

    def __str__(self) -> str:
        return f"调阅清单第{self.number}号"


class DocumentItem(models.Model):
    """One file, archive, minutes book or ledger on a 调阅清单."""

    request = models.ForeignKey(DocumentRequest, on_delete=models.CASCADE, related_name="items")
    title = models.CharField("材料名称", max_length=200)
    copies = models.PositiveIntegerField("份（册）数", default=1)
    original = models.BooleanField("原件", default=False)

    class Meta:
        verbose_name = "调阅材料"
        verbose_name_plural = "调阅材料"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class WeeklyReport(BaseModel):
    """周报 of one week: the counts computed from the records when submitted, and next week's plan."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.CASCADE, related_name="weekly_reports")
    week_start = models.DateField("周起始日（星期一）")
    counts = models.JSONField("本周工作量")
    next_week_plan = models.TextField("下周工作安排")
    submitted_on = models.DateField("报送日期")

    class Meta:
        verbose_name = "工作周报"
        verbose_name_plural = "工作周报"
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["assignment", "week_start"], name="weekly_report_once")]

    def __str__(self) -> str:
        return f"{self.week_start:%Y年%m月%d日}当周周报"


class UrgentReport(BaseModel):
    """请示报告 to the leading group (or, in urgent cases, the committee's top leader); the matter and the
    answer are sealed."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.CASCADE, related_name="urgent_reports")
    matter = models.CharField("事项类别", max_length=30, choices=UrgentMatter.choices)
    addressee = models.CharField("报告对象", max_length=20, choices=UrgentAddressee.choices)
    sent_on = models.DateField("报告日期")
    sealed_content = SealedField("请示报告·内容", purpose="urgent_report")
    status = models.CharField("状态", max_length=20, choices=UrgentStatus.choices, default=UrgentStatus.SENT)
    sealed_answer = SealedField("请示报告·批示", purpose="urgent_answer", null=True, blank=True)
    answered_on = models.DateField("批示日期", null=True, blank=True)

    class Meta:
        verbose_name = "请示报告"
        verbose_name_plural = "请示报告"
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"请示报告（{self.get_matter_display()}）"
