"""Hostile import files: refused in Chinese, never a 500, never half-stored; every row read and checked."""

import codecs
import io
import re
import zipfile
from collections.abc import Callable

import pytest

from xuncha.orgs import import_rows
from xuncha.orgs.import_rows import MAX_LISTED, ImportRejected
from xuncha.orgs.models import Organization, Position
from xuncha.orgs.registry_xlsx import organization_import, roster_import
from xuncha.orgs.tests.test_import import GOOD_ORGS, ORG_HEADER, ROSTER, ROSTER_HEADER, xlsx

SHEET = "xl/worksheets/sheet1.xml"


def named(data: bytes, name: str = "data.xlsx") -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def rezipped(source: io.BytesIO, sheet: Callable[[bytes], bytes]) -> io.BytesIO:
    """The workbook with its first sheet's XML rewritten."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            copy.writestr(info.filename, sheet(data) if info.filename == SHEET else data)
    return named(out.getvalue())


def bomb(megabytes: int) -> io.BytesIO:
    """A valid workbook whose sheet XML is padded with `megabytes` MB of whitespace (compresses ~1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(xlsx(ORG_HEADER, GOOD_ORGS)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename != SHEET:
                z.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with z.open(SHEET, "w", force_zip64=True) as member:
                member.write(head)
                for _ in range(megabytes):
                    member.write(b" " * (1024 * 1024))
                member.write(b"</sheetData>" + tail)
    return named(out.getvalue())


def refusal(personas: dict, file: io.BytesIO, importer: Callable = organization_import) -> str:
    with pytest.raises(ImportRejected) as refused:
        importer(actor=personas["yuhua_office"], file=file)
    return str(refused.value)


def test_a_zip_bomb_is_refused_by_its_declared_size_before_parsing(personas: dict, orgs: dict) -> None:
    file = bomb(200)
    assert len(file.getvalue()) < 1024 * 1024
    message = refusal(personas, file)
    assert "解压后约 200 MB" in message and "64 MB" in message


def test_a_highly_compressed_file_under_the_size_limit_is_refused_by_its_ratio(personas: dict, orgs: dict) -> None:
    message = refusal(personas, bomb(30))
    assert "压缩比异常" in message and "100 倍" in message
    assert not Organization.objects.filter(org_code="YH-TMZ-C02").exists()


def test_an_understated_dimension_does_not_hide_rows(personas: dict, orgs: dict) -> None:
    file = rezipped(
        xlsx(ORG_HEADER, GOOD_ORGS), lambda x: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', x)
    )
    report = organization_import(actor=personas["yuhua_office"], file=file)
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 3
    assert Organization.objects.filter(org_code__in=[r[0] for r in GOOD_ORGS]).count() == 3


def test_a_cell_of_32767_characters_is_named_and_nothing_is_stored(personas: dict, orgs: dict, login: Callable) -> None:
    rows = [GOOD_ORGS[0], [*GOOD_ORGS[1][:1], "村" * 32767, *GOOD_ORGS[1][2:]]]
    report = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, rows))
    assert "第 3 行 B 列（单位名称）：超过 100 字的长度上限（现有 32767 字）" in [str(e) for e in report.errors]
    assert not Organization.objects.filter(org_code__in=["YH-TMZ-C02", "YH-TMZ-C03"]).exists()
    response = login(personas["yuhua_office"]).post("/orgs/import/organizations/", {"file": xlsx(ORG_HEADER, rows)})
    assert response.status_code == 400 and "超过 100 字" in response.content.decode()


def test_a_long_post_title_is_refused_on_every_database(personas: dict, orgs: dict) -> None:
    rows = [[*ROSTER[0][:7], "书记" * 51, *ROSTER[0][8:]]]
    report = roster_import(actor=personas["yuhua_office"], file=xlsx(ROSTER_HEADER, rows))
    assert any(str(e).startswith("第 2 行 H 列（职务）：超过 100 字") for e in report.errors)
    assert Position.objects.count() == 0


