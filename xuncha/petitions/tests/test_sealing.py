"""Sealed boxes: the internal key opens them; nothing an intake node holds can."""

import base64
import json
import logging
from pathlib import Path

import pytest
import time_machine
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.core.cache import cache
from django.test import Client

from xuncha.core import sealing
from xuncha.core.actors import COMMAND_LINE
from xuncha.petitions.models import Petition, PetitionMessage, ReporterView
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.flow import pdf, photo, receipt_code
from xuncha.petitions.tests.keyhunt import key_candidates, node_material, public_of, try_open
from xuncha.petitions.tests.leaks import (
    ADDITION_FIRST,
    ADDITION_SECOND,
    FIRST,
    REPLY,
    REPORTER_IP,
    SECOND,
    SECRETS,
    db_values,
    found,
    node_restore,
    node_rows,
    node_wipe,
    with_codes,
)


@pytest.fixture
def intake_node(settings, tmp_path):
    """A node configured like the internet-facing intake: the public key only, its own var/."""
    _, public = sealing.generate_key_pair()
    settings.NODE = "intake"
    settings.PETITION_PUBLIC_KEY = public
    settings.PETITION_PRIVATE_KEY_FILE = ""
    settings.PETITION_LOCAL_KEYS = False
    settings.VAR_DIR, settings.KEY_DIR = tmp_path, tmp_path / "keys"
    sealing.reset_keys()
    yield public
    sealing.reset_keys()


def test_a_sealed_value_opens_only_for_its_purpose():
    sealing.reset_keys()
    blob = sealing.seal({"name": "张三", "phone": "13800000000"}, "identity")
    assert sealing.open_sealed(blob, "identity") == {"name": "张三", "phone": "13800000000"}
    assert "张三".encode() not in blob and b"13800000000" not in blob
    with pytest.raises(InvalidTag):
        sealing.open_sealed(blob, "content")
    tampered = bytearray(blob)
    tampered[-1] ^= 1
    with pytest.raises(InvalidTag):
        sealing.open_sealed(bytes(tampered), "identity")
    assert sealing.seal("同一内容", "content") != sealing.seal("同一内容", "content")


def test_the_intake_node_seals_but_cannot_open(intake_node):
    blob = sealing.seal("反映某领导违规吃喝", "content")
    assert not sealing.can_open()
    with pytest.raises(sealing.SealingUnavailable, match="本节点不持有解密密钥"):
        sealing.open_sealed(blob, "content")


