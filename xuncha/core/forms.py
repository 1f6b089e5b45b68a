"""Forms of the core pages."""

import re
from typing import Any

from django import forms

from xuncha.core.audit_labels import action_choices
from xuncha.core.codetables import code_items
from xuncha.core.models import ConfigParam
from xuncha.core.models.calendar import DayKind
from xuncha.core.models.params import ParamType


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


WEEKDAYS = [(1, "周一"), (2, "周二"), (3, "周三"), (4, "周四"), (5, "周五"), (6, "周六"), (7, "周日")]
# Labels of the parts of structured parameters (the keys stay English in storage).
PART_LABELS = {
    "green": "绿色预警（距时限天数）",
    "yellow": "黄色预警（距时限天数）",
    "min": "每组人数下限",
    "max": "每组人数上限",
    "deputies_max": "副组长人数上限",
}
SKILL_SEPARATORS = re.compile(r"[\s、，,；;/]+")


def _skill_labels() -> dict[str, str]:
    """The 专业特长 code table as code → name (the team-skills parameter is edited and shown by name)."""
    return dict(code_items("skills").values_list("code", "label"))


RANGE = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-—–~至]\s*(\d{1,2}:\d{2})\s*$")


class ParamForm(forms.Form):
    """A committee's own value of one parameter, with a widget fit for its type (never raw JSON)."""

    def __init__(self, *args: Any, param: ConfigParam, current: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.param = param
        default = param.default
        if param.value_type == ParamType.INT:
            self.fields["value"] = forms.IntegerField(
                label=f"取值（{param.unit}）" if param.unit else "取值",
                min_value=param.min_value,
                max_value=param.max_value,
                initial=current,
            )
        elif param.value_type == ParamType.TEXT:
            self.fields["value"] = forms.CharField(label="取值", max_length=2000, initial=current)
        elif isinstance(default, dict) and set(default) == {"weekdays", "ranges"}:
            self.fields["weekdays"] = forms.TypedMultipleChoiceField(
                label="接听日（法定节假日除外）",
                choices=WEEKDAYS,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                initial=current.get("weekdays", []),
            )
            self.fields["ranges"] = forms.CharField(
                label="时段（每行一个，如 09:00-12:00）",
                widget=forms.Textarea(attrs={"rows": 3}),
                initial="\n".join(f"{a}-{b}" for a, b in current.get("ranges", [])),
            )
        elif isinstance(default, dict) and all(isinstance(v, int) for v in default.values()):
            for part in default:
                self.fields[f"part_{part}"] = forms.IntegerField(
                    label=PART_LABELS.get(part, part), min_value=0, initial=current.get(part)
                )
        elif isinstance(default, list) and all(isinstance(g, list) for g in default):
            labels = _skill_labels()
            self.fields["groups"] = forms.CharField(
                label="每行一组：填写专业特长名称，以顿号分隔（组内具备任一即可）",
                widget=forms.Textarea(attrs={"rows": 4}),
                initial="\n".join("、".join(labels.get(c, c) for c in g) for g in current),
                help_text="可选的专业特长：" + "、".join(labels.values()),
            )
        else:
            raise ValueError(f"no widget for parameter {param.key}")

    def value(self) -> Any:
        """The cleaned input as the parameter's stored value (the service validates it further)."""
        data = self.cleaned_data
        if "value" in self.fields:
            return data["value"]
        if "weekdays" in self.fields:
            ranges = []
            for number, line in enumerate(data["ranges"].splitlines(), start=1):
                if not line.strip():
                    continue
                match = RANGE.match(line)
                if not match:
                    raise forms.ValidationError(f"时段第 {number} 行应为“开始-结束”，如 09:00-12:00。")
                start, end = (t.zfill(5) for t in match.groups())
                if start >= end:
                    raise forms.ValidationError(f"时段第 {number} 行的结束时间应晚于开始时间。")
                ranges.append([start, end])
            if not ranges:
                raise forms.ValidationError("至少需要一个时段。")
            return {"weekdays": sorted(data["weekdays"]), "ranges": ranges}
        if "groups" in self.fields:
            codes = {label: code for code, label in _skill_labels().items()}
            groups = []
            for number, line in enumerate(data["groups"].splitlines(), start=1):
                names = [n for n in SKILL_SEPARATORS.split(line) if n]
                unknown = [n for n in names if n not in codes and n not in codes.values()]
                if unknown:
                    raise forms.ValidationError(f"第 {number} 行：没有名为“{'、'.join(unknown)}”的专业特长。")
                if names:
                    groups.append([codes.get(n, n) for n in names])
            if not groups:
                raise forms.ValidationError("至少需要一组专业特长。")
            return groups
        return {name.removeprefix("part_"): data[name] for name in self.fields}


class CodeOverrideForm(forms.Form):
    """A committee's own label for a code (an existing one, or a new local code)."""

    code = forms.SlugField(label="代码", max_length=60)
    label = forms.CharField(label="名称", max_length=200)
    active = forms.BooleanField(label="启用", required=False, initial=True)


class CodeTableVersionForm(forms.Form):
    """The items of a new code-table version, one "代码 名称" per line."""

    name = forms.CharField(label="名称", max_length=100)
    items = forms.CharField(label="代码项（每行“代码 名称”）", widget=forms.Textarea(attrs={"rows": 12}))


def param_display(param: ConfigParam, value: Any) -> str:
    """A parameter's value as a reader sees it (Chinese, not JSON)."""
    if isinstance(value, dict) and set(value) == {"weekdays", "ranges"}:
        days = dict(WEEKDAYS)
        listed = "、".join(days.get(d, str(d)) for d in value["weekdays"])
        return f"{listed}：{'、'.join(f'{a}-{b}' for a, b in value['ranges'])}"
    if isinstance(value, dict):
        return "；".join(f"{PART_LABELS.get(k, k)} {v}" for k, v in value.items())
    if isinstance(value, list):
        labels = _skill_labels()
        return "；".join(
            "或".join(labels.get(str(x), str(x)) for x in g) if isinstance(g, list) else str(g) for g in value
        )
    return f"{value} {param.unit}".strip()


class AuditFilterForm(forms.Form):
    """The audit log's filter: one action, chosen by its Chinese name (GET)."""

    action = forms.ChoiceField(label="操作", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", "全部操作"), *action_choices()]
