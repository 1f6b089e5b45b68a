"""The one-way transfer used on closed networks: the intake node exports signed, encrypted bundles;
the internal system imports each exactly once.

Bundle file: b"XCB1" + Ed25519 signature (64 bytes) + sealed payload. The payload (sealed to the
internal public key, purpose "bundle") is JSON: bundle id, the node's sequence number, time, and the petitions with their
already-sealed identity and content, the reporters' additions (including those made after their
petition was exported) and the attachments, each with its own transfer reference. The signature
covers the sealed payload, so a changed byte is refused before anything is decrypted; an import that
fails writes nothing, a bundle already imported is recognised by its id and skipped, and a part
already imported (by reference) is never added twice. Bundles import in the order they were made: an
addition whose petition has not arrived yet is refused with the whole bundle. The internal side
names the numbers it has not seen below the highest imported, and the intake node can make any
numbered bundle again from the rows marked with its id (re-export), so a lost file is never lost data.

Nothing goes back this way; where a ferry the other way is allowed, the return bundle (replies.py)
brings announcements and reporters' views to the node.
"""

import base64
import binascii
import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.sealed_fields import sealed_field
from xuncha.core.sealed_files import open_file, store_bytes, stored_bytes
from xuncha.core.sealed_files import storage as sealed_storage
from xuncha.core.sealing import SealingUnavailable, open_sealed, seal
from xuncha.ferry.models import ExportedBundle, ImportedBundle
from xuncha.ferry.permissions import bundle_move_check
from xuncha.fieldwork.models import Announcement, SurveyResponse
from xuncha.petitions.decisions.clocks import clock_params, deadlines
from xuncha.petitions.intake.attachments import FOLDER as ATTACHMENT_FOLDER
from xuncha.petitions.models import Attachment, Petition, PetitionMessage
from xuncha.petitions.triage.categories import index_petition

MAGIC = b"XCB1"


def generate_signing_pair() -> tuple[str, str]:
    """(private, public) Ed25519 keys as base64, for the intake node and the internal side."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(private).decode(), base64.b64encode(public).decode()


def signing_key(path: str, missing: str) -> Ed25519PrivateKey:
    """An Ed25519 signing key from its file (base64), or a refusal saying which setting is missing."""
    if not path:
        raise ValidationError(missing)
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(Path(path).read_text().strip()))


def verified(
    data: bytes,
    magic: bytes,
    verify_b64: str,
    missing: str,
    foreign: str = "不是本系统导出的数据包，或数据包类型不对。",
) -> tuple[bytes, str]:
    """The signed body of a file made as `magic` + signature + body, and the signer's fingerprint; a
    changed byte, another signer or another kind of file is refused before anything is read."""
    if data[:4] != magic or len(data) < 4 + 64 + 2:
        raise ValidationError(foreign)
    if not verify_b64:
        raise ValidationError(missing)
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(verify_b64))
    signature, body = data[4:68], data[68:]
    try:
        key.verify(signature, body)
    except InvalidSignature as exc:
        raise ValidationError("数据包签名验证失败：文件可能被篡改或来源不明，已拒绝导入。") from exc
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return body, hashlib.sha256(raw).hexdigest()


def _signing_key() -> Ed25519PrivateKey:
    return signing_key(settings.BUNDLE_SIGNING_KEY_FILE, "未配置数据包签名私钥（XUNCHA_BUNDLE_SIGNING_KEY_FILE）。")


def _b64(value: bytes | memoryview | None) -> str | None:
    return base64.b64encode(bytes(value)).decode() if value is not None else None


@dataclass(frozen=True)
class Transfer:
    """What a bundle carried, or what its import added (all zero when it had been imported before)."""

    bundle: str
    petitions: int
    additions: int
    attachments: int
    seq: int | None = None
    surveys: int = 0

    @property
    def total(self) -> int:
        return self.petitions + self.additions + self.attachments + self.surveys

    def counts(self) -> str:
        sheets = f"、测评表 {self.surveys} 份" if self.surveys else ""
        return f"信访件 {self.petitions} 件、补充材料 {self.additions} 条、附件 {self.attachments} 个{sheets}"


# Only parts whose petition has left (earlier, or marked by the export running now): a report committed
# while an export runs goes with its files and additions in the next bundle.
def _unsent_additions() -> QuerySet[PetitionMessage]:
    return PetitionMessage.objects.filter(
        from_reporter=True, exported_in="", petition__intake_ref__isnull=False
    ).exclude(petition__exported_in="")


def _unsent_attachments() -> QuerySet[Attachment]:
    return Attachment.objects.filter(exported_in="", petition__intake_ref__isnull=False).exclude(
        petition__exported_in=""
    )


def bundle_pending() -> Transfer:
    """What the next export would carry (counted; new petitions bring their own parts along)."""
    new = Petition.objects.filter(exported_in="")
    return Transfer(
        "",
        new.count(),
        _unsent_additions().count() + PetitionMessage.objects.filter(from_reporter=True, petition__in=new).count(),
        _unsent_attachments().count() + Attachment.objects.filter(petition__in=new).count(),
        surveys=SurveyResponse.objects.filter(exported_in="").count(),
    )


@transaction.atomic
def bundle_export(*, actor: Actor) -> tuple[bytes, Transfer]:
    """On the intake node: everything not yet exported — new petitions, reporters' additions (also to
    petitions sent earlier) and attachments — as the next numbered, signed bundle; what it carries is
    marked with the bundle's id."""
    bundle_move_check(actor)
    bundle_id = str(uuid.uuid4())
    petitions = list(Petition.objects.filter(exported_in="").select_for_update(of=("self",)).only("pk", "intake_ref"))
    _mark(Petition, petitions, bundle_id)
    messages = list(_unsent_additions().select_for_update(of=("self",)).only("pk", "intake_ref"))
    files = list(_unsent_attachments().select_for_update(of=("self",)).only("pk", "intake_ref"))
    sheets = list(SurveyResponse.objects.filter(exported_in="").select_for_update().only("pk", "intake_ref"))
    for model, parts in ((PetitionMessage, messages), (Attachment, files), (SurveyResponse, sheets)):
        _mark(model, parts, bundle_id)
    if not (petitions or messages or files or sheets):
        raise ValidationError("没有待导出的内容。")
    last = ExportedBundle.objects.select_for_update().order_by("-seq").values_list("seq", flat=True).first()
    record = ExportedBundle.objects.create(
        bundle_id=bundle_id,
        seq=(last or 0) + 1,
        created_at=timezone.now(),
        exported_by=account_of(actor),
        petitions=len(petitions),
        additions=len(messages),
        attachments=len(files),
        surveys=len(sheets),
    )
    transfer = record_transfer(record)
    audit_record(
        actor=actor,
        action="petitions.bundle_export",
        object_type="petitions.bundle",
        object_id=bundle_id,
        summary=f"导出受理节点数据包第 {record.seq} 号（{transfer.counts()}）",
    )
    return _pack(record), transfer


