"""The return channel: announcements out to the intake node, and what a reporter may read.

On a closed network the intake node sends petitions in (bundles.py) and learns nothing back, so a
reporter checking their receipt code there would only ever read "received". Where the deployment
allows a ferry the other way, the internal side exports, for each petition that came from the node
and changed since the last export, the reporter's view — the public status and the dialogue (the
team's replies and the reporter's own additions, never internal notes) — sealed to the reporter's
own key (receipts.reporter_key, derived from the receipt code). The node stores the views and opens
one only when the code's holder types the code in: it can read none of them itself.

The same file publishes the announcements changed since the last one, with the few public facts
their pages hang on (publication.py), so the node never needs planning of its own. Both are public
information or sealed for one reporter; a strictly one-way deployment sets the node up by hand and
shows reporters only "received".

File: b"XCR1" + Ed25519 signature (the internal side's reply key) + JSON {seq, created_at, publish,
views: [{ref, view, made_at}]}. Each view and each copy is whole, so a lost or repeated file does no
harm: the node keeps the newest view of each petition, and the next export brings all that changed.
"""

import base64
import binascii
import json
from datetime import datetime
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
from xuncha.petitions.publication import announcements_changed, publication_apply, published_rows
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


def _last() -> datetime | None:
    return ReplyExport.objects.order_by("-seq").values_list("created_at", flat=True).first()


def _changed() -> QuerySet[Petition]:
    """Petitions from the intake node whose view changed since the last return bundle."""
    last = _last()
    qs = Petition.objects.filter(intake_ref__isnull=False, reporter_public__isnull=False)
    if last is None:
        return qs
    newer = PetitionMessage.objects.filter(petition=OuterRef("pk"), created_at__gt=last)
    return qs.filter(Q(updated_at__gt=last) | Exists(newer))


def reply_pending() -> tuple[int, int]:
    """(announcements, petitions) the next return bundle would carry."""
    return announcements_changed(_last()).count(), _changed().count()


@transaction.atomic
def reply_export(*, actor: Any = None) -> tuple[bytes, ReplyExport]:
    """On the internal side: the views changed since the last export, as the next numbered return bundle."""
    last = ReplyExport.objects.select_for_update().order_by("-seq").first()
    petitions = list(_changed().prefetch_related("messages"))
    publish = published_rows(announcements_changed(last.created_at if last else None))
    if not petitions and not publish["announcements"]:
        raise ValidationError("没有需要回传的公告、答复或状态变化。")
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
        announcements=len(publish["announcements"]),
    )
    body = json.dumps({"seq": record.seq, "created_at": now.isoformat(), "publish": publish, "views": views})
    key = signing_key(settings.REPLY_SIGNING_KEY_FILE, "未配置答复回传签名私钥（XUNCHA_REPLY_SIGNING_KEY_FILE）。")
    audit_record(
        actor=actor,
        action="petitions.reply_export",
        object_type="petitions.reply_bundle",
        object_id=str(record.seq),
        summary=f"导出回传数据包第 {record.seq} 号（公告 {record.announcements} 份、信访件 {record.petitions} 件）",
    )
    data = body.encode()
    return MAGIC + key.sign(data) + data, record


def reply_import(data: bytes, *, actor: Any = None) -> tuple[int, int, int]:
    """On the intake node: publish the announcements and keep the newest view of each petition;
    (announcements, views applied, seq). Nothing is written if the file is refused."""
    body, _ = verified(
        data, MAGIC, settings.REPLY_VERIFY_KEY, "未配置内网答复回传的签名公钥（XUNCHA_REPLY_VERIFY_KEY）。"
    )
    try:
        payload = json.loads(body)
        seq = int(payload["seq"])
        views = [(v["ref"], base64.b64decode(v["view"]), parse_datetime(v["made_at"])) for v in payload["views"]]
        publish = payload.get("publish") or {}
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise ValidationError("答复数据包内容格式不正确，已拒绝导入。") from exc
    applied = 0
    with transaction.atomic():
        published = publication_apply(publish)
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
            summary=f"导入回传数据包第 {seq} 号（公告 {published} 份、更新信访件 {applied} 件）",
        )
    return published, applied, seq


def reporter_view_open(petition: Petition, code: str) -> dict[str, Any] | None:
    """On the intake node: the view sent back for this petition, opened with the reporter's code."""
    view = ReporterView.objects.filter(petition=petition).first()
    if view is None:
        return None
    try:
        return open_with(reporter_key(code), view.sealed, PURPOSE)
    except (InvalidTag, ValueError):
        return None
