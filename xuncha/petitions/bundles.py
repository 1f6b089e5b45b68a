"""The one-way transfer used on closed networks: the intake node exports signed, encrypted bundles;
the internal system imports each exactly once.

Bundle file: b"XCB1" + Ed25519 signature (64 bytes) + sealed payload. The payload (sealed to the
internal public key, purpose "bundle") is JSON: bundle id, time, and the petitions with their
already-sealed identity and content and the reporters' additions. The signature covers the sealed
payload, so a changed byte is refused before anything is decrypted; an import that fails writes
nothing, and a bundle already imported is recognised by its id and skipped.
"""

import base64
import hashlib
import uuid
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xuncha.core.audit import audit_record
from xuncha.petitions.models import Announcement, ImportedBundle, Petition, PetitionMessage
from xuncha.petitions.sealing import open_sealed, seal
from xuncha.petitions.triage import deadlines, index_petition

MAGIC = b"XCB1"


def generate_signing_pair() -> tuple[str, str]:
    """(private, public) Ed25519 keys as base64, for the intake node and the internal side."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(private).decode(), base64.b64encode(public).decode()


def _signing_key() -> Ed25519PrivateKey:
    if not settings.BUNDLE_SIGNING_KEY_FILE:
        raise ValidationError("未配置数据包签名私钥（XUNCHA_BUNDLE_SIGNING_KEY_FILE）。")
    raw = base64.b64decode(Path(settings.BUNDLE_SIGNING_KEY_FILE).read_text().strip())
    return Ed25519PrivateKey.from_private_bytes(raw)


def _verify_key() -> Ed25519PublicKey:
    if not settings.BUNDLE_VERIFY_KEY:
        raise ValidationError("未配置受理节点的签名公钥（XUNCHA_BUNDLE_VERIFY_KEY）。")
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(settings.BUNDLE_VERIFY_KEY))


def _b64(value: bytes | memoryview | None) -> str | None:
    return base64.b64encode(bytes(value)).decode() if value is not None else None


@transaction.atomic
def bundle_export() -> tuple[bytes, int]:
    """On the intake node: everything not yet exported, as one signed bundle (petitions are marked)."""
    bundle_id = str(uuid.uuid4())
    petitions = list(
        Petition.objects.filter(exported_in="")
        .select_related("assignment__announcement")
        .select_for_update(of=("self",))
    )
    items = []
    for p in petitions:
        ref = p.intake_ref or str(uuid.uuid4())
        items.append(
            {
                "ref": ref,
                "token": p.assignment.announcement.token,
                "channel": p.channel,
                "anonymous": p.anonymous,
                "receipt_hash": p.receipt_hash,
                "identity": _b64(p.sealed_identity),
                "content": _b64(p.sealed_content),
                "received_at": p.received_at.isoformat(),
                "messages": [
                    {"body": _b64(m.sealed_body), "at": m.created_at.isoformat()}
                    for m in p.messages.filter(from_reporter=True)
                ],
            }
        )
        Petition.objects.filter(pk=p.pk).update(intake_ref=ref, exported_in=bundle_id)
    payload = {"bundle": bundle_id, "created_at": timezone.now().isoformat(), "items": items}
    sealed = seal(payload, "bundle")
    return MAGIC + _signing_key().sign(sealed) + sealed, len(items)


def bundle_import(data: bytes) -> tuple[str, int]:
    """On the internal side: verify, decrypt and import once. Returns (bundle id, petitions added)."""
    if data[:4] != MAGIC or len(data) < 4 + 64 + 45:
        raise ValidationError("不是受理节点导出的数据包。")
    signature, sealed = data[4:68], data[68:]
    key = _verify_key()
    try:
        key.verify(signature, sealed)
    except InvalidSignature as exc:
        raise ValidationError("数据包签名验证失败：文件可能被篡改或并非来自受理节点，已拒绝导入。") from exc
    payload: dict[str, Any] = open_sealed(sealed, "bundle")
    fingerprint = hashlib.sha256(
        key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ).hexdigest()
    with transaction.atomic():
        if ImportedBundle.objects.filter(bundle_id=payload["bundle"]).exists():
            return payload["bundle"], 0
        added = 0
        for item in payload["items"]:
            if Petition.objects.filter(intake_ref=item["ref"]).exists():
                continue
            announcement = (
                Announcement.objects.select_related("assignment__round__committee").filter(token=item["token"]).first()
            )
            if announcement is None:
                raise ValidationError("数据包中有无法对应的巡察公告，已拒绝导入。")
            received_at = parse_datetime(item["received_at"])
            assert received_at is not None
            petition = Petition.objects.create(
                assignment=announcement.assignment,
                channel=item["channel"],
                anonymous=item["anonymous"],
                receipt_hash=item["receipt_hash"],
                sealed_identity=base64.b64decode(item["identity"]) if item["identity"] else None,
                sealed_content=base64.b64decode(item["content"]),
                received_at=received_at,
                intake_ref=item["ref"],
                exported_in=payload["bundle"],
                **deadlines(announcement.assignment, received_at, not item["anonymous"]),
            )
            for message in item["messages"]:
                PetitionMessage.objects.create(
                    petition=petition, from_reporter=True, sealed_body=base64.b64decode(message["body"])
                )
            index_petition(petition, open_sealed(petition.sealed_content, "content"))
            added += 1
        ImportedBundle.objects.create(bundle_id=payload["bundle"], items=added, signer=fingerprint)
        audit_record(
            action="petitions.bundle_import",
            object_type="petitions.bundle",
            object_id=payload["bundle"],
            summary=f"导入受理节点数据包（{added} 件）",
        )
    return payload["bundle"], added
