"""Forms of the core pages."""

from django import forms

from xuncha.core.models.calendar import DayKind


class CalendarDayForm(forms.Form):
    """Mark a date as a holiday or a 调休 working day."""

    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices)
    name = forms.CharField(label="名称", max_length=40)
    source = forms.CharField(label="依据", max_length=200, required=False)


class ParamForm(forms.Form):
    """A committee's own value of one parameter (JSON parameters are edited as JSON text)."""

    value = forms.CharField(label="取值", max_length=2000)


class CodeTableVersionForm(forms.Form):
    """The items of a new code-table version, one "代码 名称" per line."""

    name = forms.CharField(label="名称", max_length=100)
    items = forms.CharField(label="代码项（每行“代码 名称”）", widget=forms.Textarea(attrs={"rows": 12}))