def _mark(model: Any, rows: list[Any], bundle_id: str) -> None:
    """Give rows without a transfer reference one, and mark them all as sent in `bundle_id`."""
    fresh = [row for row in rows if not row.intake_ref]
    for row in fresh:
        row.intake_ref = str(uuid.uuid4())
    model.objects.bulk_update(fresh, ["intake_ref"])
    model.objects.filter(pk__in=[row.pk for row in rows]).update(exported_in=bundle_id)


@transaction.atomic
def bundle_reexport(*, seq: int, actor: Actor) -> tuple[bytes, ExportedBundle]:
    """Make bundle number `seq` again from what it carried (its file was lost): the same bundle id and
    contents, so an import that already has it adds nothing."""
    bundle_move_check(actor)
    record = ExportedBundle.objects.select_for_update().filter(seq=seq).first()
    if record is None:
        raise ValidationError(f"没有第 {seq} 号数据包的导出记录。")
    record.reexported += 1
    record.save(update_fields=["reexported"])
    audit_record(
        actor=actor,
        action="petitions.bundle_reexport",
        object_type="petitions.bundle",
        object_id=record.bundle_id,
        summary=f"重新导出受理节点数据包第 {record.seq} 号（{record_transfer(record).counts()}）",
    )
    return _pack(record), record


def record_transfer(record: ExportedBundle) -> Transfer:
    return Transfer(
        record.bundle_id, record.petitions, record.additions, record.attachments, record.seq, record.surveys
    )


