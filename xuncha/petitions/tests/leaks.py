"""What a stolen database, a node's configuration or its logs would show, searched for the secrets of
a real end-to-end flow (the helpers of test_confidentiality, test_sealing and test_intake).

A secret is searched in every form it could take: its UTF-8 bytes, the \\uXXXX escapes JSON stores
for it (Django's JSONField writes ensure_ascii JSON), GBK and UTF-16, and its first characters (a
truncated summary is a leak too). A prefix is at least 4 characters and at least 8 bytes (10 digits
for a number), so random ciphertext, a hex digest or a long number cannot contain it by chance.
"""

import base64
import binascii
import io
import json
import logging
import os
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image

from xuncha.petitions.survey import QUESTIONS

# ---------------------------------------------------------------------------------------------
# The secrets of the end-to-end flow: each distinctive, none a prefix of anything the fixtures hold.

REPORTER_IP = "10.77.66.55"
FIRST = {  # named, on the intake node, with a photo and a PDF, then an addition with the code
    "anonymous": "0",
    "name": "赵敏华",
    "phone": "13912345678",
    "unit": "供水二厂调度室",
    "address": "雨花区韶山路88号",
    "subject_name": "柯振彪",
    "subject_position": "基建处处长",
    "what": "柯振彪在翠湖山庄收受工程老板二十万元现金，车牌湘A·99999。",
    "when": "2024年9月",
    "where": "翠湖山庄停车场",
}
SECOND = {  # named, on the internal side, with a photo
    "anonymous": "0",
    "name": "鲍春燕",
    "phone": "13687654321",
    "unit": "营业所收费班",
    "address": "天心区芙蓉南路19号",
    "subject_name": "韦德麟",
    "what": "韦德麟虚报燃气管网改造工程量套取资金，经办人为财务科出纳。",
    "where": "集团本部",
}
LETTER = {  # registered by the team from a letter, named
    "name": "钱德旺",
    "phone": "13700001234",
    "address": "岳麓区麓山南路321号",
    "subject_name": "邝耀祖",
    "what": "邝耀祖在水表采购中指定亲属企业中标，合同金额约三百万。",
}
ADDITION_FIRST = "补充：行贿人是鸿运建材的老板。"
ADDITION_SECOND = "补充：套取资金存入绿洲贸易账户。"
REPLY = "请于十月二十日前补充行车记录。"
NOTE = "内部研判意见：线索具体可查。"
STATUS_REASON = "调阅三号泵站台账核对。"
REFERRAL_RESULT = "核实退缴赃款四十二万元。"
PDF_TEXT = b"ATTACHMENT-BODY-QZX-7731"  # what the reporter's PDF says (kept: only metadata is scrubbed)

SECRETS: dict[str, str] = {
    "reporter name": FIRST["name"],
    "reporter phone": FIRST["phone"],
    "reporter unit": FIRST["unit"],
    "reporter address": FIRST["address"],
    "subject name": FIRST["subject_name"],
    "text: place": "翠湖山庄",
    "text: sum": "二十万元现金",
    "text: plate": "湘A·99999",
    "addition": "鸿运建材",
    "second reporter name": SECOND["name"],
    "second reporter phone": SECOND["phone"],
    "second reporter unit": SECOND["unit"],
    "second reporter address": SECOND["address"],
    "second subject name": SECOND["subject_name"],
    "second text": "燃气管网改造",
    "second addition": "绿洲贸易",
    "letter reporter name": LETTER["name"],
    "letter reporter phone": LETTER["phone"],
    "letter reporter address": LETTER["address"],
    "letter subject name": LETTER["subject_name"],
    "letter text": "水表采购",
    "reply": REPLY,
    "note": NOTE,
    "status reason": STATUS_REASON,
    "referral result": REFERRAL_RESULT,
    "attachment text": PDF_TEXT.decode(),
    "reporter address (IP)": REPORTER_IP,
}


def _prefix(secret: str) -> str:
    """The secret's beginning: 4 characters, longer until 8 bytes (10 for digits: a phone number's
    first digits turn up in any long number by chance)."""
    least = 10 if secret.isdigit() else 8
    for n in range(4, len(secret)):
        if len(secret[:n].encode()) >= least:
            return secret[:n]
    return secret


