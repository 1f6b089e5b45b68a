"""The 公告 form the office or the team leader fills in."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

RANGE_SEPARATORS = re.compile(r"[\n、，,；;]+")
RANGE_DASH = re.compile(r"\s*(?:—+|–|－|-|~|～|至)\s*")


def ranges_text(ranges: list[list[str]]) -> str:
    """Reception ranges as the form shows them, one "HH:MM—HH:MM" a line."""
    return "\n".join(f"{start}—{end}" for start, end in ranges)


class AnnouncementForm(forms.Form):
    """The 公告 as the office or the team leader edits it; the service checks the business rules."""

    issuer = forms.CharField(label="发布机关", max_length=100, required=False, help_text="不填时按巡察组名称生成。")
    # Not required here: the service says what a 公告 must carry, for every caller alike.
    hotline = forms.CharField(label="专门值班电话", max_length=40, required=False)
    po_box = forms.CharField(label="专门邮政信箱", max_length=60, required=False)
    email = forms.CharField(label="电子邮箱", max_length=100, required=False)
    address = forms.CharField(label="接访地址", max_length=200, required=False)
    supervision_phone = forms.CharField(label="监督巡察组电话", max_length=40, required=False)
    reception_ranges = forms.CharField(
        label="接访时间",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="每行一个时段，如 09:00—12:00；法定节假日不接访。",
    )
    scope_text = forms.CharField(
        label="受理范围", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000, required=False
    )
    referral_text = forms.CharField(
        label="范围外事项处理",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text="可补充说明，如“巡察组只受理来电来信来访，不负责答复”。",
    )
    restore_defaults = forms.BooleanField(
        label="恢复默认",
        required=False,
        help_text="按派出党委的参数和标准表述重新生成接访时间、受理范围和范围外事项处理。",
    )

    @classmethod
    def initial_for(cls, values: dict[str, Any]) -> dict[str, Any]:
        """Initial form values from an announcement's saved (or default) values."""
        initial = {name: values[name] for name in cls.base_fields if name in values}
        initial["reception_ranges"] = ranges_text(values["reception_hours"].get("ranges", []))
        return initial

    def clean_reception_ranges(self) -> list[list[str]]:
        """The text split into (start, end) pairs; whether they are valid times is the service's to say."""
        pairs: list[list[str]] = []
        for chunk in RANGE_SEPARATORS.split(self.cleaned_data["reception_ranges"]):
            if chunk.strip():
                parts = RANGE_DASH.split(chunk.strip())
                if len(parts) != 2:
                    raise ValidationError(f"“{chunk.strip()}”不是时段，请写成“HH:MM—HH:MM”，如 09:00—12:00。")
                pairs.append(parts)
        return pairs