def _pack(record: ExportedBundle) -> bytes:
    """The signed bundle file of an export, built from the rows marked with its id (export and
    re-export alike)."""
    mark = record.bundle_id
    items = [
        {
            "ref": p.intake_ref,
            "token": p.assignment.announcement.token,
            "channel": p.channel,
            "anonymous": p.anonymous,
            "receipt_hash": p.receipt_hash,
            "reporter_public": _b64(p.reporter_public),
            "identity": _b64(p.sealed_identity),
            "content": _b64(p.sealed_content),
            "received_at": p.received_at.isoformat(),
        }
        for p in Petition.objects.filter(exported_in=mark).select_related("assignment__announcement").order_by("pk")
    ]
    additions = [
        {
            "ref": m.intake_ref,
            "petition": m.petition.intake_ref,
            "body": _b64(m.sealed_body),
            "at": m.created_at.isoformat(),
        }
        for m in PetitionMessage.objects.filter(exported_in=mark, from_reporter=True)
        .select_related("petition")
        .order_by("pk")
    ]
    attachments = [
        {
            "ref": f.intake_ref,
            "petition": f.petition.intake_ref,
            "kind": f.kind,
            "extension": f.extension,
            "size": f.size,
            "data": _b64(stored_bytes(f.stored_name)),
            "key": _b64(f.sealed_key) if f.sealed_key is not None else None,
            "at": f.created_at.isoformat(),
        }
        for f in Attachment.objects.filter(exported_in=mark).select_related("petition").order_by("pk")
    ]
    surveys = [
        {"ref": r.intake_ref, "token": r.assignment.announcement.token, "answers": r.answers,
         "received_on": r.received_on.isoformat()}
        for r in SurveyResponse.objects.filter(exported_in=mark).select_related("assignment__announcement").order_by("pk")
    ]  # fmt: skip
    exports = list(ExportedBundle.objects.filter(seq__lte=record.seq).order_by("seq").values_list("seq", "bundle_id"))
    payload = {
        "bundle": mark,
        "seq": record.seq,
        # The node (named by its first bundle) and every bundle it has made up to this one.
        "node": exports[0][1],
        "manifest": exports,
        "created_at": record.created_at.isoformat(),
        "items": items,
        "additions": additions,
        "attachments": attachments,
        "surveys": surveys,
    }
    sealed = seal(payload, "bundle")
    return MAGIC + _signing_key().sign(sealed) + sealed


def _verified(data: bytes) -> tuple[dict[str, Any], str]:
    """The decrypted payload and the signer's fingerprint, or a refusal naming why."""
    sealed, fingerprint = verified(
        data,
        MAGIC,
        settings.BUNDLE_VERIFY_KEY,
        "未配置受理节点的签名公钥（XUNCHA_BUNDLE_VERIFY_KEY）。",
        "不是受理节点导出的数据包。",
    )
    return open_sealed(sealed, "bundle"), fingerprint


def bundle_import(data: bytes, *, actor: Actor) -> Transfer:
    """On the internal side: verify, decrypt and import once; nothing is written if any part is refused."""
    bundle_move_check(actor)
    try:
        payload, fingerprint = _verified(data)
    except (SealingUnavailable, InvalidTag, ValueError) as exc:
        raise ValidationError("数据包签名有效，但无法用本系统的密钥解密：请核对受理节点配置的加密公钥。") from exc
    try:
        return _import(payload, fingerprint, actor)
    except (KeyError, TypeError, binascii.Error) as exc:
        raise ValidationError("数据包内容格式不正确，已拒绝导入。") from exc
    except IntegrityError as exc:
        raise ValidationError("该数据包正在由他人导入，请稍后刷新查看。") from exc


def _numbered(payload: dict[str, Any]) -> str:
    return f"第 {payload['seq']} 号" if payload.get("seq") else ""


def bundles_missing() -> list[int]:
    """Numbers of bundles not imported yet although a later one from the same node was: their files
    were lost or skipped and should be made again on the intake node (re-export)."""
    by_node: dict[str, set[int]] = {}
    for node, signer, seq in ImportedBundle.objects.filter(seq__isnull=False).values_list("node", "signer", "seq"):
        by_node.setdefault(node or signer, set()).add(seq or 0)
    return sorted({n for seqs in by_node.values() for n in range(1, max(seqs)) if n not in seqs})


def _number_known(payload: dict[str, Any]) -> None:
    """Give the bundles this side imported before they were numbered their node's numbers (the node
    lists every bundle it made), so they are not taken for missing ones."""
    node, listed = payload.get("node", ""), {bundle_id: seq for seq, bundle_id in payload.get("manifest", [])}
    for row in ImportedBundle.objects.filter(bundle_id__in=list(listed), seq__isnull=True):
        ImportedBundle.objects.filter(pk=row.pk).update(seq=listed[row.bundle_id], node=node)


def _import(payload: dict[str, Any], fingerprint: str, actor: Actor) -> Transfer:
    bundle_id = payload["bundle"]
    with transaction.atomic():
        _number_known(payload)
        if ImportedBundle.objects.filter(bundle_id=bundle_id).exists():
            return Transfer(bundle_id, 0, 0, 0)
        known = _Lookups()
        petitions = sum(_import_petition(item, bundle_id, known) for item in payload["items"])
        additions = sum(_import_addition(item, bundle_id) for item in payload.get("additions", []))
        attachments = sum(_import_attachment(item, bundle_id) for item in payload.get("attachments", []))
        sheets = sum(_import_survey(item, bundle_id, known) for item in payload.get("surveys", []))
        transfer = Transfer(bundle_id, petitions, additions, attachments, payload.get("seq"), sheets)
        ImportedBundle.objects.create(
            bundle_id=bundle_id,
            seq=payload.get("seq"),
            node=payload.get("node", ""),
            items=transfer.total,
            signer=fingerprint,
        )
        audit_record(
            actor=actor,
            action="petitions.bundle_import",
            object_type="petitions.bundle",
            object_id=bundle_id,
            summary=f"导入受理节点数据包{_numbered(payload)}（{transfer.counts()}）",
        )
    return transfer


