"""Forms of the problem-lead pages (choices that depend on the user are filled in by the views)."""

from typing import Any

from django import forms

from xuncha.core.codetables import code_items
from xuncha.core.forms import DatePicker
from xuncha.findings.leads.choices import (
    Confidentiality,
    DecisionBody,
    Destination,
    Disposal,
    EscalationKind,
    LeadSource,
)

TEXT = {"rows": 3}


def _categories() -> list[tuple[str, str]]:
    return [("", "—"), *code_items("six_disciplines").values_list("code", "label")]


class LeadRegisterForm(forms.Form):
    assignment = forms.TypedChoiceField(label="巡察任务", coerce=int)
    source = forms.ChoiceField(label="线索来源", choices=[c for c in LeadSource.choices if c[0] != LeadSource.PETITION])
    subject_name = forms.CharField(label="被反映人姓名", max_length=40)
    subject_post = forms.CharField(label="被反映人单位职务", max_length=100, required=False)
    summary = forms.CharField(label="反映的主要问题", widget=forms.Textarea(attrs=TEXT))
    facts = forms.CharField(label="具体事实和查证方向", required=False, widget=forms.Textarea(attrs=TEXT))
    category = forms.ChoiceField(label="纪律分类")
    confidentiality = forms.ChoiceField(label="密级要求", choices=Confidentiality.choices)
    about_own_discipline_leaders = forms.BooleanField(label="涉及本级纪委监委领导班子成员", required=False)

    def __init__(self, *args: Any, assignments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].choices = assignments  # type: ignore[attr-defined]
        self.fields["category"].choices = _categories()  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    on = forms.DateField(label="组务会日期", widget=DatePicker())
    opinion = forms.CharField(label="组务会研究意见", required=False, widget=forms.Textarea(attrs=TEXT))


class ProposeForm(forms.Form):
    destination = forms.ChoiceField(label="处置建议", choices=Destination.choices)
    receiver_name = forms.CharField(label="接收单位（交办或移交职能部门时填写）", max_length=100, required=False)
    fast_track = forms.BooleanField(label="直查快办（简单清晰、群众反映强烈，进驻期间即移交）", required=False)
    opinion = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs=TEXT))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs=TEXT))


class DecideForm(forms.Form):
    leads = forms.TypedMultipleChoiceField(label="问题线索", coerce=int, widget=forms.CheckboxSelectMultiple)
    body = forms.ChoiceField(label="决定机构", choices=DecisionBody.choices)
    decided_on = forms.DateField(label="决定日期", widget=DatePicker())
    minutes_no = forms.CharField(label="会议纪要或批件编号", max_length=60, required=False)

    def __init__(self, *args: Any, leads: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leads"].choices = leads  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    leads = forms.TypedMultipleChoiceField(label="问题线索", coerce=int, widget=forms.CheckboxSelectMultiple)
    letter_no = forms.CharField(label="移交函文号", max_length=60)
    transferred_on = forms.DateField(label="移交日期", widget=DatePicker())
    materials = forms.CharField(
        label="移交材料（每行一项）",
        widget=forms.Textarea(attrs=TEXT),
        initial="问题线索登记表\n谈话记录摘录\n相关证据材料",
    )

    def __init__(self, *args: Any, leads: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leads"].choices = leads  # type: ignore[attr-defined]


class SignForm(forms.Form):
    on = forms.DateField(label="签收日期", widget=DatePicker())


class DisposalForm(forms.Form):
    disposal = forms.ChoiceField(label="处置方式", choices=Disposal.choices)
    on = forms.DateField(label="处置日期", widget=DatePicker())


class ReportBackForm(forms.Form):
    on = forms.DateField(label="反馈日期", widget=DatePicker())
    result = forms.CharField(label="办理结果", widget=forms.Textarea(attrs=TEXT))


class EscalateForm(forms.Form):
    kind = forms.ChoiceField(label="督办方式", choices=EscalationKind.choices)
