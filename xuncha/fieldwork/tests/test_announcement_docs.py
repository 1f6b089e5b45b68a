"""The announcement as a real A4 PDF and a poster PNG whose QR code decodes to an opaque ASCII URL."""

import io
import re

import time_machine
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from xuncha.core.tests.setup import SETUP
from xuncha.fieldwork.announcement_docs import announcement_pdf, announcement_poster, public_url
from xuncha.petitions.tests.conftest import ON_SITE_DAY


def test_the_pdf_is_a4_and_carries_the_channels_and_dates(team_world):
    a = team_world["announcement"]
    reader = PdfReader(io.BytesIO(announcement_pdf(a, "https://xc.example.cn")))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = "".join(reader.pages[0].extract_text().replace("\x00", "").split())
    for expected in [
        "0731—82186945",
        "长沙市A271号信箱",
        "09:00—12:00、13:30—17:30",
        f"{a.cutoff:%Y年%m月%d日}",
        "政治纪律",
        "0731—88880000",
    ]:
        assert expected in text, expected


def test_the_poster_qr_decodes_to_an_opaque_ascii_url(team_world, settings):
    settings.PUBLIC_BASE_URL = "https://xc.example.cn"
    a = team_world["announcement"]
    image = Image.open(io.BytesIO(announcement_poster(a)))
    assert image.size == (1080, 1920)
    [result] = zxingcpp.read_barcodes(image)
    assert result.text == public_url(a) == f"https://xc.example.cn/p/{a.token}/"
    assert result.text.isascii() and re.fullmatch(r"https://xc\.example\.cn/p/[A-Za-z0-9_-]{16}/", result.text)
    assert "水业" not in result.text


def test_the_files_are_served_to_the_office_and_the_team_only(team_world, personas, login):
    url = f"/fieldwork/announcements/{team_world['assignment'].pk}/"
    ok = login(personas["leader"]).get(url + "announcement.pdf")
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf" and ok.content.startswith(b"%PDF")
    assert login(personas["city_office"]).get(url + "poster.png").content.startswith(b"\x89PNG")
    assert login(personas["other_team"]).get(url + "qr.png").status_code == 404
    assert login(personas["unit_liaison"]).get(url + "qr.png").status_code == 403


BASE = "https://xc.example.cn"


def _pdf_text(reader: PdfReader, page: int | None = None) -> str:
    """The text of one page (or all), with fpdf2's NUL padding and every kind of whitespace removed
    (multi_cell wraps anywhere, and paragraphs start with ideographic spaces)."""
    pages = reader.pages if page is None else [reader.pages[page]]
    return "".join("".join(p.extract_text().replace("\x00", "").split()) for p in pages)


def _qr_codes(reader: PdfReader) -> list[tuple[int, zxingcpp.Result]]:
    """Every barcode found in the PDF's embedded images, with the (0-based) page it is on."""
    found = []
    for number, page in enumerate(reader.pages):
        for embedded in page.images:
            found += [(number, r) for r in zxingcpp.read_barcodes(embedded.image.convert("L"))]
    return found


def test_the_qr_code_inside_the_pdf_decodes_to_exactly_the_public_url(team_world, settings):
    settings.PUBLIC_BASE_URL = BASE
    a = team_world["announcement"]
    reader = PdfReader(io.BytesIO(announcement_pdf(a)))
    images = [(n, im.name, im.image.size) for n, p in enumerate(reader.pages) for im in p.images]
    # fpdf2 embeds the segno PNG as an image XObject (not vector paths), so it can be decoded as is.
    assert len(images) == 1, images
    codes = _qr_codes(reader)
    assert len(codes) == 1, [(n, r.format, r.text) for n, r in codes]
    [(_, qr)] = codes
    url = f"{BASE}/p/{a.token}/"
    assert qr.format == zxingcpp.BarcodeFormat.QRCode and qr.valid
    assert qr.text == public_url(a) == url
    # Nothing else in the symbol: the raw bytes are exactly the ASCII URL (no ECI, BOM or trailing data).
    assert qr.bytes == url.encode("ascii")
    assert re.fullmatch(r"https://xc\.example\.cn/p/[A-Za-z0-9_-]{16}/", qr.text)
    assert qr.text.isascii() and "SYJT" not in qr.text and a.assignment.organization.org_code not in qr.text
    # The PDF carries only the report code; the survey code is its own file (survey-qr.png, below).
    assert public_url(a, survey=True) not in [r.text for _, r in codes]


