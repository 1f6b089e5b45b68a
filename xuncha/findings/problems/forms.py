"""The working paper and the immediate-fix forms; the services check the rules."""

from typing import Any

from django import forms

from xuncha.core.codetables import code_choices, code_items
from xuncha.core.forms import DatePicker
from xuncha.core.pickers import PickerInput
from xuncha.findings.models import ProblemTrack, ResponsibilityKind, Severity
from xuncha.planning.models import Assignment


class ProblemForm(forms.Form):
    title = forms.CharField(label="问题标题", max_length=200)
    category = forms.ChoiceField(label="问题类别")
    phenomenon = forms.CharField(
        label="问题表现（现象）", widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000,
        help_text="写明时间、地点、人物、事件、金额。",
    )  # fmt: skip
    qualification = forms.CharField(
        label="定性依据（定性）", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000,
        help_text="违反了哪项规定的哪一条。",
    )  # fmt: skip
    responsibility_text = forms.CharField(
        label="责任指向", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )
    discipline = forms.ChoiceField(label="纪律分类", required=False)
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices)
    track = forms.ChoiceField(label="办理方式", choices=ProblemTrack.choices)
    is_common = forms.BooleanField(label="共性问题", required=False)
    evidence = forms.CharField(
        label="佐证材料清单", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000,
        help_text="每行一项，写明编号和来源（谈话记录、调阅材料、信访件等）。",
    )  # fmt: skip

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committee = assignment.round.committee
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = code_choices(assignment.round.framework, committee=committee)
        discipline = self.fields["discipline"]
        assert isinstance(discipline, forms.ChoiceField)
        discipline.choices = [("", "—"), *code_items("six_disciplines").values_list("code", "label")]


class FixIssueForm(forms.Form):
    requirement = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    due_on = forms.DateField(label="完成时限", widget=DatePicker())


class FixTextForm(forms.Form):
    text = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)


class ResponsibilityForm(forms.Form):
    person_code = forms.CharField(label="责任人", max_length=40)
    kind = forms.ChoiceField(label="责任类型", choices=ResponsibilityKind.choices)

    def __init__(self, *args: Any, problem: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if problem is not None:  # suggestions from the inspected unit's roster
            self.fields["person_code"].widget = PickerInput("findings:roster_pick", source_args=[problem.pk])
