"""Rotation of the internal petition key (docs/adr/0009): where each sealed value stands, and the rewrap.

Every column sealed to the internal key is a `SealedField`, found through the model registry (`rotated_columns()`).
`ReporterView.sealed` is not among them: it is sealed to a reporter's own key, which this side never
holds. The status reads only each value's first bytes (its version and key id), in the database; the
rewrap opens each value sealed to a retired key (or in version 1, naming none), seals the same bytes
to the current key and writes them back, batch by batch, each batch one transaction with one audit
event of counts. A value already sealed to the current key is left as it is, so a second run changes
nothing. No plaintext leaves `sealing.reseal`; nothing is logged but counts.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.core.audit import audit_record
from xuncha.core.sealed_fields import sealed_columns
from xuncha.core.sealing import (
    KEY_ID_SIZE,
    VERSION,
    VERSION_2,
    SealingUnavailable,
    can_open,
    current_key_id,
    reseal,
)
from xuncha.petitions.intake.attachments import reseal_whole_files
from xuncha.petitions.models import Attachment, PetitionSignature
from xuncha.petitions.triage import dedup
from xuncha.petitions.triage.categories import hasher

BATCH_SIZE = 100
# Files may be large (videos): fewer rows at a time, so a batch holds a bounded amount in memory.
ATTACHMENT_BATCH_SIZE = 10


@dataclass(frozen=True)
class SealedColumn:
    model: type[models.Model]
    field: str
    purpose: str
    label: str


def rotated_columns() -> tuple[SealedColumn, ...]:
    """Every column sealed to the internal key, found through the model registry (core.sealed_fields):
    a sealed column added by any app is rewrapped without being listed here."""
    return tuple(SealedColumn(model, f.name, f.purpose, str(f.verbose_name)) for model, f in sealed_columns())


def _table(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


def _head(name: str, start: int, length: int) -> Substr:
    return Substr(name, start, length, output_field=models.BinaryField())


@dataclass
class ColumnStatus:
    """How many values of one column are sealed to which key: by key id (hex), in version 1 (no key
    named), or in a form this code does not know."""

    column: SealedColumn
    by_key: dict[str, int] = field(default_factory=dict)
    unnamed: int = 0
    unknown: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_key.values()) + self.unnamed + self.unknown


def key_status() -> list[ColumnStatus]:
    """Counts per column and key id, read from the values' first bytes (nothing is decrypted)."""
    out = []
    for column in rotated_columns():
        present = column.model._default_manager.filter(**{f"{column.field}__isnull": False}).order_by()
        versions = present.annotate(v=_head(column.field, 1, 1))
        status = ColumnStatus(column)
        for version, n in versions.values_list("v").annotate(n=Count("pk")):
            if bytes(version) == VERSION:
                status.unnamed = n
            elif bytes(version) != VERSION_2:
                status.unknown += n
        named = versions.filter(v=VERSION_2).annotate(kid=_head(column.field, 2, KEY_ID_SIZE))
        for kid, n in named.values_list("kid").annotate(n=Count("pk")):
            status.by_key[bytes(kid).hex()] = n
        out.append(status)
    return out


@dataclass
class RewrapResult:
    """What a rewrap did: values re-sealed and values it could not open, per column label; batches."""

    key_id: str
    rewrapped: Counter[str] = field(default_factory=Counter)
    unreadable: Counter[str] = field(default_factory=Counter)
    batches: int = 0

    def as_counts(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "rewrapped": dict(self.rewrapped),
            "unreadable": dict(self.unreadable),
            "batches": self.batches,
        }


def _stale(columns: list[SealedColumn], prefix: bytes) -> Q:
    """Rows with at least one value not sealed to the current key (`h_<field>` annotated)."""
    q = Q()
    for column in columns:
        q |= Q(**{f"{column.field}__isnull": False}) & ~Q(**{f"h_{column.field}": prefix})
    return q