def test_the_survey_qr_file_decodes_to_the_survey_url(team_world, personas, login, settings):
    settings.PUBLIC_BASE_URL = BASE
    a = team_world["announcement"]
    response = login(personas["leader"]).get(f"/fieldwork/announcements/{a.assignment.pk}/survey-qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    [qr] = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert qr.text == public_url(a, survey=True) == f"{BASE}/p/{a.token}/survey/"
    assert qr.bytes == qr.text.encode("ascii")


def test_the_pdf_text_carries_the_hotline_po_box_hours_and_scope(team_world):
    a = team_world["announcement"]
    reader = PdfReader(io.BytesIO(announcement_pdf(a, BASE)))
    text = _pdf_text(reader)
    ranges = "、".join(f"{start}—{end}" for start, end in a.reception_hours["ranges"])
    for label, expected in [
        ("hotline", f"专门值班电话：{a.hotline}"),
        ("PO box", f"专门邮政信箱：{a.po_box}"),
        ("reception hours", f"（受理时间：工作日{ranges}）"),
        ("scope sentence", "".join(a.scope_text.split())),
        ("referral sentence", "".join(a.referral_text.split())),
        ("cutoff", f"信访受理截止时间为{a.cutoff:%Y年%m月%d日}"),
    ]:
        assert expected in text, f"{label} missing from the PDF text: {expected!r}"


def test_the_pdf_announcement_fits_on_one_a4_page_with_its_qr_caption_and_signature(team_world):
    """A posted 公告 is one sheet: the QR code's caption, the issuer and the date (落款) must not be
    pushed onto a page of their own (GB/T 9704 says to tighten spacing rather than leave the 落款 alone)."""
    a = team_world["announcement"]
    reader = PdfReader(io.BytesIO(announcement_pdf(a, BASE)))
    overflow = [_pdf_text(reader, n) for n in range(1, len(reader.pages))]
    assert len(reader.pages) == 1, f"the announcement runs onto {len(reader.pages)} pages; spilled over: {overflow}"
    [(page, _)] = _qr_codes(reader)
    assert page == 0
    last = _pdf_text(reader, 0)
    assert "扫码网上反映" in last and last.endswith(f"{a.issuer}{a.period_start:%Y年%m月%d日}")


def test_a_notice_with_every_channel_and_an_extended_scope_still_fits_one_page(team_world):
    from xuncha.fieldwork.announcements import announcement_save, scope_sentence

    a = team_world["announcement"]
    extended = (
        scope_sentence(a.assignment) + "同时受理反映其他县管干部和内设股室、二级机构主要负责人问题的来信、来电、来访。"
    )
    full = announcement_save(
        actor=SETUP, assignment=a.assignment, hotline=a.hotline, po_box=a.po_box, email="xcz1@example.gov.cn",
        address="长沙市岳麓区某路某号某楼三层巡察组接访室", supervision_phone="0731—88880000", scope_text=extended,
        referral_text="其他不属于受理范围的信访问题，将按照分级负责、归口办理的原则，转交被巡察单位或有关部门处理。巡察组只受理来电来信来访，不负责答复。",
    )  # fmt: skip
    reader = PdfReader(io.BytesIO(announcement_pdf(full, BASE)))
    assert len(reader.pages) == 1
    text = _pdf_text(reader, 0)
    assert "接访室" in text and "不负责答复" in text and text.endswith(f"{full.period_start:%Y年%m月%d日}")


def test_the_poster_is_print_quality(team_world):
    image = Image.open(io.BytesIO(announcement_poster(team_world["announcement"], BASE)))
    assert min(image.size) >= 1000, f"poster is {image.size[0]}×{image.size[1]} px; need ≥ 1000 px on the shorter side"


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_pdf_is_rendered_once_per_version_of_the_announcement(team_world, login, monkeypatch):
    from django.core.cache import cache

    from xuncha.fieldwork.announcements import announcement_save
    from xuncha.fieldwork.views import staff

    cache.clear()
    calls = []
    name, mime, make = staff.ANNOUNCEMENT_FILES["announcement.pdf"]

    def counted(announcement, base):
        calls.append(announcement.hotline)
        return make(announcement, base)

    monkeypatch.setitem(staff.ANNOUNCEMENT_FILES, "announcement.pdf", (name, mime, counted))
    url = f"/fieldwork/announcements/{team_world['assignment'].pk}/announcement.pdf"
    client = login(team_world["leader"])
    first, second = client.get(url).content, client.get(url).content
    assert first[:5] == b"%PDF-" and first == second and len(calls) == 1
    announcement_save(actor=team_world["leader"], assignment=team_world["assignment"], hotline="0731—80000001",
                      po_box="长沙市A271号信箱", supervision_phone="0731—88880000")  # fmt: skip
    third = client.get(url).content
    assert calls == ["0731—82186945", "0731—80000001"] and third != first
