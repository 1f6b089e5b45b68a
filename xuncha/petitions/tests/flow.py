"""The end-to-end flow the confidentiality tests search: a named report with files on the intake
node, the bundle, the internal side's own reports, the team's work, and the reporters' return."""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from xuncha.fieldwork.survey import QUESTIONS
from xuncha.petitions.tests.leaks import (
    ADDITION_FIRST,
    ADDITION_SECOND,
    FIRST,
    LETTER,
    NOTE,
    PDF_TEXT,
    REFERRAL_RESULT,
    REPLY,
    REPORTER_IP,
    SECOND,
    SECRETS,
    STATUS_REASON,
    found,
    with_codes,
)

# ---------------------------------------------------------------------------------------------
# Files the reporters send.

PHOTO_MAKE = "ReporterPhone-Model-X"
PHOTO_ARTIST = "ZHAO MINHUA GONGSHUI-2"  # the owner a phone writes into every photo it takes
PHOTO_SERIAL = "SN-7731-QZX-0042"


def photo() -> SimpleUploadedFile:
    """A phone photo carrying its make, its owner, its serial number and where it was taken."""
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = PHOTO_MAKE  # Make
    exif[0x013B] = PHOTO_ARTIST  # Artist
    exif[0xA431] = PHOTO_SERIAL  # BodySerialNumber
    exif[0x8825] = {1: "N", 2: (28.0, 11.0, 30.0), 3: "E", 4: (112.0, 58.0, 10.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("现场照片.jpg", out.getvalue(), content_type="image/jpeg")


def pdf() -> SimpleUploadedFile:
    body = b"%PDF-1.7\n1 0 obj << /Length 40 >>\nstream\nBT (" + PDF_TEXT + b") Tj ET\nendstream\nendobj\n%%EOF\n"
    return SimpleUploadedFile("举报材料.pdf", body, content_type="application/pdf")


def receipt_code(response: Any) -> str:
    match = re.search(r'id="receipt-code">([A-Z0-9-]+)<', response.content.decode())
    assert match, response.content.decode()[:500]
    return match.group(1)


# ---------------------------------------------------------------------------------------------
# The end-to-end flow: intake node, bundle, internal side, the team's work, the reporters' return.


@dataclass
class Flow:
    codes: list[str] = field(default_factory=list)
    bundle: bytes = b""  # the intake node's bundle file
    replies: bytes = b""  # the return file made inside
    urls: list[str] = field(default_factory=list)  # every path requested and every redirect target
    cookies: list[str] = field(default_factory=list)  # every cookie set, the messages cookie decoded

    def secrets(self) -> dict[str, str]:
        return with_codes(SECRETS, self.codes)


class Recorder:
    """A test client whose requested paths, redirect targets and cookies are kept (no secret may be in
    any of them: they end up in access logs, proxies and browser histories)."""

    def __init__(self, client: Client, flow: Flow) -> None:
        self.client, self.flow = client, flow

    def _keep(self, path: str, response: Any) -> Any:
        from django.contrib.messages.storage.cookie import CookieStorage
        from django.http import HttpRequest

        self.flow.urls.append(path)
        if response.get("Location"):
            self.flow.urls.append(response["Location"])
        for hop, _status in getattr(response, "redirect_chain", []):
            self.flow.urls.append(hop)
        for name, morsel in response.cookies.items():
            self.flow.cookies.append(f"{name}={morsel.value}")
            if name == CookieStorage.cookie_name and morsel.value:
                # Signed, compressed and base64-encoded, not encrypted: what it says is readable.
                messages = CookieStorage(HttpRequest())._decode(morsel.value) or []
                self.flow.cookies.extend(str(m.message) for m in messages)
        return response

    def get(self, path: str, *args: Any, **kwargs: Any) -> Any:
        return self._keep(path, self.client.get(path, *args, **kwargs))

    def post(self, path: str, *args: Any, **kwargs: Any) -> Any:
        return self._keep(path, self.client.post(path, *args, **kwargs))


def end_to_end(
    *,
    world: dict[str, Any],
    personas: dict[str, Any],
    login: Callable[[Any], Client],
    nodes: tuple[Callable[[], None], Callable[[], None]],
    on_commit: Any,
) -> Flow:
    """Everything a petition goes through, each step through the pages, the background processing run
    after each commit (django_capture_on_commit_callbacks(execute=True))."""
    from xuncha.petitions.models import Petition

    intake, internal = nodes
    flow = Flow()
    token = world["announcement"].token
    reporter = Recorder(Client(REMOTE_ADDR=REPORTER_IP), flow)

    # On the intake node: a named report with a photo and a PDF; an addition with the receipt code.
    intake()
    with on_commit(execute=True):
        page = reporter.post(f"/p/{token}/", {**FIRST, "attachments": [photo(), pdf()]})
    assert page.status_code == 200, page.content.decode()[:2000]
    flow.codes.append(receipt_code(page))
    with on_commit(execute=True):
        page = reporter.post("/p/status/", {"code": flow.codes[0], "addition": ADDITION_FIRST})
    assert "已收到您的补充材料" in page.content.decode()
    admin = Recorder(login(personas["city_admin"]), flow)
    download = admin.post("/ferry/transfer/")
    flow.bundle = b"".join(download.streaming_content) if download.streaming else download.content
    assert flow.bundle[:4] == b"XCB1"
    Petition.objects.all().delete()  # the internal system has its own database

    # Inside: the bundle is imported; a second named report comes in directly; a survey sheet.
    internal()
    with on_commit(execute=True):
        page = admin.post("/ferry/transfer/", {"bundle": SimpleUploadedFile("b.xcb", flow.bundle)}, follow=True)
    assert "已导入数据包" in page.content.decode()
    arrived = Petition.objects.get(intake_ref__isnull=False)
    assert (arrived.messages.count(), arrived.attachments.count()) == (1, 2)
    with on_commit(execute=True):
        page = reporter.post(f"/p/{token}/", {**SECOND, "attachments": [photo()]})
    flow.codes.append(receipt_code(page))
    with on_commit(execute=True):
        page = reporter.post("/p/status/", {"code": flow.codes[1], "addition": ADDITION_SECOND})
    assert "已收到您的补充材料" in page.content.decode()
    sheet = {code: "较好" for code, _ in QUESTIONS}
    assert "感谢参与" in reporter.post(f"/p/{token}/survey/", sheet).content.decode()

    # The team registers a named letter with its scan.
    member = Recorder(login(world["member"]), flow)
    with on_commit(execute=True):
        response = member.post(
            "/petitions/register/",
            {"assignment": world["assignment"].pk, "channel": "letter", "received_at": "2024-10-15T09:00",
             **LETTER, "attachments": [photo()]},
        )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]

    imported = Petition.objects.get(intake_ref__isnull=False)
    direct = Petition.objects.get(intake_ref__isnull=True, channel="qr")
    letter = Petition.objects.get(channel="letter")

    # The leader: triage pages, a reveal, a reply, a note, decisions (learning a category), a referral.
    leader = Recorder(login(world["leader"]), flow)
    for petition in (imported, direct, letter):
        assert leader.get(f"/petitions/{petition.pk}/").status_code == 200
    assert (
        FIRST["name"]
        in leader.post(
            f"/petitions/{imported.pk}/", {"action": "reveal", "reason": "电话联系核实情况"}
        ).content.decode()
    )
    with on_commit(execute=True):
        for url, data in [
            (f"/petitions/{imported.pk}/reply/", {"text": REPLY}),
            (f"/petitions/{imported.pk}/note/", {"text": NOTE}),
            (f"/petitions/{imported.pk}/sign/", {}),
            (f"/petitions/{imported.pk}/dispose/", {"disposition": "use_clue", "category": "integrity"}),
            (f"/petitions/{direct.pk}/status/", {"status": "under_review", "reason": STATUS_REASON}),
            (f"/petitions/{letter.pk}/dispose/", {"disposition": "refer_out", "category": "integrity",
             "receiver": "市住建局", "letter_no": "长巡转〔2024〕9号", "sent_on": "2024-10-15"}),
            (f"/petitions/{letter.pk}/referral/", {"acknowledged_on": "2024-10-15", "result": REFERRAL_RESULT,
             "result_on": "2024-10-15"}),
        ]:  # fmt: skip
            assert leader.post(url, data).status_code == 302, url
    assert "共 1 件" in leader.post("/petitions/", {"q": FIRST["subject_name"]}).content.decode()
    # The referral letter goes to another body: the matter, never who reported it.
    letter_file = leader.get(f"/petitions/{letter.pk}/referral/letter.docx")
    assert letter_file.status_code == 200
    with zipfile.ZipFile(io.BytesIO(letter_file.content)) as package:
        text = b"".join(package.read(name) for name in package.namelist())
    assert LETTER["what"][:6].encode() in text
    assert found(text, {k: LETTER[k] for k in ("name", "phone", "address")}) == []
    for petition in (imported, direct, letter):
        assert leader.get(f"/petitions/{petition.pk}/").status_code == 200

    # The first reporter reads the reply with the code; the views go back to the intake node.
    assert REPLY in reporter.post("/p/status/", {"code": flow.codes[0]}).content.decode()
    admin = Recorder(login(personas["city_admin"]), flow)
    flow.replies = admin.post("/ferry/transfer/", {"action": "reply_export"}).content
    assert flow.replies[:4] == b"XCR1"
    return flow


def assert_fully_processed() -> None:
    """The background processing and every step of the flow left their rows: the dump is not of an
    empty or half-processed database."""
    from xuncha.core.models import AuditEvent
    from xuncha.ferry.models import ImportedBundle, ReplyExport
    from xuncha.fieldwork.models import SurveyResponse
    from xuncha.petitions.models import (
        Attachment,
        CategoryFeature,
        Petition,
        PetitionBand,
        PetitionBandCount,
        PetitionMessage,
        PetitionNote,
        PetitionSignature,
        Referral,
    )

    petitions = Petition.objects.all()
    assert petitions.count() == 3
    assert not petitions.filter(sign_due__isnull=True).exists()  # every submission was processed
    assert PetitionSignature.objects.count() == 3 and PetitionBand.objects.count() == 3 * 32
    assert PetitionBandCount.objects.exists()
    assert CategoryFeature.objects.filter(category="integrity", feature="__docs__", count=2).exists()
    assert CategoryFeature.objects.exclude(feature="__docs__").count() > 5  # words learned (hashed)
    assert SurveyResponse.objects.count() == 1 and ImportedBundle.objects.count() == 1
    assert ReplyExport.objects.get().petitions == 1
    assert Referral.objects.filter(sealed_result__isnull=False).count() == 1
    assert PetitionNote.objects.count() == 2  # the note and the status reason
    assert PetitionMessage.objects.filter(from_reporter=True).count() == 2
    assert PetitionMessage.objects.filter(from_reporter=False).count() == 1
    assert Attachment.objects.count() == 4
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "petitions.received",
        "petitions.reporter_added",
        "petitions.bundle_export",
        "petitions.bundle_import",
        "petitions.registered",
        "petitions.identity_reveal",
        "petitions.team_reply",
        "petitions.note_add",
        "petitions.disposed",
        "petitions.status",
        "petitions.referral_update",
        "petitions.reply_export",
    } <= actions
    assert AuditEvent.objects.filter(action="petitions.received").count() == 2  # intake node and inside