def code_forms(code: str) -> list[str]:
    """A receipt code as typed: with and without its dashes, either case."""
    bare = code.replace("-", "")
    return [code, bare, code.lower(), bare.lower()]


def needles(secret: str) -> dict[bytes, str]:
    """The byte strings whose presence would give the secret (or its beginning) away."""
    out: dict[bytes, str] = {}
    for text in (secret, _prefix(secret)):
        out[text.encode()] = text
        out[json.dumps(text)[1:-1].encode()] = text  # as ensure_ascii JSON stores it
    for encoding in ("gbk", "utf-16-le"):
        with suppress(UnicodeEncodeError):
            out.setdefault(secret.encode(encoding), f"{secret} ({encoding})")
    return out


def with_codes(secrets: dict[str, str], codes: Iterable[str]) -> dict[str, str]:
    extended = dict(secrets)
    for i, code in enumerate(codes):
        for j, form in enumerate(code_forms(code)):
            extended[f"receipt code {i} (form {j})"] = form
    return extended


def as_bytes(value: Any) -> bytes:
    """A column's value as a dump holds it: bytes as they are, text as UTF-8, anything else as text."""
    if value is None:
        return b""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str).encode()
    return str(value).encode()


def needle_table(secrets: dict[str, str]) -> list[tuple[bytes, str]]:
    return [
        (needle, f"{label}: {text!r}") for label, secret in secrets.items() for needle, text in needles(secret).items()
    ]


def found(haystack: bytes | str, secrets: dict[str, str] | list[tuple[bytes, str]]) -> list[str]:
    """The labels of the secrets (or their beginnings) found in the haystack."""
    data = haystack.encode() if isinstance(haystack, str) else bytes(haystack)
    table = needle_table(secrets) if isinstance(secrets, dict) else secrets
    return sorted({label for needle, label in table if needle in data})


# ---------------------------------------------------------------------------------------------
# The database, as a dump would show it: every table, every column, every row (vendor-neutral).


def db_values() -> Iterator[tuple[str, str, Any]]:
    """(table, column, value) for every value stored in the database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                yield from ((table, column, value) for column, value in zip(columns, row, strict=True))


def db_leaks(secrets: dict[str, str]) -> list[str]:
    """Where in the database a secret (or its beginning) is readable: "table.column: secret"."""
    leaks, table_ = set(), needle_table(secrets)
    for table, column, value in db_values():
        for hit in found(as_bytes(value), table_):
            leaks.add(f"{table}.{column}: {hit}")
    return sorted(leaks)


def decoded_sessions() -> list[str]:
    """The sessions' data as JSON: stored signed and base64-encoded, readable by anyone with the dump."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    store = SessionStore()
    return [json.dumps(store.decode(s.session_data), ensure_ascii=False, default=str) for s in Session.objects.all()]