def rewrap(*, actor: Actor, batch_size: int = BATCH_SIZE) -> RewrapResult:
    """Re-seal to the current key every value sealed to a retired key or naming none (version 1).

    Rows are visited in key order, each batch locked and rewritten in its own transaction, so a run that
    stops part way keeps what it did and the next one continues. Values no key of the ring opens are
    counted as unreadable and left untouched."""
    require_actor(actor)
    if not is_system(actor):
        raise PermissionDenied("重新封装密文只能由管理命令执行（petition_keys rewrap）。")
    if not can_open():
        raise SealingUnavailable("本节点不持有解密密钥，无法重新封装信访密文。")
    kid = current_key_id()
    prefix = VERSION_2 + kid
    result = RewrapResult(kid.hex())
    by_model: dict[type[models.Model], list[SealedColumn]] = {}
    for column in rotated_columns():
        by_model.setdefault(column.model, []).append(column)
    for model, columns in by_model.items():
        size = max(1, min(batch_size, ATTACHMENT_BATCH_SIZE) if model is Attachment else batch_size)
        heads = {f"h_{c.field}": _head(c.field, 1, 1 + KEY_ID_SIZE) for c in columns}
        stale = model._default_manager.annotate(**heads).filter(_stale(columns, prefix)).order_by("pk")
        last: Any = None
        written = 0  # batches of this table that changed something: numbered in the audit trail
        while True:
            pending = stale if last is None else stale.filter(pk__gt=last)
            pks = list(pending.values_list("pk", flat=True)[:size])
            if not pks:
                break
            last = pks[-1]
            if _rewrap_batch(model, columns, pks, written + 1, result, actor):
                written += 1
                result.batches += 1
    whole = reseal_whole_files()
    if whole:
        result.rewrapped["附件（整件改为分块加密）"] += whole
    return result


@transaction.atomic
def _rewrap_batch(
    model: type[models.Model],
    columns: list[SealedColumn],
    pks: list[Any],
    number: int,
    result: RewrapResult,
    actor: Actor,
) -> bool:
    done: Counter[str] = Counter()
    fields = [c.field for c in columns]
    rows = model._default_manager.select_for_update().filter(pk__in=pks).only("pk", *fields).order_by("pk")
    for row in rows:
        changes: dict[str, bytes] = {}
        for column in columns:
            blob = getattr(row, column.field)
            if blob is None:
                continue
            try:
                fresh = reseal(blob, column.purpose)
            except (InvalidTag, ValueError):  # sealed to a key no longer held, or damaged: left as it is
                result.unreadable[column.label] += 1
                continue
            if fresh is not None:
                changes[column.field] = fresh
                done[column.label] += 1
        if changes:
            # update(): the row's other fields and its updated_at stay as they were.
            model._default_manager.filter(pk=row.pk).update(**changes)
    if not done:
        return False
    result.rewrapped.update(done)
    counts = "、".join(f"{label} {n} 个" for label, n in done.items())
    audit_record(
        actor=actor,
        action="petitions.keys_rewrap",
        object_type="petitions.keyring",
        object_id=result.key_id,
        summary=f"信访密文换钥：{_table(model)}第 {number} 批重新封装至当前密钥（{counts}）",
        data={"table": model._meta.label_lower, "batch": number, "counts": dict(done), "key_id": result.key_id},
    )
    return True


def feature_key_check(sample: int = 3) -> tuple[int, int]:
    """(checked, matching): the newest stored duplicate signatures computed again with the feature key in
    use. A mismatch means the feature key changed (a key removed while the features were derived from
    it): every stored signature, band and learned count has silently stopped matching."""
    checked = matching = 0
    newest = PetitionSignature.objects.select_related("petition").only("minhash", "petition__sealed_content")
    for stored in newest.order_by("-petition_id")[:sample]:
        try:
            content = stored.petition.sealed_content.open()
        except (InvalidTag, ValueError):  # counted by the status as a value no key opens
            continue
        signature = hasher().signature(dedup.shingles(content.get("what", "")))
        checked += 1
        matching += signature.tobytes() == bytes(stored.minhash)
    return checked, matching
