"""Forms of the public channel and of the team's queue."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import QueryDict

from xuncha.core.forms import DatePicker, MomentPicker
from xuncha.petitions.choices import Channel, ContactMethod, PetitionStatus, SourceRequirement


class PetitionFields(forms.Form):
    """Who reports (optional) and what is reported: shared by the public form and staff registration."""

    name = forms.CharField(label="您的姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    unit = forms.CharField(label="工作单位", max_length=100, required=False)
    address = forms.CharField(label="联系地址", max_length=200, required=False)
    subject_name = forms.CharField(label="被反映人姓名", max_length=50, required=False)
    subject_unit = forms.CharField(label="被反映人单位", max_length=100, required=False)
    subject_position = forms.CharField(label="被反映人职务", max_length=100, required=False)
    what = forms.CharField(label="反映的问题", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    when = forms.CharField(label="发生时间", max_length=100, required=False)
    where = forms.CharField(label="发生地点", max_length=200, required=False)


def _plain_messages(form_class: type[forms.Form]) -> None:
    """Errors a member of the public understands (Django's own say “该变量” and “字符”)."""
    for field in form_class.base_fields.values():
        field.error_messages["required"] = "请填写此项。"
        field.validators = [
            MaxLengthValidator(v.limit_value, message="最多 %(limit_value)d 个字（现为 %(show_value)d 个字）。")
            if isinstance(v, MaxLengthValidator)
            else v
            for v in field.validators
        ]


_plain_messages(PetitionFields)


class ReportForm(PetitionFields):
    anonymous = forms.TypedChoiceField(
        label="反映方式",
        choices=[("1", "匿名反映"), ("0", "实名反映")],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )


def valid_data(form_class: type[forms.Form], data: QueryDict) -> dict[str, Any] | None:
    """The cleaned data when every field is valid, else None (then build the form to show the errors).

    The public form's hot path: the class's own fields clean the values (the same rules as the form)
    without copying them into a form instance. Only for forms with no form-level `clean`."""
    cleaned = {}
    for name, field in form_class.base_fields.items():
        try:
            cleaned[name] = field.clean(field.widget.value_from_datadict(data, {}, name))
        except ValidationError:
            return None
    return cleaned


class ReceiptForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=40)
    addition = forms.CharField(
        label="补充情况", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复反映人", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="内部记录（不对反映人显示）", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="处理", choices=PetitionStatus.choices)
    reason = forms.CharField(label="说明", required=False, max_length=500)


class RegisterForm(PetitionFields):
    assignment = forms.TypedChoiceField(label="巡察任务", coerce=int)
    channel = forms.ChoiceField(label="来源渠道", choices=[c for c in Channel.choices if c[0] != Channel.QR])
    received_at = forms.DateTimeField(label="收到时间", widget=MomentPicker())
    # 上级转办 only: the sender's letter.
    source_office = forms.CharField(label="来文单位", max_length=100, required=False)
    letter_no = forms.CharField(label="来文文号", max_length=60, required=False)
    requirement = forms.ChoiceField(label="办理要求", choices=[("", "—"), *SourceRequirement.choices], required=False)
    due_on = forms.DateField(label="报结时限", required=False, widget=DatePicker())
    field_order = ["assignment", "channel", "received_at"]
    INCOMING = ("source_office", "letter_no", "requirement", "due_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "反映人姓名（匿名可不填）"

    def petition_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n not in self.INCOMING]

    def incoming_fields(self) -> list[forms.BoundField]:
        """The 上级转办 letter's fields, shown in their own fieldset."""
        return [self[n] for n in self.INCOMING]


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(label="处置方式")
    category = forms.ChoiceField(label="纪律分类", required=False)
    petition_class = forms.ChoiceField(label="信访类别", required=False)
    merged_into = forms.TypedChoiceField(
        label="合并到信访件", required=False, coerce=int, empty_value=None, help_text="本巡察任务中更早收到的信访件。"
    )
    receiver = forms.CharField(label="承办单位", max_length=100, required=False)
    letter_no = forms.CharField(label="转办文号", max_length=60, required=False)
    sent_on = forms.DateField(label="转办日期", required=False, widget=DatePicker())


class ReferralForm(forms.Form):
    acknowledged_on = forms.DateField(label="签收日期", required=False, widget=DatePicker())
    result = forms.CharField(label="办理结果", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    result_on = forms.DateField(label="结果回复日期", required=False, widget=DatePicker())


class ContactForm(forms.Form):
    via = forms.ChoiceField(label="方式", choices=ContactMethod.choices)
    at = forms.DateTimeField(label="时间", widget=MomentPicker())


class IncomingReportForm(forms.Form):
    reported_on = forms.DateField(label="报结日期", widget=DatePicker())
    text = forms.CharField(label="报结情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
