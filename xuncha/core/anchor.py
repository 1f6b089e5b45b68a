"""Anchoring the audit chain outside the database: signed checkpoints of its head (docs/adr/0013).

A checkpoint is one JSON line: the chain's sequence number and hash at that point, the time it was
taken, the id of the key that signed it and an Ed25519 signature over those. The private key lives in
a file (XUNCHA_AUDIT_ANCHOR_KEY_FILE), the checkpoints in a directory (XUNCHA_AUDIT_ANCHOR_DIR) that the
database's writers cannot reach: one file per checkpoint, created exclusively and never rewritten, so
the directory can be WORM storage. Each checkpoint is also logged on `xuncha.audit.anchor`, which
production may route to syslog or a remote collector; an extract of those lines dropped into a
directory verifies the same way (`audit_verify --anchor-dir`).

Before signing, the writer walks the chain from the newest checkpoint to the head, so a checkpoint
only ever vouches for a chain that still extends the one vouched for before.
"""

import base64
import binascii
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Max
from django.utils import timezone

from xuncha.core.audit import GENESIS_HASH, event_hash
from xuncha.core.models import AuditChainHead, AuditEvent

logger = logging.getLogger("xuncha.audit.anchor")

VERSION = 1
_DOMAIN = b"xuncha-audit-checkpoint"
_SUFFIX = ".json"


class AnchorRefused(Exception):
    """The chain no longer extends the newest checkpoint: nothing is signed over a rewritten chain."""


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement that the chain held `hash` at `seq` at time `at` (UTC, ISO 8601)."""

    seq: int
    hash: str
    at: str
    key_id: str
    signature: str
    source: str = field(default="", compare=False)

    def message(self) -> bytes:
        """The bytes the signature covers."""
        return b"\n".join(
            [_DOMAIN, str(VERSION).encode(), str(self.seq).encode(), self.hash.encode(), self.at.encode()]
        )

    def line(self) -> str:
        payload = {"v": VERSION, "seq": self.seq, "hash": self.hash, "at": self.at, "key": self.key_id}
        return json.dumps({**payload, "sig": self.signature}, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class AnchorProblem:
    """One checkpoint that is not what it should be, or that the chain no longer matches."""

    source: str
    seq: int | None
    reason: str


@dataclass(frozen=True)
class AnchorReport:
    """What verifying the checkpoints found: how many were sound, and every problem."""

    checked: int
    newest: int | None
    problems: list[AnchorProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


@cache
def _load_key(path: str) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(Path(path).read_text().strip(), validate=True)
        return Ed25519PrivateKey.from_private_bytes(raw)
    except OSError:
        raise ImproperlyConfigured(f"无法读取审计锚定私钥文件（XUNCHA_AUDIT_ANCHOR_KEY_FILE）：{path}") from None
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured("审计锚定私钥文件的内容不是 base64 编码的 32 字节私钥。") from None


def _key() -> Ed25519PrivateKey:
    return _load_key(str(settings.AUDIT_ANCHOR_KEY_FILE))


def key_id(public: Ed25519PublicKey) -> str:
    """A short fingerprint of the signing key: the first 16 hex digits of SHA-256 of its raw public key."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def anchor_dir() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def _parse(text: str, source: str) -> Checkpoint:
    record = json.loads(text)
    if not isinstance(record, dict) or record.get("v") != VERSION:
        raise ValueError("unknown checkpoint version")
    seq, hash_, at, key, sig = (record[k] for k in ("seq", "hash", "at", "key", "sig"))
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValueError("bad sequence number")
    if not all(isinstance(v, str) for v in (hash_, at, key, sig)):
        raise ValueError("bad field")
    return Checkpoint(seq=seq, hash=hash_, at=at, key_id=key, signature=sig, source=source)


def checkpoints_read(directory: Path | None = None) -> tuple[list[Checkpoint], list[AnchorProblem]]:
    """Every checkpoint in the directory (a file may hold several lines, as a collector's extract does),
    and a problem for each line that is no checkpoint at all."""
    directory = directory or anchor_dir()
    found: list[Checkpoint] = []
    problems: list[AnchorProblem] = []
    if not directory.is_dir():
        return found, problems
    for path in sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            problems.append(AnchorProblem(path.name, None, "检查点文件无法读取"))
            continue
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            source = path.name if len(lines) == 1 else f"{path.name} 第 {number} 行"
            try:
                found.append(_parse(line, source))
            except (ValueError, KeyError, TypeError):
                problems.append(AnchorProblem(source, None, "不是有效的检查点记录（内容被改动或格式不对）"))
    return found, problems


def signature_valid(checkpoint: Checkpoint) -> bool:
    """Whether the checkpoint was signed by this system's anchor key and is unchanged since."""
    public = _key().public_key()
    if checkpoint.key_id != key_id(public):
        return False
    try:
        public.verify(base64.b64decode(checkpoint.signature, validate=True), checkpoint.message())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def _newest_own(directory: Path) -> Checkpoint | None:
    """The newest soundly signed checkpoint this system wrote (files are named by sequence number)."""
    if not directory.is_dir():
        return None
    names = sorted(p.name for p in directory.iterdir() if p.name.endswith(_SUFFIX) and p.name[:-5].isdigit())
    for name in reversed(names):
        try:
            checkpoint = _parse((directory / name).read_text(encoding="utf-8").strip(), name)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            continue
        if signature_valid(checkpoint):
            return checkpoint
    return None