def cache_contents() -> list[bytes]:
    """Every key and stored (pickled) value of the cache: local memory in tests, Redis in production."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=False)
        return [part for key in client.scan_iter() for part in (bytes(key), bytes(client.get(key) or b""))]
    assert isinstance(backend, LocMemCache), type(backend)
    return [part for key, value in backend._cache.items() for part in (key.encode(), bytes(value))]


NODE_MODELS = ("Petition", "PetitionMessage", "Attachment", "ReporterView", "ExportedBundle")


def node_rows() -> str:
    """One node's own petition rows, to set aside while the other node's database is in use (both nodes
    share the test database)."""
    from django.apps import apps
    from django.core import serializers

    models = [apps.get_model("petitions", name) for name in NODE_MODELS]
    return serializers.serialize("json", [obj for model in models for obj in model.objects.all()])


def node_wipe() -> None:
    from django.apps import apps

    for name in reversed(NODE_MODELS):
        apps.get_model("petitions", name).objects.all().delete()


def node_restore(saved: str) -> None:
    from django.core import serializers

    node_wipe()
    for obj in serializers.deserialize("json", saved):
        obj.save()


def table_rows() -> dict[str, int]:
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


# ---------------------------------------------------------------------------------------------
# Logs: a handler that keeps every record, and every text a record can turn into.


class Keeper(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not any(r is record for r in self.records):  # a propagated record reaches two of our loggers
            self.records.append(record)

    def texts(self) -> list[tuple[str, str]]:
        """(logger, text) for each record: the message, its arguments, the exception text and the line
        as the project's configured formatter (settings.LOGGING "plain") writes it, traceback included.
        That formatter prints no frame locals, so none are looked at."""
        plain = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
        out = []
        for record in self.records:
            args: Any = record.args or ()
            if isinstance(args, tuple):
                # A float (the SQL log's duration, 0.00014137000016…) holds no secret, only digits by chance.
                args = tuple(a for a in args if not isinstance(a, float))
            parts = [record.getMessage(), repr(args), str(record.msg), record.stack_info or ""]
            parts.append(plain.format(record))  # sets exc_text when there is an exception
            parts.append(record.exc_text or "")
            out.append((record.name, "\n".join(parts)))
        return out

    def leaks(self, secrets: dict[str, str]) -> list[str]:
        table = needle_table(secrets)
        return sorted({f"{name}: {hit}" for name, text in self.texts() for hit in found(text, table)})


@contextmanager
def kept_logs(*names: str, level: int = logging.DEBUG) -> Iterator[Keeper]:
    """Every record of the named loggers ("" is the root logger) set to `level`, and of their children."""
    keeper = Keeper()
    loggers = [logging.getLogger(n) for n in names]
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(keeper)
        logger.setLevel(level)
    try:
        yield keeper
    finally:
        for logger, old in saved:
            logger.removeHandler(keeper)
            logger.setLevel(old)


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
    download = admin.post("/petitions/transfer/")
    flow.bundle = b"".join(download.streaming_content) if download.streaming else download.content
    assert flow.bundle[:4] == b"XCB1"
    Petition.objects.all().delete()  # the internal system has its own database

    # Inside: the bundle is imported; a second named report comes in directly; a survey sheet.
    internal()
    with on_commit(execute=True):
        page = admin.post("/petitions/transfer/", {"bundle": SimpleUploadedFile("b.xcb", flow.bundle)}, follow=True)
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
    assert FIRST["name"] in leader.post(f"/petitions/{imported.pk}/", {"action": "reveal"}).content.decode()
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
    flow.replies = admin.post("/petitions/transfer/", {"action": "reply_export"}).content
    assert flow.replies[:4] == b"XCR1"
    return flow


def assert_fully_processed() -> None:
    """The background processing and every step of the flow left their rows: the dump is not of an
    empty or half-processed database."""
    from xuncha.core.models import AuditEvent
    from xuncha.petitions.models import (
        Attachment,
        CategoryFeature,
        ImportedBundle,
        Petition,
        PetitionBand,
        PetitionBandCount,
        PetitionMessage,
        PetitionNote,
        PetitionSignature,
        Referral,
        ReplyExport,
        SurveyResponse,
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


# ---------------------------------------------------------------------------------------------
# Keys: every candidate 32-byte secret in what a node holds, and an opener independent of sealing.py.

PURPOSES = (
    "identity",
    "content",
    "message",
    "note",
    "attachment",
    "bundle",
    "referral_result",
    "incoming_report",
    "reporter_view",
)
_B64 = re.compile(rb"[A-Za-z0-9+/_-]{43,}={0,2}")
_HEX = re.compile(rb"[0-9a-fA-F]{64,}")
# PKCS#8 DER of an X25519 private key: this header, then the 32 raw bytes.
_PKCS8_X25519 = bytes.fromhex("302e020100300506032b656e04220420")


def _b64_32(token: bytes) -> bytes | None:
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            raw = decode(token + b"=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            continue
        if len(raw) == 32:
            return raw
    return None


def key_candidates(material: Iterable[tuple[str, bytes]]) -> dict[bytes, str]:
    """Every candidate 32-byte secret in the material, with where it came from: a 32-byte value alone;
    base64 decoding to exactly 32 bytes (whole contents, each base64 run and each 43/44-character window
    of a longer run); 64 hex digits (each window of a longer run); a PKCS#8 X25519 key, raw or base64."""
    out: dict[bytes, str] = {}

    def add(raw: bytes | None, origin: str) -> None:
        if raw is not None and len(raw) == 32:
            out.setdefault(raw, origin)

    for origin, data in material:
        stripped = data.strip()
        add(data if len(data) == 32 else None, origin)
        add(stripped if len(stripped) == 32 else None, origin)
        add(_b64_32(stripped), origin)
        layers = [data]
        with suppress(binascii.Error, ValueError):  # the whole content interpreted as base64
            layers.append(base64.b64decode(stripped, validate=False))
        for layer in layers:
            at = layer.find(_PKCS8_X25519)
            while at >= 0:
                add(layer[at + len(_PKCS8_X25519) : at + len(_PKCS8_X25519) + 32], origin + " (PKCS#8)")
                at = layer.find(_PKCS8_X25519, at + 1)
        for match in _B64.finditer(data):
            token = match.group(0)
            add(_b64_32(token), origin)
            try:  # a PEM body or any base64 run: a PKCS#8 key inside it
                decoded = base64.b64decode(token + b"=" * (-len(token) % 4))
            except (binascii.Error, ValueError):
                decoded = b""
            at = decoded.find(_PKCS8_X25519)
            if at >= 0:
                add(decoded[at + len(_PKCS8_X25519) : at + len(_PKCS8_X25519) + 32], origin + " (PKCS#8)")
            body = token.rstrip(b"=")
            if len(body) > 43:
                for i in range(len(body) - 42):
                    add(_b64_32(body[i : i + 43]), origin + " (window)")
        for match in _HEX.finditer(data):
            run = match.group(0)
            for i in range(len(run) - 63):
                add(bytes.fromhex(run[i : i + 64].decode()), origin)
    return out


