"""The announcement as a printable A4 PDF and as a poster PNG carrying the QR code.

The QR code holds only an opaque ASCII URL (the public base address plus the announcement's
random token): nothing about the unit or the team can be read from it. Chinese text is set in
Noto CJK (Debian fonts-noto-cjk), embedded and subset, so the PDF prints the same everywhere.
"""

import io
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from xuncha.fieldwork.models import Announcement

FONT_DIRS = [Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto")]
SERIF, SANS = "NotoSerifCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"
SC_INDEX = 2  # the Simplified Chinese face in the Noto CJK collections (JP, KR, SC, TC, HK)


class FontMissing(Exception):
    pass


def _font(name: str) -> Path:
    for directory in FONT_DIRS:
        if (directory / name).exists():
            return directory / name
    raise FontMissing("缺少中文字体（Debian 软件包 fonts-noto-cjk），无法生成公告。")


def public_url(announcement: Announcement, base_url: str = "", survey: bool = False) -> str:
    """The URL in the QR code: the intake node's public address and the random token."""
    base = (getattr(settings, "PUBLIC_BASE_URL", "") or base_url).rstrip("/")
    return f"{base}{reverse('public:survey' if survey else 'public:report', args=[announcement.token])}"


def qr_png(url: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def _hours(announcement: Announcement) -> str:
    ranges = "、".join(f"{a}—{b}" for a, b in announcement.reception_hours.get("ranges", []))
    return f"工作日 {ranges}"


def announcement_lines(announcement: Announcement) -> tuple[str, list[str]]:
    """Title and paragraphs, shared by the PDF and the poster."""
    a = announcement.assignment
    activity = a.round.committee.activity_name
    title = f"{announcement.issuer}{activity}{a.organization.name}党组织的公告"
    paragraphs = [
        f"根据{a.round.committee.name}统一部署，{announcement.issuer}于{announcement.period_start:%Y年%m月%d日}至"
        f"{announcement.period_end:%Y年%m月%d日}对{a.organization.name}党组织开展{activity}。",
        announcement.scope_text + announcement.referral_text,
        f"{activity}期间设专门值班电话：{announcement.hotline}（受理时间：{_hours(announcement)}）；"
        f"专门邮政信箱：{announcement.po_box}"
        + (f"；电子邮箱：{announcement.email}" if announcement.email else "")
        + (f"；接访地址：{announcement.address}" if announcement.address else "")
        + "。也可扫描二维码网上反映。",
        f"信访受理截止时间为{announcement.cutoff:%Y年%m月%d日}。",
    ]
    if announcement.supervision_phone:
        paragraphs.append(f"欢迎对{activity}组加强监督，监督电话：{announcement.supervision_phone}。")
    return title, paragraphs


# (font size, line height in mm) for the body, largest first: the first that keeps the notice,
# its QR code, the caption and the 落款 on one A4 page is used (GB/T 9704 keeps the 落款 with the text).
BODY_SIZES = [(14, 9.0), (13, 8.0), (12, 7.5), (11, 7.0), (10.5, 6.5)]
TOP, BOTTOM, QR_MM = 37, 35, 45


def announcement_pdf(announcement: Announcement, base_url: str = "") -> bytes:
    """A4 printable announcement with the QR code, on one page."""
    title, paragraphs = announcement_lines(announcement)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(28, TOP, 26)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.add_font("serif", fname=str(_font(SERIF)), collection_font_number=SC_INDEX)
    pdf.add_font("sans", fname=str(_font(SANS)), collection_font_number=SC_INDEX)
    pdf.set_title(title)
    pdf.add_page()
    size, line = _body_size(pdf, title, paragraphs)
    pdf.set_font("sans", size=20)
    pdf.multi_cell(0, 11, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("serif", size=size)
    for text in paragraphs:
        pdf.multi_cell(0, line, "　　" + text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(4)
    pdf.image(io.BytesIO(qr_png(public_url(announcement, base_url))), x=(210 - QR_MM) / 2, w=QR_MM, h=QR_MM)
    pdf.set_x(pdf.l_margin)
    pdf.set_font("serif", size=11)
    caption = f"扫码网上反映（码上{announcement.assignment.round.committee.activity_name}）"
    pdf.multi_cell(0, 7, caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("serif", size=size)
    pdf.multi_cell(0, line, announcement.issuer, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, line, f"{announcement.period_start:%Y年%m月%d日}", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _body_size(pdf: FPDF, title: str, paragraphs: list[str]) -> tuple[float, float]:
    """The largest body size at which everything fits the page, measured without drawing."""
    room = 297 - TOP - BOTTOM
    pdf.set_font("sans", size=20)
    head = _height(pdf, title, 11) + 6
    for size, line in BODY_SIZES:
        pdf.set_font("serif", size=size)
        body = sum(_height(pdf, "　　" + t, line) + 2 for t in paragraphs)
        if head + body + 4 + QR_MM + 7 + 6 + 2 * line <= room:
            return size, line
    return BODY_SIZES[-1]


def _height(pdf: FPDF, text: str, line: float) -> float:
    height = pdf.multi_cell(0, line, text, dry_run=True, output="HEIGHT")
    assert isinstance(height, float | int)
    return float(height)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines


def announcement_poster(announcement: Announcement, base_url: str = "") -> bytes:
    """A 1080×1920 poster (for WeChat groups and printing) with the QR code in the middle."""
    title, paragraphs = announcement_lines(announcement)
    image = Image.new("RGB", (1080, 1920), "white")
    draw = ImageDraw.Draw(image)
    head = ImageFont.truetype(str(_font(SANS)), 56, index=SC_INDEX)
    body = ImageFont.truetype(str(_font(SERIF)), 36, index=SC_INDEX)
    draw.rectangle((0, 0, 1080, 220), fill=(179, 18, 27))
    y = 40
    for line in _wrap(draw, title, head, 960):
        draw.text((540, y), line, font=head, fill="white", anchor="ma")
        y += 72
    y = 260
    for text in paragraphs[2:]:
        for line in _wrap(draw, text, body, 960):
            draw.text((60, y), line, font=body, fill=(34, 34, 34))
            y += 52
        y += 16
    qr = Image.open(io.BytesIO(qr_png(public_url(announcement, base_url), scale=14))).convert("RGB")
    qr = qr.resize((600, 600), Image.Resampling.NEAREST)
    top = y + 40
    image.paste(qr, ((1080 - 600) // 2, min(top, 1920 - 700)))
    draw.text(
        (540, min(top, 1920 - 700) + 620),
        f"扫码网上反映 · 码上{announcement.assignment.round.committee.activity_name}",
        font=body,
        fill=(179, 18, 27),
        anchor="ma",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