def test_a_formula_cell_is_refused_by_name(personas: dict, orgs: dict) -> None:
    rows = [GOOD_ORGS[0], [GOOD_ORGS[1][0], '="跳马镇"&"白竹村"', *GOOD_ORGS[1][2:]]]
    report = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, rows))
    messages = [str(e) for e in report.errors]
    assert any(m.startswith("第 3 行 B 列（单位名称）：是公式") and "数值" in m for m in messages), messages
    assert not any("不能为空" in m for m in messages)
    assert not Organization.objects.filter(org_code="YH-TMZ-C02").exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "文件是空的"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "旧版 Excel（.xls）"),
        (bytes(range(256)) * 40, "无法识别的文件"),
        (b"PK\x03\x04" + bytes(200), "已损坏"),
    ],
    ids=["empty", "xls", "binary", "broken-zip"],
)
def test_files_that_are_no_workbook_are_named_in_chinese(
    personas: dict, orgs: dict, data: bytes, expected: str
) -> None:
    assert expected in refusal(personas, named(data))


def test_a_word_document_renamed_and_a_truncated_or_corrupt_workbook_are_refused(personas: dict, orgs: dict) -> None:
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert "Word 文档" in refusal(personas, named(docx.getvalue()))
    whole = xlsx(ORG_HEADER, GOOD_ORGS).getvalue()
    assert "已损坏" in refusal(personas, named(whole[: len(whole) // 2]))
    broken = rezipped(xlsx(ORG_HEADER, GOOD_ORGS), lambda x: x.replace(b"</sheetData>", b"<row><c>"))
    assert "已损坏" in refusal(personas, broken)


def test_the_page_refuses_hostile_files_with_a_message_never_a_500(personas: dict, orgs: dict, login: Callable) -> None:
    client = login(personas["yuhua_office"])
    for data, expected in (
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), ".xls"),
        (bomb(200).getvalue(), "200 MB"),
    ):
        response = client.post("/orgs/import/organizations/", {"file": named(data, "renamed.xlsx")})
        assert response.status_code == 400 and expected in response.content.decode()
    response = client.post("/orgs/import/organizations/", {"file": named(b"", "empty.xlsx")})
    assert response.status_code == 400 and "空文件" in response.content.decode()


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_a_csv_in_a_chinese_encoding_imports(personas: dict, orgs: dict, encoding: str) -> None:
    lines = [",".join(ORG_HEADER)] + [",".join(row) for row in GOOD_ORGS]
    file = named("\r\n".join(lines).encode(encoding), "orgs.csv")
    report = organization_import(actor=personas["yuhua_office"], file=file)
    assert report.ok, [str(e) for e in report.errors]
    assert Organization.objects.get(org_code="YH-TMZ-C02").name == "跳马镇石燕湖村"


def test_a_csv_with_errors_names_row_and_column(personas: dict, orgs: dict) -> None:
    text = ",".join(ORG_HEADER) + "\n" + ",".join(["YH-X", "", "", "YH-TMZ", "村", "党支部", "", "中共雨花区委"])
    report = organization_import(actor=personas["yuhua_office"], file=named(codecs.BOM_UTF8 + text.encode(), "x.csv"))
    assert "第 2 行 B 列（单位名称）：不能为空" in [str(e) for e in report.errors]


def test_twenty_thousand_bad_rows_are_reported_quickly_and_the_list_is_capped(personas: dict, orgs: dict) -> None:
    rows = [[f"BAD-{i}", "", "", "YH-TMZ", "大队", "党支部", "", "中共雨花区委"] for i in range(20000)]
    report = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, rows))
    assert report.error_count == 40000
    assert len(report.errors) == MAX_LISTED and report.errors.unlisted == 40000 - MAX_LISTED
    assert not Organization.objects.filter(org_code__startswith="BAD-").exists()


def test_rows_past_the_limit_are_refused_with_the_limit_named(personas: dict, orgs: dict, monkeypatch) -> None:
    monkeypatch.setattr(import_rows, "MAX_ROWS", 2)
    assert "超过 2 行数据" in refusal(personas, xlsx(ORG_HEADER, GOOD_ORGS))
    assert not Organization.objects.filter(org_code="YH-TMZ-C02").exists()


