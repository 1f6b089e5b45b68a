"""The official-document builder: .docx laid out after GB/T 9704-2012 (党政机关公文格式).

A4 paper; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; title in 2号 (22 pt)
方正小标宋简体; body in 3号 (16 pt) 仿宋_GB2312 on a fixed 28.95 pt line (22 lines of 28
characters); first-level headings in 黑体, second-level in 楷体_GB2312; page numbers
"— 1 —" in 4号 宋体. Each official font is declared in the font table with a Noto CJK
alternate (w:altName), which Word and LibreOffice substitute where the official font is not
installed — the usual case on a fresh closed-network desktop.
"""

from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
ALTERNATES = {
    TITLE_FONT: "Noto Serif CJK SC",
    BODY_FONT: "Noto Serif CJK SC",
    SUBHEADING_FONT: "Noto Serif CJK SC",
    PAGE_FONT: "Noto Serif CJK SC",
    HEADING_FONT: "Noto Sans CJK SC",
}
RED = RGBColor(0xE6, 0x00, 0x12)
LINE = Pt(28.95)
NUMBERS = "一二三四五六七八九十"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def set_font(run: object, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = "Times New Roman"  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    if color is not None:
        run.font.color.rgb = color  # type: ignore[attr-defined]
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), name)


class OfficialDocument:
    """A python-docx document set up for GB/T 9704 with helpers for the standard elements."""

    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.start_type = WD_SECTION_START.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        style = self.doc.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(16)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        self._font_table()
        self._page_numbers()

    def _font_table(self) -> None:
        """Declare each official font with its Noto CJK alternate in word/fontTable.xml."""
        part = next(r.target_part for r in self.doc.part.rels.values() if r.reltype.endswith("/fontTable"))
        root = etree.fromstring(part.blob)
        for name, alternate in ALTERNATES.items():
            font = OxmlElement("w:font")
            font.set(qn("w:name"), name)
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), alternate)
            font.append(alt)
            charset = OxmlElement("w:charset")
            charset.set(qn("w:val"), "86")  # GB2312
            font.append(charset)
            root.append(font)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_numbers(self) -> None:
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(footer.add_run("— "), PAGE_FONT, 14)
        run = footer.add_run()
        set_font(run, PAGE_FONT, 14)
        for kind, text in [("begin", None), (None, "PAGE"), ("end", None)]:
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._element.append(char)
            else:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
        set_font(footer.add_run(" —"), PAGE_FONT, 14)

    def _paragraph(self, align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False) -> Paragraph:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(32)  # two characters
        if align is not None:
            p.alignment = align
        return p

    def masthead(self, issuer: str, doc_no: str) -> None:
        """发文机关标志 in red 小标宋, the 发文字号, and the red separator line."""
        p = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.line_spacing = Pt(60)
        set_font(p.add_run(issuer), TITLE_FONT, 36, color=RED)
        number = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        number.paragraph_format.space_before = Pt(28)
        set_font(number.add_run(doc_no), BODY_FONT, 16)
        border = number._p.get_or_add_pPr()
        bdr = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in [("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "E60012")]:
            bottom.set(qn(key), value)
        bdr.append(bottom)
        border.append(bdr)
        self._paragraph()

    def title(self, text: str) -> None:
        p = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.line_spacing = Pt(36)
        set_font(p.add_run(text), TITLE_FONT, 22)
        self._paragraph()

    def addressee(self, text: str) -> None:
        set_font(self._paragraph().add_run(text), BODY_FONT, 16)

    def heading(self, number: int, text: str) -> None:
        set_font(self._paragraph(indent=True).add_run(f"{NUMBERS[number - 1]}、{text}"), HEADING_FONT, 16)

    def subheading(self, number: int, text: str) -> None:
        set_font(self._paragraph(indent=True).add_run(f"（{NUMBERS[number - 1]}）{text}"), SUBHEADING_FONT, 16)

    def body(self, text: str) -> None:
        set_font(self._paragraph(indent=True).add_run(text), BODY_FONT, 16)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            set_font(cell.paragraphs[0].add_run(text), HEADING_FONT, 12)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                set_font(cell.paragraphs[0].add_run(text), BODY_FONT, 12)
        self._paragraph()

    def signature(self, issuer: str, day: date) -> None:
        self._paragraph()
        for text in (issuer, cn_date(day)):
            p = self._paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(64)
            set_font(p.add_run(text), BODY_FONT, 16)

    def bytes(self) -> bytes:
        buffer = BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
