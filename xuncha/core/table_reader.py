"""Reading an uploaded table (.xlsx, or CSV text) that may be hostile, before anything trusts it.

The first bytes decide what the file is, not its name: an empty file, an old .xls (or a
password-protected workbook, which is the same OLE2 container), a Word document, an .ods or a random
binary each get their own Chinese message. An .xlsx is a zip archive: its declared sizes and its
compression ratio are checked before openpyxl opens it (a 700 KB file expanding to 200 MB took minutes
of CPU), and zipfile itself never inflates a member past its declared size. The sheet's own
`<dimension>` is ignored, every row element is read, and reading stops with a refusal as soon as the
rows pass the limit. Formula cells are returned as `Formula`, never as their cached value, so the
importer can name them. Text has its hidden characters removed (`hidden_chars`).

CSV is accepted in UTF-8 (with or without BOM), GBK/GB18030 and UTF-16 with BOM (Excel's "Unicode
text"), comma-, tab- or semicolon-separated: CSV has no formulas, no types and no dimension to lie.
"""

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import load_workbook

from xuncha.core.hidden_chars import strip_hidden

logger = logging.getLogger(__name__)

MB = 1024 * 1024
MAX_FILE = 20 * MB
MAX_UNPACKED = 64 * MB  # all members together, as declared; 20,000 full rows written by openpyxl take 16 MB
MAX_RATIO = 100  # real sheets compress 5-30 times; a zip bomb, thousands of times
RATIO_FROM = 1 * MB  # small members have meaningless ratios
MAX_MEMBERS = 1000
BLANK_ROWS_FACTOR = 5  # empty rows read past the limit before refusing: formatted but empty rows are common
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
TEMPLATE = "请使用下载的模板，在 Excel 或 WPS 中填写并保存为 Excel 工作簿（.xlsx）后上传。"


class TableRejected(Exception):
    """The file as a whole cannot be read; the message says why, in Chinese."""


@dataclass(frozen=True)
class Formula:
    """A formula cell: never evaluated, never read as its cached value."""

    text: str


def read_table(file: IO[bytes], *, max_rows: int, max_columns: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of every row of the first sheet, the header included, at most `max_rows` of them.

    Values are None, text (hidden characters removed), numbers, dates or `Formula`; a row has at most
    `max_columns` values. Raises `TableRejected`, possibly part-way: consume it whole before writing.
    """
    data = file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise TableRejected(f"文件超过 {MAX_FILE // MB} MB，请分批导入。")
    if not data.strip():
        raise TableRejected("文件是空的，没有任何内容。" + TEMPLATE)
    if data.startswith(OLE2):
        raise TableRejected(
            "这是旧版 Excel（.xls）文件或设置了打开密码的 Excel 文件，系统不能读取。"
            "请在 Excel 或 WPS 中取消密码，并“另存为”Excel 工作簿（.xlsx）后上传。"
        )
    rows = _xlsx_rows(data, max_columns) if data.startswith(ZIP) else _csv_rows(data, max_columns)
    blank_limit = max_rows * BLANK_ROWS_FACTOR
    for number, values in rows:
        if number > blank_limit or (number > max_rows and any(v not in (None, "") for v in values)):
            raise TableRejected(f"文件超过 {max_rows - 1} 行数据（不含表头），请分批导入。")
        yield number, values


def _check_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise TableRejected("文件已损坏，或不是完整的 Excel（.xlsx）文件。" + TEMPLATE) from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise TableRejected("这是 Word 文档，不是 Excel 表格。" + TEMPLATE)
        if "mimetype" in names or "content.xml" in names:
            raise TableRejected("这是 OpenDocument（.ods 等）文件，系统只读取 .xlsx。" + TEMPLATE)
        raise TableRejected("这是 ZIP 压缩包或其他文件，不是 Excel（.xlsx）表格。" + TEMPLATE)
    if len(infos) > MAX_MEMBERS:
        raise TableRejected(
            f"文件内部包含 {len(infos)} 个部件（上限 {MAX_MEMBERS} 个），不像正常的 Excel 表格，系统不予读取。"
        )
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        raise TableRejected(
            f"文件解压后约 {unpacked // MB} MB，超过 {MAX_UNPACKED // MB} MB 的上限，系统不予读取。"
            "请删除多余的工作表、格式和图片，或分批导入。"
        )
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise TableRejected(
                f"文件的压缩比异常（解压后是压缩时的 {ratio} 倍，上限 {MAX_RATIO} 倍），可能是特意构造的文件，系统不予读取。"
            )
    archive.close()


def _xlsx_rows(data: bytes, max_columns: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    _check_archive(data)
    number = 0
    try:
        source = io.BytesIO(data)
        workbook = load_workbook(source, read_only=True, data_only=False, keep_links=False)
        try:
            sheet: Any = workbook.worksheets[0] if workbook.worksheets else None
            if not hasattr(sheet, "reset_dimensions"):  # none, or a chart sheet
                raise TableRejected("文件中没有可读取的工作表。" + TEMPLATE)
            sheet.reset_dimensions()  # the declared <dimension> may understate the rows: read them all
            for number, cells in enumerate(sheet.iter_rows(min_col=1, max_col=max_columns), start=1):
                yield number, tuple(_value(cell) for cell in cells)
        finally:
            workbook.close()
    except TableRejected:
        raise
    except Exception as exc:  # a hostile file can break the parser anywhere: never a 500
        logger.info("unreadable spreadsheet after row %s", number, exc_info=True)
        where = f"（在第 {number + 1} 行附近）" if number else ""
        raise TableRejected(f"文件内容已损坏或格式不正确{where}，无法读取。" + TEMPLATE) from exc


def _value(cell: Any) -> Any:
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        return Formula(str(getattr(value, "text", None) or value))
    if isinstance(value, str):
        return strip_hidden(value)
    return value


def _decoded(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "gb18030"]  # GB18030 reads every GBK and GB2312 file
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for c in text[:65536] if c < " " and c not in "\t\r\n")
        if "\x00" not in text and controls * 200 <= min(len(text), 65536):
            return text
    raise TableRejected("无法识别的文件：既不是 Excel（.xlsx）表格，也不是 CSV 文本。" + TEMPLATE)


def _csv_rows(data: bytes, max_columns: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    text = _decoded(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, tuple(strip_hidden(c) or None for c in cells[:max_columns])
    except csv.Error as exc:
        raise TableRejected(f"CSV 文件第 {number + 1} 行格式不正确（如引号不配对或单元格过长），无法读取。") from exc
