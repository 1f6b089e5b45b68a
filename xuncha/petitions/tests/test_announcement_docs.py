"""The announcement as a real A4 PDF and a poster PNG whose QR code decodes to an opaque ASCII URL."""

import io
import re

import zxingcpp
from PIL import Image
from pypdf import PdfReader

from xuncha.petitions.announcement_docs import announcement_pdf, announcement_poster, public_url


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
    url = f"/petitions/announcements/{team_world['assignment'].pk}/"
    ok = login(personas["leader"]).get(url + "announcement.pdf")
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf" and ok.content.startswith(b"%PDF")
    assert login(personas["city_office"]).get(url + "poster.png").content.startswith(b"\x89PNG")
    assert login(personas["other_team"]).get(url + "qr.png").status_code == 404
    assert login(personas["unit_liaison"]).get(url + "qr.png").status_code == 403
