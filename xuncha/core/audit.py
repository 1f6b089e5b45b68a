"""The tamper-evident audit chain: append events, verify the chain.

Each event's hash covers its own content and the previous event's hash, so changing,
deleting or reordering any stored row breaks every link after it; `audit_verify` names
the first broken one. A rewrite of the whole chain from some row on is caught by the signed
checkpoints kept outside the database (xuncha.core.anchor, docs/adr/0013).
"""

import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from xuncha.core.actors import Actor, SystemActor, account_of
from xuncha.core.clients import client_address
from xuncha.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    occurred = event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    payload = {
        "seq": event.seq,
        "occurred_at": occurred,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "committee_id": event.committee_id,
        "summary": event.summary,
        "data": event.data,
        "ip_address": event.ip_address,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(event: AuditEvent) -> str:
    """The SHA-256 of an event's canonical content (which includes the previous hash)."""
    return hashlib.sha256(_canonical(event)).hexdigest()


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None  # a forged X-Forwarded-For entry is no address
    return address


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: Actor | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    committee_id: int | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event to the chain (inside the caller's transaction, if any)."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    label = str(actor) if isinstance(actor, SystemActor) or getattr(actor, "is_authenticated", False) else ""
    person = account_of(actor) if getattr(actor, "is_authenticated", False) else None
    AuditChainHead.objects.get_or_create(id=1)
    head = AuditChainHead.objects.select_for_update().get(id=1)
    event = AuditEvent(
        seq=head.last_seq + 1,
        occurred_at=timezone.now(),
        actor=person,
        actor_label=label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        committee_id=committee_id,
        summary=summary[:300],
        data=data or {},
        ip_address=_client_ip(request),
        prev_hash=head.last_hash,
    )
    # Round through JSON so the stored value hashes the same after a database read.
    event.data = json.loads(json.dumps(event.data, ensure_ascii=False))
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    transaction.on_commit(_schedule_checkpoint)
    return event


def _schedule_checkpoint() -> None:
    # Imported here: the anchor module builds on this one.
    from xuncha.core.anchor import schedule_checkpoint

    schedule_checkpoint()


@dataclass(frozen=True)
class ChainBreak:
    """The first place where the stored chain no longer matches itself."""

    seq: int
    reason: str


def _events_in_order() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def audit_verify() -> tuple[int, ChainBreak | None]:
    """Walk the chain from the start; return the events checked and the first break, if any."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in _events_in_order():
        if event.seq != expected_seq:
            return checked, ChainBreak(expected_seq, f"缺少第 {expected_seq} 条记录（可能被删除）")
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(event.seq, "前序哈希与上一条记录不一致")
        if event_hash(event) != event.hash:
            return checked, ChainBreak(event.seq, "记录内容与其哈希不一致（内容被修改）")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return checked, ChainBreak(checked + 1, "链尾与记录不一致（末尾记录可能被删除）")
    return checked, None
