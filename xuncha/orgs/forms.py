"""Forms of the registry pages."""

from django import forms

from xuncha.core.forms import DatePicker
from xuncha.orgs.choices import OrgLevel, PartyOrgType, RelationKind, RelationSource

MAX_UPLOAD = 10 * 1024 * 1024


class ImportForm(forms.Form):
    """An .xlsx (or CSV) file to import."""

    file = forms.FileField(label="Excel 文件（.xlsx，也可上传 CSV）")

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("文件超过 10 MB，请分批导入。")
        # The name is not checked: the importer reads the first bytes and names what the file really is.
        return upload


class OrganizationForm(forms.Form):
    """One organisation's registry entry."""

    org_code = forms.CharField(label="单位编码", max_length=40)
    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=40, required=False)
    parent_code = forms.CharField(label="上级单位编码", max_length=40, required=False)
    level = forms.ChoiceField(label="层级", choices=OrgLevel.choices)
    party_org_type = forms.ChoiceField(label="党组织类型", choices=PartyOrgType.choices)
    committee = forms.ChoiceField(label="管理党委")
    sector_tags = forms.MultipleChoiceField(label="行业标签", required=False, widget=forms.CheckboxSelectMultiple)


class RelationshipForm(forms.Form):
    """A relation of the person shown to another person, named by 人员编号."""

    other_code = forms.CharField(label="对方人员编号", max_length=40)
    kind = forms.ChoiceField(label="关系", choices=RelationKind.choices)
    source = forms.ChoiceField(label="来源", choices=RelationSource.choices)
    valid_from = forms.DateField(label="起始", required=False, widget=DatePicker())
    valid_to = forms.DateField(label="终止", required=False, widget=DatePicker())
    note = forms.CharField(label="说明", max_length=200, required=False)
