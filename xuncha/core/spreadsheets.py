"""The one way the platform writes spreadsheets: every cell through `safe_cell_value`, text as text.

openpyxl stores a string starting with "=" as a live formula, so a reporter's `=HYPERLINK(...)` became a
link in the office's export. Here every text cell is a string cell (`data_type` "s": never a formula, an
error value or a number), and text starting with a character spreadsheets read as a formula (= + - @, tab,
carriage return) is also neutralised the OWASP way: marked as text (`quotePrefix`, Excel's own "typed
with an apostrophe" flag, so no apostrophe shows) and led by an invisible zero-width space that stays in
the value. The space is what still protects the text after someone re-saves the file as CSV and opens
that in Excel, WPS or LibreOffice.

A test fails if any other module creates a workbook or writes a cell.
"""

import io
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xuncha.core.hidden_chars import HIDDEN

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "\u200b"  # ZERO WIDTH SPACE: not a formula trigger, not trimmed, not shown
_PLAIN = (int, float, Decimal, date, datetime, time)


def safe_cell_value(value: Any) -> Any:
    """What may be stored for `value`: numbers and dates as they are, everything else as neutralised text."""
    if value is None or (isinstance(value, _PLAIN) and not isinstance(value, bool)):
        return value
    text = HIDDEN.sub("", str(value))  # also what openpyxl refuses to write (control characters)
    if text.startswith(FORMULA_TRIGGERS):
        return NEUTRALISER + text
    return text


def _write(cell: Cell, value: Any) -> None:
    safe = safe_cell_value(value)
    cell.value = safe
    if isinstance(safe, str):
        cell.data_type = "s"  # openpyxl would otherwise guess a formula ("=") or an error ("#N/A")
        if safe.startswith(NEUTRALISER):
            cell.quotePrefix = True


class SheetWriter:
    """One worksheet that can only be written through `safe_cell_value`."""

    def __init__(self, sheet: Worksheet) -> None:
        self._sheet = sheet
        self._row = 0

    def append(self, values: Iterable[Any]) -> None:
        """Write the next row."""
        self._row += 1
        for column, value in enumerate(values, start=1):
            cell = self._sheet.cell(row=self._row, column=column)
            assert isinstance(cell, Cell)  # a new sheet has no merged ranges
            _write(cell, value)

    def width(self, column: int, width: float) -> None:
        """Set a column's width (1-based column number)."""
        self._sheet.column_dimensions[get_column_letter(column)].width = width


class WorkbookWriter:
    """A new .xlsx whose sheets are SheetWriters; `save()` gives the file's bytes."""

    def __init__(self, *, creator: str = "") -> None:
        self._workbook = Workbook()
        self._fresh = True
        # Document metadata is no cell, but user text all the same: stored as plain text.
        if creator:
            self._workbook.properties.creator = str(safe_cell_value(creator))

    def sheet(self, title: str) -> SheetWriter:
        """The next worksheet, named `title` (the first call renames the workbook's initial sheet)."""
        if self._fresh:
            sheet = self._workbook.active
            assert isinstance(sheet, Worksheet)
            self._fresh = False
        else:
            sheet = self._workbook.create_sheet()
        sheet.title = title
        return SheetWriter(sheet)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()
