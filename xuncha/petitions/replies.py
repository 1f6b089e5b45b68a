"""The optional return channel: what a reporter may read goes back to the intake node.

On a closed network the intake node sends petitions in (bundles.py) and learns nothing back, so a
reporter checking their receipt code there would only ever read "received". Where the deployment
allows a ferry the other way, the internal side exports, for each petition that came from the node
and changed since the last export, the reporter's view — the public status and the dialogue (the
team's replies and the reporter's own additions, never internal notes) — sealed to the reporter's
own key (receipts.reporter_key, derived from the receipt code). The node stores the views and opens
one only when the code's holder types the code in: it can read none of them itself.

File: b"XCR1" + Ed25519 signature (the internal side's reply key) + JSON {seq, created_at, views:
[{ref, view, made_at}]}. Each view is a whole snapshot, so a lost or repeated file does no harm: the
node keeps the newest view of each petition, and the next export brings everything that changed.
"""

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xuncha.core.audit import audit_record
from xuncha.petitions.bundles import signing_key, verified
from xuncha.petitions.choices import PUBLIC_STATUS, PetitionStatus
from xuncha.petitions.models import Petition, PetitionMessage, ReplyExport, ReporterView
from xuncha.petitions.receipts import reporter_key
from xuncha.petitions.sealing import open_sealed, open_with, seal_to

MAGIC = b"XCR1"
PURPOSE = "reporter_view"


def reporter_snapshot(petition: Petition) -> dict[str, Any]:
    """What the reporter may read: the public status and the dialogue, oldest first."""
    return {
        "status": PUBLIC_STATUS[PetitionStatus(petition.status)],
        "messages": [
            {
                "from_reporter": m.from_reporter,
                "at": m.created_at.isoformat(),
                "text": open_sealed(m.sealed_body, "message"),
                "ref": m.intake_ref or "",
            }
            for m in petition.messages.all()
        ],
    }


def _changed() -> QuerySet[Petition]:
    """Petitions from the intake node whose view changed since the last return bundle."""
    last = ReplyExport.objects.order_by("-seq").values_list("created_at", flat=True).first()
    qs = Petition.objects.filter(intake_ref__isnull=False, reporter_public__isnull=False)
    if last is None:
        return qs
    newer = PetitionMessage.objects.filter(petition=OuterRef("pk"), created_at__gt=last)
    return qs.filter(Q(updated_at__gt=last) | Exists(newer))


def reply_pending() -> int:
    return _changed().count()


@transaction.atomic
def reply_export(*, actor: Any = None) -> tuple[bytes, ReplyExport]:
    """On the internal side: the views changed since the last export, as the next numbered return bundle."""
    last = ReplyExport.objects.select_for_update().order_by("-seq").first()
    petitions = list(_changed().prefetch_related("messages"))
    if not petitions:
        raise ValidationError("没有需要回传的答复或状态变化。")
    now = timezone.now()
    views = [
        {
            "ref": p.intake_ref,
            "view": base64.b64encode(
                seal_to(
                    X25519PublicKey.from_public_bytes(bytes(p.reporter_public or b"")), reporter_snapshot(p), PURPOSE
                )
            ).decode(),
            "made_at": now.isoformat(),
        }
        for p in petitions
    ]
    record = ReplyExport.objects.create(
        seq=(last.seq if last else 0) + 1,
        created_at=now,
        exported_by=actor if getattr(actor, "pk", None) else None,
        petitions=len(views),
    )
    body = json.dumps({"seq": record.seq, "created_at": now.isoformat(), "views": views}).encode()
    key = signing_key(settings.REPLY_SIGNING_KEY_FILE, "未配置答复回传签名私钥（XUNCHA_REPLY_SIGNING_KEY_FILE）。")
    audit_record(
        actor=actor,
        action="petitions.reply_export",
        object_type="petitions.reply_bundle",
        object_id=str(record.seq),
        summary=f"导出答复回传数据包第 {record.seq} 号（信访件 {record.petitions} 件）",
    )
    return MAGIC + key.sign(body) + body, record


def reply_import(data: bytes, *, actor: Any = None) -> tuple[int, int]:
    """On the intake node: keep the newest view of each petition; (views applied, seq). Nothing is written
    if the file is refused."""
    body, _ = verified(
        data, MAGIC, settings.REPLY_VERIFY_KEY, "未配置内网答复回传的签名公钥（XUNCHA_REPLY_VERIFY_KEY）。"
    )
    try:
        payload = json.loads(body)
        seq = int(payload["seq"])
        views = [(v["ref"], base64.b64decode(v["view"]), parse_datetime(v["made_at"])) for v in payload["views"]]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise ValidationError("答复数据包内容格式不正确，已拒绝导入。") from exc
    applied = 0
    with transaction.atomic():
        by_ref = {p.intake_ref: p for p in Petition.objects.filter(intake_ref__in=[ref for ref, _, _ in views])}
        for ref, sealed, made_at in views:
            petition = by_ref.get(ref)
            if petition is None or made_at is None:
                continue
            current = ReporterView.objects.filter(petition=petition).first()
            if current is not None and current.made_at >= made_at:
                continue  # an older or repeated file: the newer view stays
            ReporterView.objects.update_or_create(petition=petition, defaults={"sealed": sealed, "made_at": made_at})
            applied += 1
        audit_record(
            actor=actor,
            action="petitions.reply_import",
            object_type="petitions.reply_bundle",
            object_id=str(seq),
            summary=f"导入答复回传数据包第 {seq} 号（更新 {applied} 件）",
        )
    return applied, seq


def reporter_view_open(petition: Petition, code: str) -> dict[str, Any] | None:
    """On the intake node: the view sent back for this petition, opened with the reporter's code."""
    view = ReporterView.objects.filter(petition=petition).first()
    if view is None:
        return None
    try:
        return open_with(reporter_key(code), view.sealed, PURPOSE)
    except (InvalidTag, ValueError):
        return None