class _Lookups:
    """What an import reads again and again, read once: announcements by token, clock parameters."""

    def __init__(self) -> None:
        self.announcements: dict[str, Announcement] = {}
        self.params: dict[int, dict[str, int]] = {}

    def announcement(self, token: str) -> Announcement:
        if token not in self.announcements:
            found = Announcement.objects.select_related("assignment__round__committee").filter(token=token).first()
            if found is None:
                raise ValidationError("数据包中有无法对应的巡察公告，已拒绝导入。")
            self.announcements[token] = found
        return self.announcements[token]

    def clocks(self, announcement: Announcement) -> dict[str, int]:
        key = announcement.assignment.round.committee_id
        if key not in self.params:
            self.params[key] = clock_params(announcement.assignment)
        return self.params[key]


def _import_survey(item: dict[str, Any], bundle_id: str, known: _Lookups) -> bool:
    if SurveyResponse.objects.filter(intake_ref=item["ref"]).exists():
        return False
    answers = item["answers"]
    if not isinstance(answers, dict):
        raise TypeError("answers")
    SurveyResponse.objects.create(
        assignment=known.announcement(item["token"]).assignment,
        answers=answers,
        received_on=date.fromisoformat(item["received_on"]),
        intake_ref=item["ref"],
        exported_in=bundle_id,
    )
    return True


def _import_petition(item: dict[str, Any], bundle_id: str, known: _Lookups) -> bool:
    if Petition.objects.filter(intake_ref=item["ref"]).exists():
        return False
    announcement = known.announcement(item["token"])
    received_at = parse_datetime(item["received_at"])
    assert received_at is not None
    petition = Petition.objects.create(
        assignment=announcement.assignment,
        channel=item["channel"],
        anonymous=item["anonymous"],
        receipt_hash=item["receipt_hash"],
        reporter_public=base64.b64decode(item["reporter_public"]) if item.get("reporter_public") else None,
        sealed_identity=base64.b64decode(item["identity"]) if item["identity"] else None,
        sealed_content=base64.b64decode(item["content"]),
        received_at=received_at,
        intake_ref=item["ref"],
        exported_in=bundle_id,
        **deadlines(announcement.assignment, received_at, not item["anonymous"], known.clocks(announcement)),
    )
    for message in item.get("messages", []):  # bundles made before additions travelled on their own
        PetitionMessage.objects.create(
            petition=petition, from_reporter=True, sealed_body=base64.b64decode(message["body"]), exported_in=bundle_id
        )
    index_petition(petition, petition.sealed_content.open())
    return True


def _owner(item: dict[str, Any]) -> Petition:
    if not item.get("petition"):
        raise ValidationError("数据包中有不属于任何信访件的补充材料或附件，已拒绝导入。")
    petition = Petition.objects.filter(intake_ref=item["petition"]).first()
    if petition is None:
        raise ValidationError("数据包中的补充材料或附件所属的信访件尚未导入：请按导出的先后顺序导入数据包。")
    return petition


def _import_addition(item: dict[str, Any], bundle_id: str) -> bool:
    if PetitionMessage.objects.filter(intake_ref=item["ref"]).exists():
        return False
    message = PetitionMessage.objects.create(
        petition=_owner(item),
        from_reporter=True,
        sealed_body=base64.b64decode(item["body"]),
        intake_ref=item["ref"],
        exported_in=bundle_id,
    )
    PetitionMessage.objects.filter(pk=message.pk).update(created_at=parse_datetime(item["at"]))
    return True


def _import_attachment(item: dict[str, Any], bundle_id: str) -> bool:
    if Attachment.objects.filter(intake_ref=item["ref"]).exists():
        return False
    key = base64.b64decode(item["key"]) if item.get("key") else None
    name, digest = store_bytes(base64.b64decode(item["data"]), folder=ATTACHMENT_FOLDER)
    try:  # refuse a file this side cannot open before anything is recorded
        opened = open_file(
            name, sealed_field(Attachment, "sealed_key").open(key) if key else None, purpose="attachment"
        )
        for _chunk in opened:
            pass
    except Exception:
        sealed_storage().delete(name)
        raise
    attachment = Attachment.objects.create(
        petition=_owner(item),
        kind=item["kind"],
        extension=item["extension"],
        size=item["size"],
        stored_name=name,
        digest=digest,
        sealed_key=key,
        intake_ref=item["ref"],
        exported_in=bundle_id,
    )
    Attachment.objects.filter(pk=attachment.pk).update(created_at=parse_datetime(item["at"]))
    return True
