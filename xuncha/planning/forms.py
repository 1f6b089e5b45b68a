"""Forms of planning pages; choices that depend on the user are filled in by the views."""

from django import forms

from xuncha.core.forms import DatePicker
from xuncha.core.pickers import PickerInput
from xuncha.planning.choices import CandidateReason, DeclarationResult, DeclarationSource, PoolKind, TeamPost, TeamRole


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DatePicker)


class CoveragePlanForm(forms.Form):
    committee = forms.TypedChoiceField(label="党委", coerce=int)
    term = forms.CharField(label="届次", max_length=40, help_text="如：第十四届")
    start_date = _date("任期开始")
    end_date = _date("任期结束")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AnnualPlanForm(forms.Form):
    committee = forms.TypedChoiceField(label="党委", coerce=int)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="标题", max_length=100, required=False, help_text="留空则自动生成")
    planned_rounds = forms.IntegerField(label="计划轮次数", min_value=1, max_value=10, initial=2)
    summary = forms.CharField(label="工作安排", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class CandidateForm(forms.Form):
    org_code = forms.CharField(label="单位", max_length=40, widget=PickerInput("orgs:organization_pick"))
    inspection_type = forms.ChoiceField(label="拟巡察类型")
    reasons = forms.MultipleChoiceField(
        label="选取理由", choices=CandidateReason.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="补充说明", max_length=200, required=False)


class ApprovalForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    opinion = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RoundForm(forms.Form):
    committee = forms.TypedChoiceField(label="党委", coerce=int)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    seq_no = forms.IntegerField(label="轮次序号", min_value=1, max_value=20)
    name = forms.CharField(label="轮次名称", max_length=100, required=False, help_text="留空则为“××第N轮巡察”")
    framework = forms.ChoiceField(label="监督重点框架")
    start_date = _date("计划开始")
    end_date = _date("计划结束")
    focus = forms.CharField(label="监督重点与工作要求", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class FileForm(forms.Form):
    filing_no = forms.CharField(label="报备文号", max_length=60)


class AssignmentForm(forms.Form):
    org_code = forms.CharField(label="被巡察单位", max_length=40, widget=PickerInput("orgs:organization_pick"))
    inspection_type = forms.ChoiceField(label="巡察类型")
    flags = forms.MultipleChoiceField(label="巡察方式", required=False, widget=forms.CheckboxSelectMultiple)
    planned_entry = _date("计划进驻日期")
    planned_end = _date("结束日期（方案已确定时填写）", required=False)
    team = forms.TypedChoiceField(label="巡察组", coerce=int, required=False, empty_value=None)
    extra_org_codes = forms.CharField(label="延伸单位编码", required=False, help_text="多个编码用逗号分隔")
    note = forms.CharField(label="备注", max_length=200, required=False)


class TransitionForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    effective_on = _date("发生日期", required=False)
    reason = forms.CharField(label="说明", required=False, max_length=500)


class AuthorizeForm(forms.Form):
    doc_no = forms.CharField(label="授权文号", max_length=60)
    on = _date("授权日期", required=False)


class DeclarationForm(forms.Form):
    person = forms.TypedChoiceField(label="人员", coerce=int)
    source = forms.ChoiceField(label="来源", choices=DeclarationSource.choices)
    reason = forms.CharField(label="回避事由", widget=forms.Textarea(attrs={"rows": 2}))
    rule = forms.CharField(required=False, widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    result = forms.ChoiceField(
        label="处理结果", choices=[c for c in DeclarationResult.choices if c[0] != DeclarationResult.PENDING]
    )
    note = forms.CharField(label="批准意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PoolMemberForm(forms.Form):
    person_code = forms.CharField(label="人员", max_length=40, widget=PickerInput("orgs:person_pick"))
    committee = forms.TypedChoiceField(label="所属党委", coerce=int)
    kind = forms.ChoiceField(label="入库类别", choices=PoolKind.choices)
    skills = forms.MultipleChoiceField(label="专业特长", required=False, widget=forms.CheckboxSelectMultiple)
    available = forms.BooleanField(label="可调用", required=False, initial=True)
    unavailable_from = _date("不可调用起", required=False)
    unavailable_to = _date("不可调用止", required=False)
    recommended_by = forms.CharField(label="推荐单位", max_length=100, required=False)
    vetted_on = _date("入库日期", required=False)
    evaluation = forms.CharField(label="最近一次鉴定", max_length=100, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


class PoolAccountForm(forms.Form):
    username = forms.CharField(
        label="平台账号",
        max_length=150,
        required=False,
        help_text="该人员本人登录本平台所用账号，账号姓名须与库内人员一致；留空则解除关联",
    )


class TeamMemberForm(forms.Form):
    person_code = forms.CharField(label="人员", max_length=40, widget=PickerInput("orgs:person_pick"))
    role = forms.ChoiceField(label="职务", choices=TeamRole.choices)
    posts = forms.MultipleChoiceField(
        label="岗位", choices=TeamPost.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class FormationForm(forms.Form):
    team_count = forms.IntegerField(label="巡察组数", min_value=1, max_value=60)
    time_limit = forms.IntegerField(label="求解时限（秒）", min_value=1, max_value=120, initial=10)
    pinned_people = forms.CharField(
        label="固定人员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行“姓名或人员编号=组序号”，如：张三=1",
    )
    pinned_leaders = forms.CharField(
        label="指定组长",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行“组序号=姓名或人员编号”，如：2=李四",
    )
    pinned_slots = forms.CharField(
        label="固定任务",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行“单位名称或编码=组序号”，如：市财政局=3",
    )
    excluded = forms.CharField(
        label="不参加本轮的人员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个姓名或人员编号",
    )
