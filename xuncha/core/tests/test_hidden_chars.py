"""Hidden characters: removed from every submitted text value and every page; passwords left as typed."""

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from xuncha.core.hidden_chars import HiddenCharsMiddleware, has_hidden, strip_hidden
from xuncha.core.spreadsheets import safe_cell_value

LISTED = (
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2060, 0x2065)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u061c", "\u180e", "\u00ad", "\U000e0041"]
    + [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\r"]
    + [chr(c) for c in range(0x7F, 0xA0)]
)


@pytest.mark.parametrize("char", LISTED, ids=[f"U+{ord(c):04X}" for c in LISTED])
def test_every_listed_character_is_removed(char: str) -> None:
    assert has_hidden(f"张{char}三")
    assert strip_hidden(f"张{char}三") == "张三"


def test_line_breaks_and_tabs_stay_and_ordinary_text_is_untouched() -> None:
    assert strip_hidden("第一行\r\n第二行\r第三行\n\t缩进") == "第一行\n第二行\n第三行\n\t缩进"
    text = "长沙市水业集团有限公司（党委）— ABC-123 😀"
    assert strip_hidden(text) == text and not has_hidden(text)


def _through_middleware(request: HttpRequest, view: object) -> HttpResponse:
    return HiddenCharsMiddleware(view)(request)  # type: ignore[arg-type]


def test_submitted_values_are_cleaned_but_passwords_and_the_csrf_token_are_not() -> None:
    request = RequestFactory().post(
        "/x/?q=%E2%80%AE%E5%BC%A0",
        {
            "name": "跳马镇\u200b石燕湖村\u202e",
            "note": "a\x00b\x07c",
            "password": "pa\u200bss\x00",
            "new_password1": "\u202eabc",
            "csrfmiddlewaretoken": "tok\u200ben",
        },
    )
    seen: dict[str, object] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update(request.POST.dict())
        seen["q"] = request.GET["q"]
        return HttpResponse("ok")

    _through_middleware(request, view)
    assert seen["name"] == "跳马镇石燕湖村" and seen["note"] == "abc" and seen["q"] == "张"
    assert seen["password"] == "pa\u200bss\x00" and seen["new_password1"] == "\u202eabc"
    assert seen["csrfmiddlewaretoken"] == "tok\u200ben"


def test_the_body_is_parsed_only_when_the_view_asks_so_upload_handlers_can_still_be_set() -> None:
    upload = SimpleUploadedFile("报告\u202egpj.exe", b"data")
    request = RequestFactory().post("/x/", {"title": "\u200b标题", "file": upload})
    seen: dict[str, object] = {}

    def view(request: HttpRequest) -> HttpResponse:
        request.upload_handlers = [MemoryFileUploadHandler(request)]  # raises once the body is parsed
        seen["title"] = request.POST["title"]
        seen["file"] = request.FILES["file"].name
        return HttpResponse("ok")

    _through_middleware(request, view)
    assert seen == {"title": "标题", "file": "报告gpj.exe"}


def test_pages_never_show_hidden_characters_but_downloads_are_left_alone() -> None:
    request = RequestFactory().get("/x/")
    page = _through_middleware(request, lambda r: HttpResponse("<p>甲\u202e乙\u200b丙\x00</p>\n"))
    assert page.content.decode() == "<p>甲乙丙</p>\n"
    data = "\u200b=1+1".encode()
    download = _through_middleware(request, lambda r: HttpResponse(data, content_type="text/csv"))
    assert download.content == data


def test_the_middleware_is_installed() -> None:
    assert "xuncha.core.hidden_chars.HiddenCharsMiddleware" in settings.MIDDLEWARE


def test_the_spreadsheet_writer_drops_hidden_characters_of_stored_text() -> None:
    # A control character made openpyxl refuse the whole export; the neutraliser itself is added after.
    assert safe_cell_value("甲\x01乙\u202e") == "甲乙"
    assert safe_cell_value("\u200b=cmd") == "\u200b=cmd"


def test_a_null_character_is_refused_with_a_clear_chinese_message() -> None:
    with pytest.raises(forms.ValidationError) as refused:
        forms.CharField().clean("a\x00b")
    assert refused.value.messages == ["内容中含有空字符（NUL，一种看不见的控制字符），请删除后重新输入。"]


@pytest.mark.django_db
def test_a_null_character_in_a_password_is_named_in_chinese_on_the_sign_in_page(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "nobody", "password": "a\x00b"})
    body = response.content.decode()
    assert "内容中含有空字符" in body
    assert "空字符串" not in body and "Null characters" not in body
