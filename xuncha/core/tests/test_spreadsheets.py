"""No spreadsheet the platform writes carries a formula from user text, and only core writes cells."""

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xuncha.core.spreadsheets import NEUTRALISER, WorkbookWriter, safe_cell_value

PACKAGE = Path(__file__).resolve().parents[2]
PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def formula_free(body: bytes) -> list[list[object]]:
    """Every sheet's values, after asserting no cell is a formula, in openpyxl's reading and in the XML."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >/]", archive.read(name)), name
    workbook = load_workbook(io.BytesIO(body))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert not [c.coordinate for c in row if c.data_type == "f"], sheet.title
            values.append([c.value for c in row])
    return values


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_looks_like_a_formula_is_stored_as_neutralised_text(payload: str) -> None:
    workbook = WorkbookWriter(creator=payload)
    sheet = workbook.sheet("表")
    sheet.append([payload, "普通文字", 3, date(2026, 12, 3)])
    values = formula_free(workbook.save())
    cell = load_workbook(io.BytesIO(workbook.save())).active["A1"]
    assert cell.data_type == "s" and cell.value == NEUTRALISER + payload
    assert cell.quotePrefix
    assert values[0][1:3] == ["普通文字", 3]


def test_ordinary_values_pass_unchanged() -> None:
    assert safe_cell_value("长沙市水业集团") == "长沙市水业集团"
    assert safe_cell_value(None) is None and safe_cell_value(2) == 2
    assert safe_cell_value(True) == "True"  # never a boolean formula value
    assert safe_cell_value("a=b") == "a=b"


def test_an_error_code_is_text_too() -> None:
    workbook = WorkbookWriter()
    workbook.sheet("表").append(["#N/A"])
    cell = load_workbook(io.BytesIO(workbook.save())).active["A1"]
    assert cell.data_type == "s" and cell.value == "#N/A"


def test_a_second_sheet_is_written_the_same_way() -> None:
    workbook = WorkbookWriter()
    workbook.sheet("一").append(["x"])
    workbook.sheet("二").append(["=1+1"])
    assert formula_free(workbook.save())[1] == [NEUTRALISER + "=1+1"]


# Writing a spreadsheet anywhere else: creating a workbook or a sheet, importing openpyxl's writing side, or
# writing cells. What remains of openpyxl outside core is load_workbook (read-only, below) and its utils.
FORBIDDEN = re.compile(
    r"\bWorkbook\b|xlsxwriter|odfpy|\bcreate_sheet\(|\.cell\(|\bws\.append\(|\.write_row\(|\.write_string\(|"
    r"^import openpyxl|^from openpyxl import (?!load_workbook\b)|^from openpyxl\.(?!utils\b)",
    re.MULTILINE,
)


def test_only_the_core_writer_writes_spreadsheets() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if "tests" in path.parts or "migrations" in path.parts or relative == "core/spreadsheets.py":
            continue
        text = path.read_text()
        for match in FORBIDDEN.finditer(text):
            offenders.append(f"{relative}: {match.group(0)}")
        # Reading stays allowed, read-only (a read-only workbook cannot be saved).
        for call in re.findall(r"load_workbook\([^)]*\)", text):
            if "read_only=True" not in call:
                offenders.append(f"{relative}: {call}")
    assert not offenders, offenders


@pytest.mark.parametrize(
    "line",
    [
        "from openpyxl import Workbook",
        "import openpyxl",
        "from openpyxl.worksheet.worksheet import Worksheet",
        "wb = Workbook()",
        "ws.append(row)",
        "sheet.cell(row=1, column=1, value=text)",
        "import xlsxwriter",
        "notes = workbook.create_sheet('x')",
    ],
)
def test_the_guard_recognises_spreadsheet_writing(line: str) -> None:
    assert FORBIDDEN.search(line)