def test_the_internal_key_file_opens_what_the_intake_node_sealed(settings, tmp_path):
    private, public = sealing.generate_key_pair()
    settings.NODE, settings.PETITION_PUBLIC_KEY, settings.PETITION_LOCAL_KEYS = "intake", public, False
    sealing.reset_keys()
    blob = sealing.seal("内容", "content")
    key_file = tmp_path / "petition.key"
    key_file.write_text(private)
    settings.NODE, settings.PETITION_PRIVATE_KEY_FILE = "internal", str(key_file)
    sealing.reset_keys()
    assert sealing.open_sealed(blob, "content") == "内容"
    sealing.reset_keys()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_nothing_the_intake_node_holds_opens_a_petition(
    team_world, personas, login, nodes, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The intake node's database, its settings (and the files they name), its environment and every file
    under its VAR_DIR, after named reports with files and additions came in through its pages and the
    team's reply came back sealed to the reporter: no 32-byte secret anywhere in all that is the private
    key of the internal public key or of a reporter's, none opens a stored value, nothing is readable.
    The same search finds the internal private key once it is there."""
    from xuncha.ferry.bundles import bundle_import
    from xuncha.ferry.models import ImportedBundle, ReplyExport
    from xuncha.ferry.replies import reply_export, reply_import
    from xuncha.petitions.intake.receipts import reporter_key
    from xuncha.petitions.intake.services import team_reply
    from xuncha.petitions.models import CategoryFeature, PetitionBandCount

    intake, internal = nodes
    intake()
    settings.ROOT_URLCONF = "config.intake_urls"
    cache.clear()
    var = Path(settings.VAR_DIR)
    var.mkdir(parents=True)
    # What a running node keeps under var/ besides: its generated SECRET_KEY, its log, the files it moved.
    (var / "secret_key").write_text(settings.SECRET_KEY)
    log = logging.FileHandler(var / "xuncha.log", encoding="utf-8")
    log.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]))
    logging.getLogger().addHandler(log)
    try:
        reporter = Client(REMOTE_ADDR=REPORTER_IP)
        token = team_world["announcement"].token
        codes = []
        for report, files in ((FIRST, [photo(), pdf()]), (SECOND, [photo()])):
            with django_capture_on_commit_callbacks(execute=True):
                codes.append(receipt_code(reporter.post(f"/p/{token}/", {**report, "attachments": files})))
        with django_capture_on_commit_callbacks(execute=True):
            reporter.post("/p/status/", {"code": codes[0], "addition": ADDITION_FIRST})
        bundle = login(personas["city_admin"]).post("/ferry/transfer/").content
        assert bundle[:4] == b"XCB1"
        (var / "xuncha-000001.xcb").write_bytes(bundle)

        # Inside (its own database: the node's rows set aside), the team replies; the views come back.
        on_node = node_rows()
        node_wipe()
        internal()
        settings.ROOT_URLCONF = "config.urls"
        bundle_import(bundle, actor=COMMAND_LINE)
        first = Petition.objects.order_by("pk").first()  # the first report (a bundle keeps their order)
        team_reply(actor=team_world["leader"], petition=first, text=REPLY)
        returned, _ = reply_export(actor=COMMAND_LINE)
        for model in (ImportedBundle, ReplyExport, PetitionBandCount, CategoryFeature):  # the internal side's
            model.objects.all().delete()
        node_restore(on_node)
        intake()
        settings.ROOT_URLCONF = "config.intake_urls"
        reply_import(returned, actor=COMMAND_LINE)
        (var / "xuncha-replies-000001.xcr").write_bytes(returned)
        page = reporter.post("/p/status/", {"code": codes[0]}).content.decode()
        assert REPLY in page  # the code's holder reads the reply on the node
        with django_capture_on_commit_callbacks(execute=True):  # an addition after the export, still here
            reporter.post("/p/status/", {"code": codes[1], "addition": ADDITION_SECOND})
    finally:
        logging.getLogger().removeHandler(log)
        log.close()
    assert not sealing.can_open()
    assert Petition.objects.count() == 2 and not Petition.objects.filter(sign_due__isnull=True).exists()
    assert not PetitionMessage.objects.filter(from_reporter=False).exists()  # the reply is only in the view

    material = node_material(var)
    values = list(db_values())
    sealed = [bytes(v) for _t, column, v in values if column.startswith("sealed_") and v is not None]
    sealed.append(bundle[4 + 64 :])
    assert len(sealed) == 2 * 2 + 3 + 2 + 1  # identities and contents, files, additions, the bundle
    views = {bytes(v.petition.reporter_public): bytes(v.sealed) for v in ReporterView.objects.all()}
    assert len(views) == 2  # both came back: each with its status, the first with the reply
    public = base64.b64decode(settings.PETITION_PUBLIC_KEY)
    reporters = {bytes(p) for p in Petition.objects.values_list("reporter_public", flat=True)}
    assert len(reporters) == 2
    candidates = key_candidates(material)
    # The search reaches what is there: the node's own signing key (a 32-byte private key) is found.
    signing = base64.b64decode(Path(settings.BUNDLE_SIGNING_KEY_FILE).read_text())
    assert signing in candidates and len(candidates) > 100

    assert [origin for key, origin in candidates.items() if public_of(key) in {public, *reporters}] == []
    assert [
        origin for key, origin in candidates.items() for blob in [*sealed, *views.values()] if try_open(key, blob)
    ] == []
    secrets = with_codes(SECRETS, codes)
    assert [f"{origin}: {hit}" for origin, data in material for hit in found(data, secrets)] == []

    # Positive control: the internal private key, placed in the material in any of its usual forms, is
    # found by the same search and opens every value sealed to it, the reporter's identity among them;
    # the receipt code (which the node never keeps) opens that reporter's view, the reply in it.
    private = base64.b64decode((tmp_path / "internal.key").read_text().strip())
    pem = X25519PrivateKey.from_private_bytes(private).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    for form in (
        f"XUNCHA_PETITION_PRIVATE_KEY={base64.b64encode(private).decode()}".encode(),
        base64.urlsafe_b64encode(private).rstrip(b"="),
        private.hex().encode(),
        private,
        pem,
    ):
        keys = [key for key in key_candidates([*material, ("control", form)]) if public_of(key) == public]
        assert keys == [private], form
        opened = [try_open(keys[0], blob) for blob in sealed]
        assert None not in opened
        assert {k: FIRST[k] for k in ("name", "phone", "unit", "address")} in opened
    own = reporter_key(codes[0]).private_bytes_raw()
    assert REPLY in json.dumps(try_open(own, views[public_of(own)]), ensure_ascii=False)
