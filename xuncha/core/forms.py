"""Forms of the core pages."""

from typing import Any

from django import forms

from xuncha.core.audit_labels import action_choices
from xuncha.core.models.calendar import DayKind


class DatePicker(forms.DateInput):
    """The browser's date picker: its value must be ISO whatever the language of the page."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MomentPicker(forms.DateTimeInput):
    """The browser's date-and-time picker (local time, ISO, to the minute)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CalendarDayForm(forms.Form):
    """Mark a date as a holiday or a 调休 working day."""

    day = forms.DateField(label="日期", widget=DatePicker())
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


class AuditFilterForm(forms.Form):
    """The audit log's filter: one action, chosen by its Chinese name (GET)."""

    action = forms.ChoiceField(label="操作", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", "全部操作"), *action_choices()]
