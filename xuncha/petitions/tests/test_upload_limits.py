"""A body over a limit is refused in words before anything is stored or any receipt shown, and the text the
reporter (or the team) typed comes back in the form: files over a limit are measured, never dropped."""

import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xuncha.core import uploads
from xuncha.core.uploads import MB
from xuncha.petitions.models import Petition
from xuncha.petitions.tests.conftest import ON_SITE_DAY

WHAT = "反映某站长在收费站违规安排亲属上岗，并虚报加班费。"


def _box(kind: bytes, body: bytes) -> bytes:
    return (8 + len(body)).to_bytes(4) + kind + body


def _video(size: int) -> SimpleUploadedFile:
    """A real MP4 box structure of `size` bytes: ftyp, moov, and the rest media data."""
    head = _box(b"ftyp", b"isom" + bytes(4) + b"isomiso2avc1mp41") + _box(b"moov", _box(b"mvhd", bytes(100)))
    body = head + _box(b"mdat", bytes(size - len(head) - 8))
    return SimpleUploadedFile("现场录像.mp4", body, content_type="video/mp4")


def _small_limits(monkeypatch, settings) -> None:
    """The same rules at a scale a test can send: a video up to 2 MB, 3 MB a report, and a body larger
    than the memory threshold that once made Django's memory handler step aside and drop the files."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * MB
    monkeypatch.setattr(uploads, "LIMITS", {**uploads.LIMITS, "video": 2 * MB, "image": MB, "pdf": MB, "word": MB})
    monkeypatch.setattr(uploads, "MAX_TOTAL", 3 * MB)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_an_oversized_file_on_the_public_form_is_refused_with_the_text_kept(team_world, monkeypatch, settings):
    _small_limits(monkeypatch, settings)
    cache.clear()
    token = team_world["announcement"].token
    page = Client().post(f"/p/{token}/", {"anonymous": "1", "what": WHAT, "attachments": [_video(5 * MB)]},
                         REMOTE_ADDR="10.4.0.1").content.decode()  # fmt: skip
    assert "receipt-code" not in page and "过大" in page and "2 MB" in page
    assert WHAT in page and Petition.objects.count() == 0
    # Two files each within the limit but over the report's total: refused the same way.
    page = Client().post(f"/p/{token}/", {"anonymous": "1", "what": WHAT,
                                          "attachments": [_video(int(1.8 * MB)), _video(int(1.8 * MB))]},
                         REMOTE_ADDR="10.4.0.2").content.decode()  # fmt: skip
    assert "合计过大" in page and "3 MB" in page and WHAT in page and Petition.objects.count() == 0
    ok = Client().post(f"/p/{token}/", {"anonymous": "1", "what": WHAT, "attachments": [_video(MB)]},
                       REMOTE_ADDR="10.4.0.3").content.decode()  # fmt: skip
    assert "receipt-code" in ok and Petition.objects.get().attachments.count() == 1


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_staff_registration_refuses_an_oversized_file_and_keeps_the_form(team_world, login, monkeypatch, settings):
    _small_limits(monkeypatch, settings)
    form = {"assignment": team_world["assignment"].pk, "channel": "visit", "received_at": "2024-10-15T09:30",
            "what": WHAT, "name": "周某某", "phone": "13600001111", "attachments": [_video(5 * MB)]}  # fmt: skip
    page = login(team_world["leader"]).post("/petitions/register/", form).content.decode()
    assert "过大" in page and WHAT in page and "周某某" in page
    assert Petition.objects.count() == 0


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_million_character_text_is_refused_by_its_limit_and_comes_back(team_world):
    cache.clear()
    text = "反映问题" * 250_000
    response = Client().post(f"/p/{team_world['announcement'].token}/", {"anonymous": "1", "what": text},
                             REMOTE_ADDR="10.4.1.1")  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "5000" in page and "receipt-code" not in page
    assert text in page and Petition.objects.count() == 0


def test_a_body_past_the_form_limit_gets_a_400_that_names_the_limit(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1 * MB
    response = Client().post("/accounts/login/", {"username": "x", "password": "y" * (2 * MB)})
    assert response.status_code == 400 and "超过 1 MB" in response.content.decode()
