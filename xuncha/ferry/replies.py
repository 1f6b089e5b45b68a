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
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.sealing import seal_to
from xuncha.ferry.bundles import signing_key, verified
from xuncha.ferry.models import ReplyExport, ReplyImport
from xuncha.ferry.permissions import bundle_move_check
from xuncha.ferry.publication import announcements_changed, publication_apply, published_rows
from xuncha.petitions.choices import public_status
from xuncha.petitions.intake.receipts import REPORTER_VIEW_PURPOSE as PURPOSE
from xuncha.petitions.models import Petition, PetitionMessage, ReporterView

MAGIC = b"XCR1"


def reporter_snapshot(petition: Petition) -> dict[str, Any]:
    """What the reporter may read: the public status and the dialogue, oldest first."""
    return {
        "status": public_status(petition.status, petition.disposition),
        "messages": [
            {
                "from_reporter": m.from_reporter,
                "at": m.created_at.isoformat(),
                "text": m.sealed_body.open(),
                "ref": m.intake_ref or "",
            }
            for m in petition.messages.all()
        ],
    }


# Each export also covers this much before the last one, so a change committed while it ran (or by a
# transaction that committed late) is sent again rather than never: views and copies are whole.
OVERLAP = timedelta(minutes=10)


def _since(last: ReplyExport | None, full: bool = False, overlap: timedelta = OVERLAP) -> datetime | None:
    return None if full or last is None else last.created_at - overlap


def _changed(since: datetime | None) -> QuerySet[Petition]:
    """Petitions from the intake node whose view changed since `since` (all of them when None)."""
    qs = Petition.objects.filter(intake_ref__isnull=False, reporter_public__isnull=False)
    if since is None:
        return qs
    newer = PetitionMessage.objects.filter(petition=OuterRef("pk"), created_at__gt=since)
    return qs.filter(Q(updated_at__gt=since) | Exists(newer))


def reply_pending() -> tuple[int, int]:
    """(announcements, petitions) the next return bundle would carry."""
    since = _since(ReplyExport.objects.order_by("-seq").first(), overlap=timedelta(0))
    return announcements_changed(since).count(), _changed(since).count()


@transaction.atomic
def reply_export(*, actor: Actor, full: bool = False, views: bool = True) -> tuple[bytes, ReplyExport]:
    """On the internal side: the next numbered return bundle — the announcements and reporters' views
    changed since the last one, or with `full` all of them (after a file was lost); `views=False`
    publishes announcements only (a site that carries no reporter's view outward)."""
    bundle_move_check(actor)
    now = timezone.now()  # before reading: what changes from here on goes in the next export
    last = ReplyExport.objects.select_for_update().order_by("-seq").first()
    if not full and reply_pending() == (0, 0):
        raise ValidationError("没有需要回传的公告、答复或状态变化。")
    since = _since(last, full)
    petitions = list(_changed(since).prefetch_related("messages")) if views else []
    publish = published_rows(announcements_changed(since))
    if not petitions and not publish["announcements"]:
        raise ValidationError("没有需要回传的公告、答复或状态变化。")
    sealed = [
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
        exported_by=account_of(actor),
        petitions=len(sealed),
        announcements=len(publish["announcements"]),
    )
    body = json.dumps({"seq": record.seq, "created_at": now.isoformat(), "publish": publish, "views": sealed})
    key = signing_key(settings.REPLY_SIGNING_KEY_FILE, "未配置答复回传签名私钥（XUNCHA_REPLY_SIGNING_KEY_FILE）。")
    audit_record(
        actor=actor,
        action="petitions.reply_export",
        object_type="petitions.reply_bundle",
        object_id=str(record.seq),
        summary=f"导出回传数据包第 {record.seq} 号（公告 {record.announcements} 份、信访件 {record.petitions} 件"
        f"{'，全部重发' if full else ''}）",
    )
    data = body.encode()
    return MAGIC + key.sign(data) + data, record


def reply_import(data: bytes, *, actor: Actor) -> tuple[int, int, int]:
    """On the intake node: publish the announcements (unless a later file already did) and keep the
    newest view of each petition; (announcements, views applied, seq). Nothing is written if the file
    is refused."""
    bundle_move_check(actor)
    body, _ = verified(
        data, MAGIC, settings.REPLY_VERIFY_KEY, "未配置内网答复回传的签名公钥（XUNCHA_REPLY_VERIFY_KEY）。"
    )
    try:
        payload = json.loads(body)
        seq, made = int(payload["seq"]), parse_datetime(payload["created_at"])
        views = [(v["ref"], base64.b64decode(v["view"]), parse_datetime(v["made_at"])) for v in payload["views"]]
        publish = payload.get("publish") or {}
        assert made is not None
    except (ValueError, KeyError, TypeError, AssertionError, binascii.Error) as exc:
        raise ValidationError("答复数据包内容格式不正确，已拒绝导入。") from exc
    with transaction.atomic():
        newest = ReplyImport.objects.order_by("-made_at").values_list("made_at", flat=True).first()
        # An older file arriving late must not put back the hotline or dates a later one changed.
        published = publication_apply(publish) if newest is None or made > newest else 0
        applied = _apply_views(views)
        ReplyImport.objects.create(seq=seq, made_at=made, announcements=published, views=applied)
        audit_record(
            actor=actor,
            action="petitions.reply_import",
            object_type="petitions.reply_bundle",
            object_id=str(seq),
            summary=f"导入回传数据包第 {seq} 号（公告 {published} 份、更新信访件 {applied} 件）",
        )
    return published, applied, seq


def _apply_views(views: list[tuple[str, bytes, datetime | None]]) -> int:
    """Keep each petition's newest view: an older or repeated one changes nothing."""
    by_ref = {p.intake_ref: p for p in Petition.objects.filter(intake_ref__in=[ref for ref, _, _ in views])}
    held = {v.petition_id: v for v in ReporterView.objects.filter(petition__in=list(by_ref.values()))}
    fresh, renewed = [], []
    for ref, sealed, made_at in views:
        petition = by_ref.get(ref)
        if petition is None or made_at is None:
            continue
        view = held.get(petition.pk)
        if view is None:
            fresh.append(ReporterView(petition=petition, sealed=sealed, made_at=made_at))
        elif view.made_at < made_at:
            view.sealed, view.made_at = sealed, made_at
            renewed.append(view)
    ReporterView.objects.bulk_create(fresh)
    ReporterView.objects.bulk_update(renewed, ["sealed", "made_at"])
    return len(fresh) + len(renewed)