def _walk_from(start: Checkpoint | None, head: AuditChainHead) -> None:
    """Refuse unless the stored events from `start` up to the head link to one another and to `start`."""
    seq, expected_prev = (start.seq, start.hash) if start else (0, GENESIS_HASH)
    if head.last_seq < seq:
        raise AnchorRefused(f"链尾 #{head.last_seq} 低于已签检查点 #{seq}：末尾记录被删除或链被截断。")
    if start is not None and not AuditEvent.objects.filter(seq=start.seq, hash=start.hash).exists():
        raise AnchorRefused(f"第 {start.seq} 条记录与已签检查点不一致：审计日志被改写。")
    events = AuditEvent.objects.filter(seq__gt=seq, seq__lte=head.last_seq).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        seq += 1
        if event.seq != seq or event.prev_hash != expected_prev or event_hash(event) != event.hash:
            raise AnchorRefused(f"第 {seq} 条记录处审计日志断裂，拒绝签署检查点；请运行 audit_verify 查明。")
        expected_prev = event.hash
    if seq != head.last_seq or expected_prev != head.last_hash:
        raise AnchorRefused("链尾与记录不一致，拒绝签署检查点；请运行 audit_verify 查明。")


def checkpoint_write(*, directory: Path | None = None) -> Checkpoint | None:
    """Sign the chain's head and store it; None when there is nothing new (or another writer was first)."""
    directory = directory or anchor_dir()
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None or head.last_seq == 0:
        return None
    newest = _newest_own(directory)
    if newest is not None and newest.seq == head.last_seq and newest.hash == head.last_hash:
        return None
    _walk_from(newest, head)
    key = _key()
    unsigned = Checkpoint(
        seq=head.last_seq,
        hash=head.last_hash,
        at=timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
        key_id=key_id(key.public_key()),
        signature="",
    )
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    checkpoint = Checkpoint(**{**unsigned.__dict__, "signature": signature, "source": f"{head.last_seq:012d}{_SUFFIX}"})
    directory.mkdir(parents=True, exist_ok=True)
    try:
        # Exclusive create: a stored checkpoint is never replaced, whoever asks.
        fd = os.open(directory / checkpoint.source, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    except FileExistsError:
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(checkpoint.line() + "\n")
        out.flush()
        os.fsync(out.fileno())
    logger.info("%s", checkpoint.line())
    return checkpoint


def _stored_hashes(seqs: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for i in range(0, len(seqs), 500):
        found.update(AuditEvent.objects.filter(seq__in=seqs[i : i + 500]).values_list("seq", "hash"))
    return found


def anchor_verify(*, directory: Path | None = None) -> AnchorReport:
    """Check every checkpoint's signature, that the chain still holds its hash at its sequence number,
    and that the chain has not been cut back below the newest of them."""
    checkpoints, problems = checkpoints_read(directory)
    sound: list[Checkpoint] = []
    for checkpoint in checkpoints:
        if signature_valid(checkpoint):
            sound.append(checkpoint)
        else:
            problems.append(AnchorProblem(checkpoint.source, checkpoint.seq, "检查点签名无效：伪造或被改动"))
    last_seq = AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0
    stored = _stored_hashes(sorted({c.seq for c in sound}))
    beyond = [c for c in sound if c.seq > last_seq]
    for checkpoint in sound:
        if checkpoint.seq in stored and stored[checkpoint.seq] != checkpoint.hash:
            problems.append(
                AnchorProblem(
                    checkpoint.source, checkpoint.seq, f"第 {checkpoint.seq} 条记录的哈希与检查点不一致：审计日志被改写"
                )
            )
        elif checkpoint.seq not in stored and checkpoint.seq <= last_seq:
            problems.append(
                AnchorProblem(checkpoint.source, checkpoint.seq, f"检查点所指的第 {checkpoint.seq} 条记录缺失")
            )
    if beyond:
        newest = max(beyond, key=lambda c: c.seq)
        problems.append(
            AnchorProblem(
                newest.source, newest.seq, f"链尾 #{last_seq} 低于检查点 #{newest.seq}：末尾记录被删除（截断）"
            )
        )
    newest_seq = max((c.seq for c in sound), default=None)
    return AnchorReport(checked=len(sound), newest=newest_seq, problems=problems)


_next_checkpoint: list[datetime | None] = [None]


def schedule_checkpoint() -> None:
    """Queue a checkpoint after an audit event commits, coalesced: at most one per interval per process.

    The queued checkpoint runs at the end of the interval and signs the head as it is then, so every
    event is anchored within XUNCHA_AUDIT_CHECKPOINT_SECONDS of being written (while the worker runs);
    `manage.py audit_checkpoint` from cron is the backstop."""
    from xuncha.core.tasks import audit_checkpoint

    backend = audit_checkpoint.get_backend()
    if not backend.supports_defer:
        audit_checkpoint.enqueue()
        return
    now = timezone.now()
    due = _next_checkpoint[0]
    if due is not None and now < due:
        return
    run_at = now + timedelta(seconds=settings.AUDIT_CHECKPOINT_SECONDS)
    audit_checkpoint.using(run_after=run_at).enqueue()
    _next_checkpoint[0] = run_at
