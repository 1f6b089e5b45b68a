"""Files sealed in chunks and kept through Django's storage API (ADR 0015).

A file is encrypted with its own random key, chunk by chunk (ChaCha20-Poly1305 in the STREAM
construction: a 7-byte random prefix, a 4-byte chunk counter and a last-chunk flag make each chunk's
nonce, so chunks cannot be reordered, dropped or the file cut short unnoticed; the purpose is the
associated data). The file key is sealed to the internal key like any other value and kept in the
database (`SealedField`, so key rotation rewraps the key, never the file). The stored object lives in
`STORAGES["sealed"]` — the file system by default, S3-compatible object storage where a deployment
configures one — and the database keeps its name and the SHA-256 digest of what was stored. Writing
and reading go chunk by chunk: a 100 MB video never sits whole in memory here.

Files stored before this existed hold the old whole-value seal behind the `XSF0` header; they open
with the internal key as before.
"""

import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from django.core.files import File
from django.core.files.storage import Storage, storages

from xuncha.core.sealing import open_bytes

CHUNK = 64 * 1024
TAG = 16
STREAM = b"XSF1"
LEGACY = b"XSF0"
PREFIX = 7


def storage() -> Storage:
    return storages["sealed"]


@dataclass(frozen=True)
class StoredFile:
    name: str
    digest: str
    size: int
    key: bytes  # the file key, to be sealed to the internal key by the caller's SealedField


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _pieces(data: bytes | Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """The plaintext cut into CHUNK-sized pieces, each with whether it is the last (one piece of look-ahead)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        view = memoryview(data)
        chunks: Iterable[bytes] = (bytes(view[i : i + CHUNK]) for i in range(0, len(view), CHUNK))
    else:
        chunks = data
    buffer = b""
    pending: bytes | None = None
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= CHUNK:
            if pending is not None:
                yield pending, False
            pending, buffer = buffer[:CHUNK], buffer[CHUNK:]
    if buffer:
        if pending is not None:
            yield pending, False
        pending = buffer
    yield (pending or b""), True


def seal_file(data: bytes | Iterable[bytes], *, purpose: str, folder: str) -> StoredFile:
    """Encrypt `data` (bytes or an iterable of chunks) to sealed storage under `folder`; spooled through a
    temporary file, never held whole."""
    key = ChaCha20Poly1305.generate_key()
    aead, prefix = ChaCha20Poly1305(key), os.urandom(PREFIX)
    digest, size = hashlib.sha256(), 0
    with tempfile.TemporaryFile() as spool:
        head = STREAM + prefix
        spool.write(head)
        digest.update(head)
        for counter, (piece, last) in enumerate(_pieces(data)):
            if counter >= 2**32:
                raise ValueError("file too large")
            sealed = aead.encrypt(_nonce(prefix, counter, last), piece, purpose.encode())
            spool.write(sealed)
            digest.update(sealed)
            size += len(piece)
        spool.seek(0)
        name = storage().save(f"{folder}/{uuid.uuid4().hex}", File(spool))
    return StoredFile(name, digest.hexdigest(), size, key)


def store_legacy(blob: bytes, *, folder: str) -> tuple[str, str]:
    """Keep a value sealed whole (the format before chunks) as a stored object; nothing is opened."""
    body = LEGACY + bytes(blob)
    with tempfile.TemporaryFile() as spool:
        spool.write(body)
        spool.seek(0)
        name = storage().save(f"{folder}/{uuid.uuid4().hex}", File(spool))
    return name, hashlib.sha256(body).hexdigest()


def open_file(name: str, key: bytes | None, *, purpose: str) -> Iterator[bytes]:
    """The plaintext of a stored sealed file, chunk by chunk; refuses a file cut short or altered."""
    with storage().open(name, "rb") as stored:
        magic = stored.read(4)
        if magic == LEGACY:
            yield open_bytes(stored.read(), purpose)
            return
        if magic != STREAM or key is None:
            raise ValueError("不是本系统加密保存的文件。")
        aead, prefix = ChaCha20Poly1305(key), stored.read(PREFIX)
        counter, current = 0, stored.read(CHUNK + TAG)
        while True:
            following = stored.read(CHUNK + TAG)
            last = not following
            yield aead.decrypt(_nonce(prefix, counter, last), current, purpose.encode())
            if last:
                return
            counter, current = counter + 1, following


def stored_bytes(name: str) -> bytes:
    """The stored (sealed) object as it is, for carrying across the network gap."""
    with storage().open(name, "rb") as stored:
        return bytes(stored.read())


def store_bytes(body: bytes, *, folder: str) -> tuple[str, str]:
    """Keep a sealed object received from elsewhere as it is; (name, digest)."""
    with tempfile.TemporaryFile() as spool:
        spool.write(body)
        spool.seek(0)
        name = storage().save(f"{folder}/{uuid.uuid4().hex}", File(spool))
    return name, hashlib.sha256(body).hexdigest()
