"""Attachments: type by content, size limits, image metadata stripped, sealed at rest, download only."""

import io
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xuncha.petitions.attachments import check
from xuncha.petitions.models import Attachment, Petition
from xuncha.petitions.tests.conftest import ON_SITE_DAY

REPORT = {"anonymous": "1", "what": "反映某站长在收费站违规安排亲属上岗。"}


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "ReporterPhone-Model-X"  # Make
    exif[0x8825] = {1: "N", 2: (28.0, 11.0, 30.0), 3: "E", 4: (112.0, 58.0, 10.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_images_lose_their_metadata_and_other_types_are_judged_by_content():
    raw = _jpeg_with_gps()
    assert b"ReporterPhone-Model-X" in raw
    checked = check("现场.jpg", raw)
    assert checked.kind == "image" and b"ReporterPhone-Model-X" not in checked.data
    assert not Image.open(io.BytesIO(checked.data)).getexif()
    assert check("材料.pdf", b"%PDF-1.7\n...").kind == "pdf"
    with pytest.raises(Exception, match="格式不支持"):
        check("照片.jpg", b"MZ\x90\x00 this is a program")
    with pytest.raises(Exception, match="过大：PDF 文件不超过 20 MB"):
        check("大文件.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_uploaded_files_are_sealed_and_come_back_only_as_downloads(team_world, client, login):
    cache.clear()
    photo = SimpleUploadedFile("现场.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(f"/p/{team_world['announcement'].token}/", {**REPORT, "attachments": [photo]})
    assert re.search(r'id="receipt-code">', response.content.decode())
    attachment = Attachment.objects.get()
    assert bytes(attachment.sealed_data)[:3] != b"\xff\xd8\xff"  # not stored in the clear
    petition = Petition.objects.get()
    download = login(team_world["leader"]).get(f"/petitions/{petition.pk}/attachments/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment;") and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/octet-stream" and download.content[:3] == b"\xff\xd8\xff"
    assert b"ReporterPhone-Model-X" not in download.content
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
