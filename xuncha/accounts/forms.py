"""Forms of the accounts pages."""

from django import forms

from xuncha.accounts.models import ResetKind
from xuncha.core.models import Committee
from xuncha.core.pickers import PickerInput
from xuncha.core.roles import Role


class LoginForm(forms.Form):
    """Username and password."""

    username = forms.CharField(
        label="用户名", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TotpForm(forms.Form):
    """A 6-digit code from the authenticator app."""

    code = forms.RegexField(
        label="动态口令",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": "请输入 6 位数字动态口令。"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


class UserCreateForm(forms.Form):
    """A new account."""

    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z0-9_.-]{3,150}$",
        error_messages={"invalid": "用户名只能由 3 位以上英文字母、数字、下划线、点或连字符组成。"},
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="办公电话", max_length=30, required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, min_length=10)


class PasswordForm(forms.Form):
    """A new password, typed twice."""

    password = forms.CharField(label="新密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") != data.get("password2"):
            raise forms.ValidationError("两次输入的新密码不一致。")
        return data


class OwnPasswordForm(PasswordForm):
    """Changing one's own password needs the current one."""

    current = forms.CharField(label="当前密码", widget=forms.PasswordInput)
    field_order = ["current", "password", "password2"]


class GrantForm(forms.Form):
    """A role grant; unit roles name the organisation by its code."""

    role = forms.ChoiceField(label="角色", choices=Role.choices)
    committee = forms.ModelChoiceField(label="派出党委", queryset=Committee.objects.all(), required=False)
    org_code = forms.CharField(
        label="单位（单位类角色填写）", max_length=40, required=False, widget=PickerInput("accounts:grant_org_pick")
    )


class ResetRequestForm(forms.Form):
    """What to reset, and why (the reason goes to the approver and the audit trail)."""

    kind = forms.ChoiceField(label="重置类型", choices=ResetKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="事由", max_length=200, help_text="如：本人遗忘密码、手机丢失，并写明核实本人身份的方式。"
    )