def test_a_parent_chain_thousands_deep_is_reported_not_a_recursion_error(personas: dict, orgs: dict) -> None:
    rows = [
        [f"D{i}", f"单位{i}", "", f"D{i - 1}" if i else "YH-TMZ", "村", "党支部", "", "中共雨花区委"]
        for i in range(3000)
    ]
    report = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, rows))
    assert any("嵌套超过 30 级" in e.message for e in report.errors)
    assert not Organization.objects.filter(org_code__startswith="D").exists()


def test_a_refusal_while_saving_undoes_the_rows_already_saved(personas: dict, orgs: dict) -> None:
    assert organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, GOOD_ORGS)).ok
    rows = [
        ["YH-TMZ-C02", "改过的名字", "", "YH-TMZ", "村", "党总支", "", "中共雨花区委"],
        ["YH-TMZ-C03", "跳马镇白竹村", "", "YH-TMZ-C03-G1", "村", "党总支", "", "中共雨花区委"],  # under its own child
    ]
    report = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, rows))
    assert not report.ok and report.created == report.updated == 0
    assert any(e.row == 3 and "下级单位" in e.message for e in report.errors)
    assert Organization.objects.get(org_code="YH-TMZ-C02").name == "跳马镇石燕湖村"
    assert Organization.objects.get(org_code="YH-TMZ-C03").parent == orgs["tiaoma"]


def test_hidden_characters_in_cells_are_removed(personas: dict, orgs: dict) -> None:
    rows = [["YH-TMZ-C02\u200b", "跳马镇\u202e石燕湖村\u00ad", "", "YH-TMZ", "村", "党总支", "", "中共雨花区委\ufeff"]]
    assert organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, rows)).ok
    assert Organization.objects.get(org_code="YH-TMZ-C02").name == "跳马镇石燕湖村"


def test_two_top_leaders_of_one_unit_in_a_roster_are_an_error_naming_both_rows(personas: dict, orgs: dict) -> None:
    second = ["P3", "王五", "男", "", "", "", "YH-TMZ", "党委副书记", "主要负责人", "", "2022-01", None]
    report = roster_import(actor=personas["yuhua_office"], file=xlsx(ROSTER_HEADER, [*ROSTER, second]))
    messages = [str(e) for e in report.errors]
    assert any(m.startswith("第 5 行 I 列（岗位类别）") and "第 2 行" in m and "张建国" in m for m in messages), (
        messages
    )
    assert Position.objects.count() == 0


def test_a_new_top_leader_while_one_is_registered_imports_with_a_warning(personas: dict, orgs: dict) -> None:
    assert roster_import(actor=personas["yuhua_office"], file=xlsx(ROSTER_HEADER, ROSTER)).ok
    newcomer = ["P3", "王五", "男", "", "", "", "YH-TMZ", "党委书记", "主要负责人", "", "2024-01", None]
    report = roster_import(actor=personas["yuhua_office"], file=xlsx(ROSTER_HEADER, [newcomer]))
    assert report.ok and report.created == 1
    assert any(w.row == 2 and "张建国" in w.message for w in report.warnings)


def test_stored_text_with_hidden_characters_is_not_rendered_raw(personas: dict, orgs: dict, login: Callable) -> None:
    village = orgs["village"]
    Organization.objects.filter(pk=village.pk).update(name="跳马\u202e村\u200b")
    body = login(personas["yuhua_office"]).get(f"/orgs/{village.pk}/").content.decode()
    assert "跳马村" in body and "\u202e" not in body and "\u200b" not in body


def test_a_form_submission_stores_names_without_hidden_characters(personas: dict, orgs: dict, login: Callable) -> None:
    village = Organization.objects.get(org_code="YH-TMZ-C01")
    data = {
        "name": "跳马镇\u200b跳马村\u202e",
        "short_name": "",
        "parent_code": "YH-TMZ",
        "level": village.level,
        "party_org_type": village.party_org_type,
        "committee": village.managed_by_id,
    }
    response = login(personas["yuhua_office"]).post(f"/orgs/{village.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    village.refresh_from_db()
    assert village.name == "跳马镇跳马村"
