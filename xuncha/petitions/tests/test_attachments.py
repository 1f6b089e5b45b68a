"""Attachments: type by content, size limits, identifying metadata removed, sealed at rest, download only."""

import io
import re
import zipfile
import zlib

import docx
import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter

from xuncha.core.sealed_files import stored_bytes
from xuncha.core.uploads import MB, check, check_uploads
from xuncha.petitions.models import Attachment, Petition
from xuncha.petitions.tests.conftest import ON_SITE_DAY

REPORT = {"anonymous": "1", "what": "反映某站长在收费站违规安排亲属上岗。"}
REPORTER = "张三举报人"
PLACE = b"+28.1830+112.9694"


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "ReporterPhone-Model-X"  # Make
    exif[0x8825] = {1: "N", 2: (28.0, 11.0, 30.0), 3: "E", 4: (112.0, 58.0, 10.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", REPORTER, zip=True)
    exif = Image.Exif()
    exif[0x010F] = "ReporterPhone-Model-X"
    out = io.BytesIO()
    Image.new("RGBA", (16, 16), (0, 90, 0, 255)).save(out, format="PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG header announcing a huge picture, with a few bytes of pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4) + kind + body + zlib.crc32(kind + body).to_bytes(4)

    header = width.to_bytes(4) + height.to_bytes(4) + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(64))) + chunk(b"IEND", b"")
    )


def _box(kind: bytes, *content: bytes) -> bytes:
    body = b"".join(content)
    return (8 + len(body)).to_bytes(4) + kind + body


def _movie(major: bytes = b"isom", *compatible: bytes) -> bytes:
    """A minimal real MP4/MOV box structure, its location where phones write it: moov/udta/©xyz and moov/meta."""
    ftyp = _box(b"ftyp", major, bytes(4), *(compatible or (b"isom", b"iso2", b"avc1", b"mp41")))
    xyz = _box(b"\xa9xyz", (18).to_bytes(2), b"\x15\xc7", PLACE + b"/")  # QuickTime text: length, language, text
    keys = _box(b"keys", bytes(4), (1).to_bytes(4), _box(b"mdta", b"com.apple.quicktime.location.ISO6709"))
    ilst = _box(b"ilst", _box((1).to_bytes(4), _box(b"data", (1).to_bytes(4), bytes(4), PLACE + b"+045.000/")))
    meta = _box(b"meta", bytes(4), _box(b"hdlr", bytes(8), b"mdta", bytes(13)), keys, ilst)
    make = _box(b"udta", _box(b"\xa9mak", (14).to_bytes(2), b"\x15\xc7", b"ReporterPhone-"))
    trak = _box(b"trak", _box(b"tkhd", bytes(84)), _box(b"mdia", _box(b"mdhd", bytes(24))), make)
    moov = _box(b"moov", _box(b"mvhd", bytes(100)), trak, _box(b"udta", xyz), meta)
    frame = b"\x00\x00\x00\x16frame-bytes-kept-as-is"
    mdat = (
        (1).to_bytes(4) + b"mdat" + (16 + len(frame)).to_bytes(8) + frame
    )  # with a 64-bit size, as some cameras write
    vendor = _box(b"sefd", b"SamsungSerial-R58M123")  # a maker's own top-level box
    return ftyp + mdat + moov + vendor


def _tree(data: bytes, start: int = 0, end: int | None = None, depth: int = 0) -> list:
    """The box tree as (type, size, children) down to trak's children; AssertionError if it does not add up."""
    end = len(data) if end is None else end
    found, i = [], start
    while i < end:
        size, kind, header = int.from_bytes(data[i : i + 4]), data[i + 4 : i + 8], 8
        if size == 1:
            size, header = int.from_bytes(data[i + 8 : i + 16]), 16
        assert header <= size <= end - i
        inner = _tree(data, i + header, i + size, depth + 1) if kind in (b"moov", b"trak") else []
        found.append((kind, size, inner))
        i += size
    assert i == end
    return found