def public_of(private: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()


def try_open(private: bytes, blob: bytes) -> Any:
    """Open a sealed value with a candidate private key, the construction of sealing.open_sealed written
    out again (ECDH with the stored ephemeral key, HKDF-SHA256, ChaCha20-Poly1305 with the purpose as
    associated data, each purpose tried); None when it does not open."""
    blob = bytes(blob)
    if blob[:1] == b"\x02":  # version 2 (docs/adr/0009): the same box behind an 8-byte key id
        blob = b"\x01" + blob[9:]
    if blob[:1] != b"\x01" or len(blob) < 1 + 32 + 12 + 16:
        return None
    eph_pub, nonce, ciphertext = blob[1:33], blob[33:45], blob[45:]
    key = X25519PrivateKey.from_private_bytes(private)
    try:
        shared = key.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except ValueError:  # a low-order point: not a blob sealed by sealing.seal
        return None
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=eph_pub + key.public_key().public_bytes_raw(),
        info=b"xuncha-petition-seal-v1",
    ).derive(shared)
    for purpose in PURPOSES:
        try:
            return json.loads(ChaCha20Poly1305(derived).decrypt(nonce, ciphertext, purpose.encode()))
        except InvalidTag:
            continue
    return None


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a settings value (nested dicts, lists, paths and other objects as text)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings_in(k)
            yield from strings_in(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from strings_in(v)
    elif isinstance(value, bytes | bytearray | memoryview):
        yield bytes(value).decode("latin-1")
    elif value is not None:
        yield str(value)


def node_material(var_dir: Path) -> list[tuple[str, bytes]]:
    """Everything a node holds but its running memory: every database value, its Django settings (and
    the files they name), its environment and every file under its VAR_DIR."""
    material = [(f"db:{t}.{c}", as_bytes(v)) for t, c, v in db_values()]
    named_files = set()
    with warnings.catch_warnings():  # reading a deprecated setting warns
        warnings.simplefilter("ignore")
        values = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    for name, value in values.items():
        for text in strings_in(value):
            material.append((f"settings:{name}", text.encode(errors="surrogateescape")))
            if len(text) < 4096 and os.path.isfile(text):
                named_files.add(Path(text))
    for name, value in os.environ.items():
        material.append((f"env:{name}", f"{name}={value}".encode(errors="surrogateescape")))
        material.append((f"env:{name}", value.encode(errors="surrogateescape")))
    files = {p for p in var_dir.rglob("*") if p.is_file()} | named_files
    for path in sorted(files):
        material.append((f"file:{path}", path.read_bytes()))
    return material
