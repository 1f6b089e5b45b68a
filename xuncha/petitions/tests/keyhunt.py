"""Key hunting for the confidentiality tests: every candidate 32-byte secret in what a node holds,
and an opener of sealed values written independently of sealing.py (so the tests can fail)."""

import base64
import binascii
import json
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from xuncha.petitions.tests.leaks import as_bytes, db_values

# ---------------------------------------------------------------------------------------------
# Keys: every candidate 32-byte secret in what a node holds, and an opener independent of sealing.py.

PURPOSES = (
    "identity",
    "attachment_key",
    "content",
    "message",
    "note",
    "attachment",
    "bundle",
    "referral_result",
    "incoming_report",
    "reporter_view",
)
_B64 = re.compile(rb"[A-Za-z0-9+/_-]{43,}={0,2}")
_HEX = re.compile(rb"[0-9a-fA-F]{64,}")
# PKCS#8 DER of an X25519 private key: this header, then the 32 raw bytes.
_PKCS8_X25519 = bytes.fromhex("302e020100300506032b656e04220420")


def _b64_32(token: bytes) -> bytes | None:
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            raw = decode(token + b"=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            continue
        if len(raw) == 32:
            return raw
    return None


def key_candidates(material: Iterable[tuple[str, bytes]]) -> dict[bytes, str]:
    """Every candidate 32-byte secret in the material, with where it came from: a 32-byte value alone;
    base64 decoding to exactly 32 bytes (whole contents, each base64 run and each 43/44-character window
    of a longer run); 64 hex digits (each window of a longer run); a PKCS#8 X25519 key, raw or base64."""
    out: dict[bytes, str] = {}

    def add(raw: bytes | None, origin: str) -> None:
        if raw is not None and len(raw) == 32:
            out.setdefault(raw, origin)

    for origin, data in material:
        stripped = data.strip()
        add(data if len(data) == 32 else None, origin)
        add(stripped if len(stripped) == 32 else None, origin)
        add(_b64_32(stripped), origin)
        layers = [data]
        with suppress(binascii.Error, ValueError):  # the whole content interpreted as base64
            layers.append(base64.b64decode(stripped, validate=False))
        for layer in layers:
            at = layer.find(_PKCS8_X25519)
            while at >= 0:
                add(layer[at + len(_PKCS8_X25519) : at + len(_PKCS8_X25519) + 32], origin + " (PKCS#8)")
                at = layer.find(_PKCS8_X25519, at + 1)
        for match in _B64.finditer(data):
            token = match.group(0)
            add(_b64_32(token), origin)
            try:  # a PEM body or any base64 run: a PKCS#8 key inside it
                decoded = base64.b64decode(token + b"=" * (-len(token) % 4))
            except (binascii.Error, ValueError):
                decoded = b""
            at = decoded.find(_PKCS8_X25519)
            if at >= 0:
                add(decoded[at + len(_PKCS8_X25519) : at + len(_PKCS8_X25519) + 32], origin + " (PKCS#8)")
            body = token.rstrip(b"=")
            if len(body) > 43:
                for i in range(len(body) - 42):
                    add(_b64_32(body[i : i + 43]), origin + " (window)")
        for match in _HEX.finditer(data):
            run = match.group(0)
            for i in range(len(run) - 63):
                add(bytes.fromhex(run[i : i + 64].decode()), origin)
    return out


def public_of(private: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()


def try_open(private: bytes, blob: bytes) -> Any:
    """Open a sealed value with a candidate private key, the construction of sealing.open_sealed written
    out again (ECDH with the stored ephemeral key, HKDF-SHA256, ChaCha20-Poly1305 with the purpose as
    associated data, each purpose tried); None when it does not open."""
    blob = bytes(blob)
    if blob[:1] == b"\x02":  # version 2 (docs/adr/0009): the same box behind an 8-byte key id
        blob = b"\x01" + blob[9:]
    if blob[:1] != b"\x01" or len(blob) < 1 + 32 + 12 + 16:
        return None
    eph_pub, nonce, ciphertext = blob[1:33], blob[33:45], blob[45:]
    key = X25519PrivateKey.from_private_bytes(private)
    try:
        shared = key.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except ValueError:  # a low-order point: not a blob sealed by sealing.seal
        return None
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=eph_pub + key.public_key().public_bytes_raw(),
        info=b"xuncha-petition-seal-v1",
    ).derive(shared)
    for purpose in PURPOSES:
        try:
            return json.loads(ChaCha20Poly1305(derived).decrypt(nonce, ciphertext, purpose.encode()))
        except InvalidTag:
            continue
    return None


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a settings value (nested dicts, lists, paths and other objects as text)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings_in(k)
            yield from strings_in(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from strings_in(v)
    elif isinstance(value, bytes | bytearray | memoryview):
        yield bytes(value).decode("latin-1")
    elif value is not None:
        yield str(value)


def node_material(var_dir: Path) -> list[tuple[str, bytes]]:
    """Everything a node holds but its running memory: every database value, its Django settings (and
    the files they name), its environment and every file under its VAR_DIR."""
    material = [(f"db:{t}.{c}", as_bytes(v)) for t, c, v in db_values()]
    named_files = set()
    with warnings.catch_warnings():  # reading a deprecated setting warns
        warnings.simplefilter("ignore")
        values = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    for name, value in values.items():
        for text in strings_in(value):
            material.append((f"settings:{name}", text.encode(errors="surrogateescape")))
            if len(text) < 4096 and os.path.isfile(text):
                named_files.add(Path(text))
    for name, value in os.environ.items():
        material.append((f"env:{name}", f"{name}={value}".encode(errors="surrogateescape")))
        material.append((f"env:{name}", value.encode(errors="surrogateescape")))
    files = {p for p in var_dir.rglob("*") if p.is_file()} | named_files
    for path in sorted(files):
        material.append((f"file:{path}", path.read_bytes()))
    return material
