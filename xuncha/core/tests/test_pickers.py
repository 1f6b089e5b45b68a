"""The browser's date pickers get ISO values whatever the page's language (zh-hans formats dates in Chinese)."""

from datetime import date, datetime

from django import forms
from django.utils import translation

from xuncha.core.forms import DatePicker, MomentPicker


class _Form(forms.Form):
    day = forms.DateField(widget=DatePicker)
    moment = forms.DateTimeField(widget=MomentPicker)


def test_pickers_show_the_initial_value_in_the_format_the_browser_reads():
    with translation.override("zh-hans"):
        html = str(_Form(initial={"day": date(2024, 10, 15), "moment": datetime(2024, 10, 15, 9, 30)}))
    assert 'type="date"' in html and 'value="2024-10-15"' in html
    assert 'type="datetime-local"' in html and 'value="2024-10-15T09:30"' in html
    bound = _Form({"day": "2024-10-15", "moment": "2024-10-15T09:30"})
    assert bound.is_valid() and bound.cleaned_data["day"] == date(2024, 10, 15)
