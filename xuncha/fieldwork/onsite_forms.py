"""The forms of the on-site workspace; the services check the business rules, for every caller alike."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from xuncha.fieldwork.choices import MeetingKind, Method, UrgentAddressee, UrgentMatter
from xuncha.fieldwork.models import DocumentRequest, InterviewSubject
from xuncha.orgs.models import Person
from xuncha.planning.models import Assignment

DATE = forms.DateInput(attrs={"type": "date"})
ITEM_LINE = re.compile(r"^(?P<title>.+?)(?:[，,\s]+(?P<copies>\d+)\s*[份册本]?)?(?P<original>[（(]原件[)）])?$")


class TeamForm(forms.Form):
    """A form whose person and record choices are those of one assignment."""

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roster = Person.objects.filter(team_memberships__team__assignments=assignment).distinct()
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                model = field.queryset.model if field.queryset is not None else None
                if model is Person:
                    field.queryset = roster
                elif model is InterviewSubject:
                    field.queryset = InterviewSubject.objects.filter(assignment=assignment)
                elif model is DocumentRequest:
                    field.queryset = DocumentRequest.objects.filter(assignment=assignment)


class MeetingForm(TeamForm):
    kind = forms.ChoiceField(label="会议", choices=MeetingKind.choices)
    held_on = forms.DateField(label="召开日期", widget=DATE)
    chair = forms.CharField(label="主持人", max_length=100)
    place = forms.CharField(label="地点", max_length=200, required=False)
    speakers = forms.CharField(label="讲话、表态人", max_length=300, required=False)
    note = forms.CharField(label="会议情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SubjectForm(TeamForm):
    name = forms.CharField(label="姓名", max_length=50)
    title = forms.CharField(label="单位职务", max_length=200)


class InterviewForm(TeamForm):
    subject = forms.ModelChoiceField(label="谈话对象", queryset=InterviewSubject.objects.none())
    held_on = forms.DateField(label="谈话日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=200, required=False)
    interviewers = forms.ModelMultipleChoiceField(
        label="谈话人（两人以上）", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    recorder = forms.ModelChoiceField(label="记录人", queryset=Person.objects.none())
    text = forms.CharField(label="谈话记录", widget=forms.Textarea(attrs={"rows": 6}))
    confirmed = forms.BooleanField(label="谈话对象已核对并签字", required=False)


class WaiveForm(TeamForm):
    subject = forms.ModelChoiceField(label="谈话对象", queryset=InterviewSubject.objects.none())
    reason = forms.CharField(label="理由", max_length=300)


class ActivityForm(TeamForm):
    method = forms.ChoiceField(label="方式", choices=Method.choices)
    held_on = forms.DateField(label="日期", widget=DATE)
    counterpart = forms.CharField(label="对象（单位或人员）", max_length=200)
    participants = forms.ModelMultipleChoiceField(
        label="参加的巡察人员", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label="主要情况", widget=forms.Textarea(attrs={"rows": 3}))
    unannounced = forms.BooleanField(
        label="四不两直（不发通知、不打招呼、不听汇报、不用陪同接待，直奔基层、直插现场）", required=False
    )


class DocumentRequestForm(TeamForm):
    provider = forms.CharField(label="提供部门", max_length=100)
    requested_on = forms.DateField(label="提出日期", widget=DATE)
    items = forms.CharField(
        label="调阅材料",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项，可在名称后写份数，原件注明“（原件）”，如：2023年党委会会议记录，2册（原件）",
    )

    def clean_items(self) -> list[tuple[str, int, bool]]:
        parsed = []
        for line in str(self.cleaned_data["items"]).splitlines():
            line = line.strip()
            if not line:
                continue
            match = ITEM_LINE.match(line)
            if match is None:
                raise ValidationError(f"无法识别：{line}")
            copies = int(match.group("copies") or 1)
            parsed.append((match.group("title").strip(), copies, bool(match.group("original"))))
        return parsed


class HandOverForm(TeamForm):
    request = forms.ModelChoiceField(label="调阅清单", queryset=DocumentRequest.objects.none())
    on = forms.DateField(label="调入日期", widget=DATE)
    handed_by = forms.CharField(label="移交人（被巡察单位）", max_length=50)
    received_by = forms.ModelChoiceField(label="接收人", queryset=Person.objects.none())


class GiveBackForm(TeamForm):
    request = forms.ModelChoiceField(label="调阅清单", queryset=DocumentRequest.objects.none())
    on = forms.DateField(label="归还日期", widget=DATE)
    returned_by = forms.ModelChoiceField(label="归还人", queryset=Person.objects.none())
    taken_back_by = forms.CharField(label="接收人（被巡察单位）", max_length=50)


class WeeklyForm(TeamForm):
    week_start = forms.DateField(label="所在周（任一日）", widget=DATE)
    next_week_plan = forms.CharField(label="下周工作安排", widget=forms.Textarea(attrs={"rows": 3}))


class UrgentForm(TeamForm):
    matter = forms.ChoiceField(label="事项类别", choices=UrgentMatter.choices)
    addressee = forms.ChoiceField(label="报告对象", choices=UrgentAddressee.choices)
    content = forms.CharField(label="报告内容", widget=forms.Textarea(attrs={"rows": 5}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="批示意见", widget=forms.Textarea(attrs={"rows": 3}))
