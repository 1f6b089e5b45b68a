"""The rows of a registry import file: expected columns, reading, cell errors and the report.

The file itself is read by `xuncha.core.table_reader` (hostile files refused there); here the header is
matched to the template's columns, and every cell is checked for what no column may hold: a formula, or
more characters than the model field stores (checked here, so SQLite and PostgreSQL refuse alike).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db.models import Model

from xuncha.core.table_reader import Formula, TableRejected, read_table

MAX_ROWS = 20000
MAX_COLUMNS = 40  # the templates have 12 at most; further columns are ignored
MAX_LISTED = 200  # errors listed on the page; the rest are counted
OTHER_LIMIT = 200  # characters in a column that maps to no model field (choices, lists of tags)


def max_length(model: type[Model], name: str) -> int:
    """The stored length of a model's text field."""
    limit = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert isinstance(limit, int)
    return limit


@dataclass(frozen=True)
class Column:
    """One expected column: its Chinese header, the key used in code, whether it is required, its limit."""

    header: str
    key: str
    required: bool = False
    example: str = ""
    limit: int = OTHER_LIMIT


@dataclass(frozen=True)
class CellError:
    """A problem in one cell (row 1 is the header row)."""

    row: int
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return f"第 {self.row} 行：{self.message}"
        return f"第 {self.row} 行 {self.column} 列（{self.header}）：{self.message}"


class CellErrors(list[CellError]):
    """Errors, at most one per cell (the first found), the first `MAX_LISTED` kept and the rest counted."""

    def __init__(self) -> None:
        super().__init__()
        self._cells: set[tuple[int, str]] = set()
        self.unlisted = 0

    def append(self, error: CellError) -> None:
        if error.column:
            if (error.row, error.column) in self._cells:
                return
            self._cells.add((error.row, error.column))
        if len(self) >= MAX_LISTED:
            self.unlisted += 1
        else:
            super().append(error)


@dataclass
class ImportReport:
    """What an import did, or why it stored nothing; warnings never stop an import."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: CellErrors = field(default_factory=CellErrors)
    warnings: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors.unlisted

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


class ImportRejected(Exception):
    """The file as a whole cannot be read."""


@dataclass
class Row:
    """One data row: values by key, and where each came from."""

    number: int
    values: dict[str, Any]
    letters: dict[str, str]
    headers: dict[str, str]

    def error(self, key: str, message: str) -> CellError:
        return CellError(self.number, self.letters.get(key, ""), self.headers.get(key, ""), message)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _positions(header: tuple[Any, ...], columns: list[Column], report: ImportReport) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        text = str(value).strip().rstrip("*＊") if isinstance(value, str | int | float) else ""
        for column in columns:
            if text == column.header and column.key not in positions:
                positions[column.key] = index
    if not positions:
        raise ImportRejected(
            "文件不是有效的 Excel（.xlsx）或 CSV 导入文件：第 1 行没有模板中的任何列名。请使用下载的模板填写后上传。"
        )
    for column in columns:
        if column.required and column.key not in positions:
            report.errors.append(CellError(1, "", column.header, f"缺少必填列“{column.header}”"))
    return positions


def read_rows(file: IO[bytes], columns: list[Column], report: ImportReport) -> list[Row]:
    """The non-empty data rows, with every required, formula and length error of their cells reported."""
    try:
        return _rows(file, columns, report)
    except TableRejected as exc:
        raise ImportRejected(str(exc)) from exc


def _rows(file: IO[bytes], columns: list[Column], report: ImportReport) -> list[Row]:
    table = read_table(file, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
    first = next(table, None)
    if first is None:
        raise ImportRejected("文件中的工作表是空的，没有表头和数据。请使用下载的模板填写后上传。")
    positions = _positions(first[1], columns, report)
    if report.errors:
        return []
    letters = {key: _letter(i) for key, i in positions.items()}
    headers = {c.key: c.header for c in columns}
    wanted = [(c, positions[c.key]) for c in columns if c.key in positions]
    result: list[Row] = []
    for number, raw in table:
        values = {c.key: (raw[i] if i < len(raw) else None) for c, i in wanted}
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        row = Row(number, values, letters, headers)
        result.append(row)
        for column, _index in wanted:
            value = values[column.key]
            if isinstance(value, Formula):
                report.errors.append(row.error(column.key, "是公式，请复制后“选择性粘贴”为数值再导入"))
                values[column.key] = None
            elif column.required and value in (None, ""):
                report.errors.append(row.error(column.key, "不能为空"))
            elif len(text(value)) > column.limit:
                report.errors.append(
                    row.error(column.key, f"超过 {column.limit} 字的长度上限（现有 {len(text(value))} 字）")
                )
                values[column.key] = text(value)[: column.limit]
    if not result and not report.errors:
        report.errors.append(CellError(2, "", "", "文件中没有数据行"))
    return result


def text(value: Any) -> str:
    """A cell as text (whole numbers without ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def shown(value: Any, limit: int = 30) -> str:
    """A cell as quoted in a message: long text is cut short."""
    written = text(value)
    return written if len(written) <= limit else written[:limit] + "…"


def choice(value: Any, choices: type[Any], aliases: Mapping[str, str] | None = None) -> str | None:
    """The code of a choice written as its label or code."""
    written = text(value)
    lookup = {label: code for code, label in choices.choices} | {code: code for code in choices.values}
    lookup |= aliases or {}
    return lookup.get(written)


DATE_PATTERN = re.compile(r"^(\d{4})[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?$")


def _date(value: Any) -> date | None:
    """Dates as Excel dates, or text like 2021-03, 2021.03.15, 2021年3月."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_PATTERN.match(text(value))
    if not match:
        raise ValueError
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    return date(year, month, day)


def optional_date(row: Row, key: str, report: ImportReport) -> date | None:
    """The cell as a date, None if empty; an error if it is no date."""
    if row.values.get(key) in (None, ""):
        return None
    try:
        return _date(row.values[key])
    except ValueError:
        report.errors.append(row.error(key, f"“{shown(row.values[key])}”不是有效日期，应写作 2021-03 或 2021-03-15"))
        return None