def _docx_naming_reporter() -> bytes:
    """A Word file naming its author the way Word and WPS do: properties, comment, tracked change, paths, photo."""
    document = docx.Document()
    document.core_properties.author = REPORTER
    document.core_properties.last_modified_by = REPORTER
    paragraph = document.add_paragraph("某站长违规安排亲属上岗。")
    document.add_comment(paragraph.runs, text="我亲眼所见", author=REPORTER, initials="ZS")
    document.add_picture(io.BytesIO(_jpeg_with_gps()))
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change = f'<w:p><w:ins w:id="90" w:author="{REPORTER}" w:date="2026-01-01T00:00:00Z"><w:r><w:t>补充一句</w:t></w:r></w:ins></w:p>'
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:sectPr", change.encode() + b"<w:sectPr", 1)
    parts["docProps/app.xml"] = parts["docProps/app.xml"].replace(b"<Manager/>", "<Manager>王五</Manager>".encode())
    parts["docProps/app.xml"] = parts["docProps/app.xml"].replace(
        b"<Company/>", "<Company>某某收费站</Company>".encode()
    )
    link = r'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="file:///C:\Users\zhangsan\Desktop\证据.docx" TargetMode="External"/>'
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", link.encode() + b"</Relationships>")
    parts["docProps/custom.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/'
        'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Owner"><vt:lpwstr>{REPORTER}</vt:lpwstr></property></Properties>'
    ).encode()
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _pdf_naming_reporter() -> bytes:
    """A PDF with the reporter in the Info dictionary of two revisions, in XMP and in a photo's EXIF."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_author("Zhang San (reporter)")
    pdf.set_creator("ZS-Phone")
    pdf.set_title("张三所见")  # written as a hex string
    pdf.set_xmp_metadata(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
        "<rdf:li>Zhang San</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    pdf.start_section("第一章 现场")  # an outline /Title, which must stay
    pdf.image(io.BytesIO(_jpeg_with_gps()), x=10, y=20, w=50)  # kept as the JPEG it was, EXIF included
    writer = PdfWriter(io.BytesIO(bytes(pdf.output())), incremental=True)
    writer.add_metadata({"/Author": "李四 (second)", "/Keywords": "举报"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_images_lose_their_metadata_and_other_types_are_judged_by_content():
    raw = _jpeg_with_gps()
    assert b"ReporterPhone-Model-X" in raw
    checked = check("现场.jpg", raw)
    assert checked.kind == "image" and b"ReporterPhone-Model-X" not in checked.data
    assert not Image.open(io.BytesIO(checked.data)).getexif()
    png = check("截图.png", _png_with_text())
    with Image.open(io.BytesIO(png.data)) as image:
        assert image.size == (16, 16) and not image.text and not image.getexif()
    assert REPORTER.encode() not in png.data and b"ReporterPhone" not in png.data
    assert check("材料.pdf", b"%PDF-1.7\n...").kind == "pdf"
    with pytest.raises(ValidationError, match="格式不支持"):
        check("照片.jpg", b"MZ\x90\x00 this is a program")
    with pytest.raises(ValidationError, match="过大：PDF 文件不超过 20 MB"):
        check("大文件.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))


def test_an_oversized_picture_is_refused_in_words_before_its_pixels_are_decoded():
    limit = Image.MAX_IMAGE_PIXELS
    # Below Pillow's own limit, above ours: refused on the header alone (decoding would fail on the missing pixels).
    with pytest.raises(ValidationError, match=re.escape("附件“大图.png”的图片尺寸过大（超过 5000 万像素）")):
        check("大图.png", _png_claiming(9000, 9000))
    # Above Pillow's limit: its DecompressionBombError is neither OSError nor ValueError.
    with pytest.raises(ValidationError, match=re.escape("附件“炸弹.png”的图片尺寸过大")):
        check("炸弹.png", _png_claiming(30000, 30000))
    with pytest.raises(ValidationError, match=re.escape("附件“坏图.jpg”不是有效的图片")):
        check("坏图.jpg", _jpeg_with_gps()[:200])
    assert limit == Image.MAX_IMAGE_PIXELS  # the process-wide setting is left alone
    with pytest.raises(ValidationError, match="不是有效的图片"):  # a full "50 MP" sensor passes the size limit
        check("五千万像素.png", _png_claiming(8192, 6144))


def test_videos_keep_their_structure_and_lose_location_make_and_vendor_boxes():
    raw = _movie()
    assert PLACE in raw and b"com.apple.quicktime" in raw and b"ReporterPhone" in raw
    checked = check("现场.mp4", raw)
    assert (checked.kind, checked.extension) == ("video", "mp4")
    data = checked.data
    assert len(data) == len(raw) and data[:32] == raw[:32]  # ftyp and the start of mdat: no offset moves
    for secret in (PLACE, b"com.apple.quicktime", b"ReporterPhone", b"SamsungSerial"):
        assert secret not in data
    assert raw.index(b"frame-bytes-kept-as-is") == data.index(b"frame-bytes-kept-as-is")
    tree = _tree(data)
    assert [size for _, size, _ in tree] == [size for _, size, _ in _tree(raw)]
    assert [kind for kind, _, _ in tree] == [b"ftyp", b"mdat", b"moov", b"free"]
    moov = tree[2][2]
    assert [kind for kind, _, _ in moov] == [b"mvhd", b"trak", b"free", b"free"]
    assert [kind for kind, _, _ in moov[1][2]] == [b"tkhd", b"mdia", b"free"]

    mov = check("IMG_0001.MOV", _movie(b"qt  ", b"qt  "))
    assert (mov.kind, mov.extension) == ("video", "mov") and PLACE not in mov.data
    assert check("片段.3gp", _movie(b"3gp4", b"3gp4", b"isom")).extension == "mp4"
    with pytest.raises(ValidationError, match=re.escape("附件“坏.mp4”不是有效的视频文件")):
        check("坏.mp4", raw[: len(raw) - 10])


@pytest.mark.parametrize(
    ("major", "compatible"),
    [
        (b"heic", (b"mif1", b"heic")),
        (b"mif1", (b"mif1", b"heic")),
        (b"avif", (b"avif", b"mif1", b"miaf")),
        (b"msf1", ()),
    ],
)
def test_heic_and_avif_photos_are_not_taken_for_videos(major, compatible):
    photo = _box(b"ftyp", major, bytes(4), *compatible) + _box(b"meta", bytes(4), _box(b"Exif", PLACE))
    with pytest.raises(
        ValidationError, match=r"附件“IMG_0002.HEIC”是 HEIC/HEIF 格式的照片.*请将照片转为 JPG 或 PNG 格式后上传"
    ):
        check("IMG_0002.HEIC", photo)


def test_audio_in_the_same_container_is_not_accepted_as_video():
    with pytest.raises(ValidationError, match="格式不支持"):
        check("录音.m4a", _movie(b"M4A ", b"M4A ", b"mp42", b"isom"))


def test_word_files_lose_authors_company_paths_and_photo_metadata_and_still_open():
    raw = _docx_naming_reporter()
    checked = check("举报材料.docx", raw)
    assert checked.kind == "word"
    with zipfile.ZipFile(io.BytesIO(raw)) as before, zipfile.ZipFile(io.BytesIO(checked.data)) as after:
        assert after.namelist() == before.namelist()  # every part kept
        parts = {name: after.read(name) for name in after.namelist()}
    for name, content in parts.items():
        for secret in (REPORTER.encode(), "王五".encode(), "某某收费站".encode(), b"zhangsan", b"ReporterPhone"):
            assert secret not in content, (name, secret)
    assert "补充一句".encode() in parts["word/document.xml"] and b'w:author=""' in parts["word/document.xml"]
    assert 'Target="证据.docx"'.encode() in parts["word/_rels/document.xml.rels"]
    media = next(content for name, content in parts.items() if name.startswith("word/media/"))
    with Image.open(io.BytesIO(media)) as photo:
        photo.load()
        assert photo.size == (32, 24) and not photo.getexif()
    document = docx.Document(io.BytesIO(checked.data))
    assert document.core_properties.author == "" and document.core_properties.last_modified_by == ""
    assert document.paragraphs[0].text == "某站长违规安排亲属上岗。"
    assert [(c.author, c.initials, c.text) for c in document.comments] == [("", "", "我亲眼所见")]
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        damaged = archive.getinfo("word/document.xml").header_offset + 30 + len("word/document.xml") + 20
    with pytest.raises(ValidationError, match=re.escape("附件“坏.docx”不是有效的 Word 文档")):
        check("坏.docx", raw[:damaged] + bytes(50) + raw[damaged + 50 :])


def test_pdfs_lose_info_strings_xmp_and_photo_exif_in_place_and_still_read():
    raw = _pdf_naming_reporter()
    before = PdfReader(io.BytesIO(raw))
    assert before.metadata.author == "李四 (second)" and b"Zhang San" in raw and b"ReporterPhone" in raw
    checked = check("材料.pdf", raw)
    data = checked.data
    assert checked.kind == "pdf" and len(data) == len(raw)
    for secret in (b"Zhang San", b"ZS-Phone", b"fpdf2", b"ReporterPhone"):
        assert secret not in data
    reader = PdfReader(io.BytesIO(data), strict=True)
    info = reader.metadata
    assert not any(info.get(key) for key in ("/Author", "/Creator", "/Producer", "/Title", "/Subject", "/Keywords"))
    assert "/CreationDate" in info  # the rest of the dictionary is untouched
    assert reader.outline[0].title == "第一章 现场" and len(reader.pages) == 1
    assert not reader.xmp_metadata.dc_creator
    image = reader.pages[0].images[0]
    with Image.open(io.BytesIO(image.data)) as photo:
        photo.load()
        assert photo.size == (32, 24) and not photo.getexif()


class _Unread(SimpleUploadedFile):
    """An upload whose content must not be read."""

    def read(self, *args, **kwargs):
        raise AssertionError("read before the count and sizes were checked")


def test_check_uploads_refuses_count_and_size_before_reading_then_checks_each():
    six = [_Unread(f"{i}.jpg", b"x") for i in range(6)]
    with pytest.raises(ValidationError, match="每件反映最多上传 5 个附件，本次选择了 6 个"):
        check_uploads(six)
    huge = _Unread("大视频.mp4", b"x")
    huge.size = 101 * MB
    with pytest.raises(ValidationError, match=re.escape("附件“大视频.mp4”过大")):
        check_uploads([huge])
    two = [_Unread("1.mp4", b"x"), _Unread("2.mp4", b"x")]
    for f in two:
        f.size = 80 * MB
    with pytest.raises(ValidationError, match="附件合计过大：每件反映的附件合计不超过 150 MB"):
        check_uploads(two)
    files = [SimpleUploadedFile("现场.jpg", _jpeg_with_gps()), SimpleUploadedFile("现场.mp4", _movie())]
    checked = check_uploads(files)
    assert [(c.kind, c.extension) for c in checked] == [("image", "jpg"), ("video", "mp4")]
    assert all(b"ReporterPhone" not in c.data for c in checked)
    with pytest.raises(ValidationError, match=re.escape("附件“x.heic”是 HEIC")):
        check_uploads([SimpleUploadedFile("x.heic", _box(b"ftyp", b"heic", bytes(4), b"mif1"))])


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_uploaded_files_are_sealed_and_come_back_only_as_downloads(team_world, client, login):
    cache.clear()
    photo = SimpleUploadedFile("现场.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(f"/p/{team_world['announcement'].token}/", {**REPORT, "attachments": [photo]})
    assert re.search(r'id="receipt-code">', response.content.decode())
    attachment = Attachment.objects.get()
    sealed = stored_bytes(attachment.stored_name)
    assert sealed.startswith(b"XSF1") and _jpeg_with_gps()[:32] not in sealed  # not stored in the clear
    petition = Petition.objects.get()
    download = login(team_world["leader"]).get(f"/petitions/{petition.pk}/attachments/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment;") and download["X-Content-Type-Options"] == "nosniff"
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/octet-stream" and body[:3] == b"\xff\xd8\xff"
    assert b"ReporterPhone-Model-X" not in body
    assert (
        login(team_world["other_team"]).get(f"/petitions/{petition.pk}/attachments/{attachment.pk}/").status_code == 404
    )


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_bad_file_stores_nothing(team_world, client):
    cache.clear()
    bad = SimpleUploadedFile("证据.docx", b"\x00\x01 not a document", content_type="application/msword")
    page = client.post(f"/p/{team_world['announcement'].token}/", {**REPORT, "attachments": [bad]}).content.decode()
    assert "格式不支持" in page
    assert not Petition.objects.exists() and not Attachment.objects.exists()
