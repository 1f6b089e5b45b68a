"""Sealed boxes for petitions: public-key encryption of reporter identity and content.

Each value is sealed to the internal system's X25519 public key: a fresh ephemeral key pair per
value, ECDH, HKDF-SHA256 to a ChaCha20-Poly1305 key, and the ephemeral public key stored in front of
the ciphertext. The intake node (XUNCHA_NODE=intake) holds only the public key, so what it has
taken in cannot be read there, nor by anyone with its database and configuration. The associated
data binds each ciphertext to its purpose ("identity", "content", …) so values cannot be swapped.

Key rotation (docs/adr/0009): the private key file is a keyring, one base64 key a line, the first
current (new seals, and the public key the intake node is given), the others retired but still
opening older values. Formats:

- version 1: b"\\x01" + ephemeral public key (32) + nonce (12) + ciphertext; no key named, opened by
  trying each key of the ring (values sealed before rotation existed, and reporters' views);
- version 2: b"\\x02" + key id (8: the first bytes of SHA-256 of the recipient's raw public key) + the
  same; the key id picks the key directly. The key derivation is that of version 1, whose salt holds
  the recipient's public key: a changed key id opens nothing.

The feature key (keyed hashes over text) is pinned apart from the ring, so rotation leaves every stored
signature, band and learned count matching: XUNCHA_PETITION_FEATURE_KEY_FILE, or else derived from the
last (oldest) key of the ring, which is what a single key always gave.
"""

import base64
import binascii
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xuncha.core.keyfiles import local_key_path

VERSION = b"\x01"
VERSION_2 = b"\x02"
KEY_ID_SIZE = 8
_BODY_MIN = 32 + 12 + 16  # ephemeral key, nonce, tag
RAW = serialization.Encoding.Raw


class SealingUnavailable(Exception):
    """This node holds no private key (an intake node), so sealed values cannot be opened here."""


class KeyNotInRing(ValueError):
    """A version 2 value names a key the ring does not hold (retired and removed, or another system's)."""

    def __init__(self, key: bytes) -> None:
        self.key_id = key
        super().__init__(f"密文所用的密钥（标识 {key.hex()}）不在本系统的密钥文件中，无法解密。")


def _local_private_path() -> Path:
    return local_key_path("petition_private.key")


def _raw_private(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(RAW, serialization.PublicFormat.Raw)


def key_id(public: X25519PublicKey) -> bytes:
    """The 8-byte id a version 2 value carries: the first bytes of SHA-256 of the raw public key."""
    return hashlib.sha256(_raw_public(public)).digest()[:KEY_ID_SIZE]


def parse_keyring(text: str) -> tuple[X25519PrivateKey, ...]:
    """The keys of a key file, current first. Blank lines and lines starting with # are skipped; a line
    that is not a key is refused by its number (its content is never repeated)."""
    keys: list[X25519PrivateKey] = []
    seen: set[bytes] = set()
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        try:
            key = X25519PrivateKey.from_private_bytes(base64.b64decode(entry, validate=True))
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(
                f"信访密钥文件第 {number} 行不是有效的密钥（应为每行一个 base64 编码的 32 字节私钥）。"
            ) from None
        raw = _raw_private(key)
        if raw not in seen:
            seen.add(raw)
            keys.append(key)
    if not keys:
        raise ImproperlyConfigured("信访密钥文件中没有密钥。")
    return tuple(keys)


@cache
def _ring() -> tuple[X25519PrivateKey, ...]:
    """The private keys this node holds, current first; none on an intake node."""
    if settings.NODE == "intake":
        return ()
    if settings.PETITION_PRIVATE_KEY_FILE:
        return parse_keyring(Path(settings.PETITION_PRIVATE_KEY_FILE).read_text())
    if settings.PETITION_LOCAL_KEYS:
        path = _local_private_path()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.parent.chmod(0o700)
            path.write_text(base64.b64encode(_raw_private(X25519PrivateKey.generate())).decode())
            path.chmod(0o600)
        return parse_keyring(path.read_text())
    return ()


@cache
def _by_id() -> dict[bytes, X25519PrivateKey]:
    return {key_id(key.public_key()): key for key in _ring()}


def _private_key() -> X25519PrivateKey | None:
    """The current private key (the ring's first), or None where no key is held."""
    ring = _ring()
    return ring[0] if ring else None


@cache
def _public_key() -> X25519PublicKey:
    """Where new values are sealed: the ring's current key where the ring is held (a configured public key
    that is not the current one is stale: `petition_keys status` names it), else the configured public key."""
    private = _private_key()
    if private is not None:
        return private.public_key()
    if settings.PETITION_PUBLIC_KEY:
        return X25519PublicKey.from_public_bytes(base64.b64decode(settings.PETITION_PUBLIC_KEY))
    raise SealingUnavailable("未配置信访加密公钥（XUNCHA_PETITION_PUBLIC_KEY）。")


def reset_keys() -> None:
    """Forget cached keys (after the configuration changed, e.g. in tests)."""
    _ring.cache_clear()
    _by_id.cache_clear()
    _public_key.cache_clear()
    _burst[0] = None
    feature_key.cache_clear()


def can_open() -> bool:
    return bool(_ring())


def ring_ids() -> list[bytes]:
    """The key ids of the ring, current first (empty where no key is held)."""
    return list(_by_id())


def current_key_id() -> bytes:
    return key_id(_public_key())


def configured_public_key_id() -> bytes | None:
    """The id of XUNCHA_PETITION_PUBLIC_KEY when it is set (what this node tells the intake node)."""
    if not settings.PETITION_PUBLIC_KEY:
        return None
    return key_id(X25519PublicKey.from_public_bytes(base64.b64decode(settings.PETITION_PUBLIC_KEY)))


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=b"xuncha-petition-seal-v1"
    ).derive(shared)


def _seal_raw(recipient: X25519PublicKey, plaintext: bytes, purpose: str) -> bytes:
    """Version 1, a fresh ephemeral key (values sealed to a reporter's own key)."""
    ephemeral = X25519PrivateKey.generate()
    eph_pub = _raw_public(ephemeral.public_key())
    key = _derive(ephemeral.exchange(recipient), eph_pub, _raw_public(recipient))
    nonce = os.urandom(12)
    return VERSION + eph_pub + nonce + ChaCha20Poly1305(key).encrypt(nonce, plaintext, purpose.encode())


# A burst of values sealed to the internal key shares one ephemeral key (docs/adr/0011): the X25519
# pair and the exchange are most of a submission's cost, and under a flood they would be paid for each
# report. Each value keeps its own random nonce under the shared ChaCha20-Poly1305 key (at most
# BURST_USES values, far below the bound for random nonces), and the format and its opening are
# unchanged. A burst's key is dropped once used up or BURST_SECONDS after it was made (by a timer, so
# a quiet process does not keep it), and a forked child starts without its parent's.
BURST_SECONDS = 2.0
BURST_USES = 64


@dataclass
class _Burst:
    recipient: X25519PublicKey
    expires: float
    uses: int
    head: bytes  # version 2, key id, ephemeral public key
    aead: ChaCha20Poly1305


_burst: list[_Burst | None] = [None]
_burst_lock = threading.Lock()


def _new_burst(recipient: X25519PublicKey, now: float) -> _Burst:
    ephemeral = X25519PrivateKey.generate()
    eph_pub = _raw_public(ephemeral.public_key())
    key = _derive(ephemeral.exchange(recipient), eph_pub, _raw_public(recipient))
    burst = _Burst(
        recipient,
        now + BURST_SECONDS,
        BURST_USES,
        VERSION_2 + key_id(recipient) + eph_pub,
        ChaCha20Poly1305(key),
    )
    timer = threading.Timer(BURST_SECONDS, _forget, args=(burst,))
    timer.daemon = True
    timer.start()
    return burst


def _forget(burst: _Burst) -> None:
    """Drop the burst's key if it is still the current one (its time is up)."""
    with _burst_lock:
        if _burst[0] is burst:
            _burst[0] = None


def _after_fork_in_child() -> None:
    global _burst_lock
    _burst_lock = threading.Lock()  # a lock held by another thread at the fork would never be released
    _burst[0] = None


os.register_at_fork(after_in_child=_after_fork_in_child)


def _seal_named(recipient: X25519PublicKey, plaintext: bytes, purpose: str) -> bytes:
    """Version 2 under the burst's key (a new one after BURST_USES values, BURST_SECONDS or for a new
    recipient; a forked child starts without one)."""
    now = time.monotonic()
    with _burst_lock:
        burst = _burst[0]
        if burst is None or burst.expires < now or burst.recipient is not recipient:
            burst = _burst[0] = _new_burst(recipient, now)
        burst.uses -= 1
        if burst.uses <= 0:
            _burst[0] = None
    nonce = os.urandom(12)
    return burst.head + nonce + burst.aead.encrypt(nonce, plaintext, purpose.encode())


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def seal(value: Any, purpose: str) -> bytes:
    """Encrypt a JSON-serialisable value to the internal (current) public key, naming it (version 2)."""
    return _seal_named(_public_key(), _encode(value), purpose)


def seal_to(recipient: X25519PublicKey, value: Any, purpose: str) -> bytes:
    """Encrypt a JSON-serialisable value to `recipient` (a reporter's own key): version 1, no key named,
    opened with `open_with`."""
    return _seal_raw(recipient, _encode(value), purpose)


def _parse(blob: bytes | memoryview) -> tuple[bytes | None, bytes, bytes, bytes]:
    """(key id or None for version 1, ephemeral public key, nonce, ciphertext)."""
    data = bytes(blob)
    if data[:1] == VERSION:
        named, body = None, data[1:]
    elif data[:1] == VERSION_2:
        named, body = data[1 : 1 + KEY_ID_SIZE], data[1 + KEY_ID_SIZE :]
    else:
        raise ValueError("unknown seal version")
    if len(body) < _BODY_MIN:
        raise ValueError("truncated sealed value")
    return named, body[:32], body[32:44], body[44:]


def _decrypt(private: X25519PrivateKey, eph_pub: bytes, nonce: bytes, ciphertext: bytes, purpose: str) -> bytes:
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    key = _derive(shared, eph_pub, _raw_public(private.public_key()))
    return ChaCha20Poly1305(key).decrypt(nonce, ciphertext, purpose.encode())


def open_raw(blob: bytes | memoryview, purpose: str) -> bytes:
    """The plaintext bytes of a value sealed to any key of the ring (only where the ring is held).

    Version 2 names its key (KeyNotInRing when the ring lacks it); version 1 is tried with each key
    (InvalidTag when none opens it)."""
    ring = _ring()
    if not ring:
        raise SealingUnavailable("本节点不持有解密密钥，无法读取信访内容。")
    named, eph_pub, nonce, ciphertext = _parse(blob)
    if named is not None:
        private = _by_id().get(named)
        if private is None:
            raise KeyNotInRing(named)
        return _decrypt(private, eph_pub, nonce, ciphertext, purpose)
    for private in ring:
        try:
            return _decrypt(private, eph_pub, nonce, ciphertext, purpose)
        except InvalidTag:
            continue
    raise InvalidTag


def open_sealed(blob: bytes | memoryview, purpose: str) -> Any:
    """Decrypt a sealed value; only where the private key is held."""
    return json.loads(open_raw(blob, purpose))


def open_with(private: X25519PrivateKey, blob: bytes | memoryview, purpose: str) -> Any:
    """Decrypt a value sealed to `private`'s public key (InvalidTag when it was sealed to another)."""
    named, eph_pub, nonce, ciphertext = _parse(blob)
    if named is not None and named != key_id(private.public_key()):
        raise InvalidTag
    return json.loads(_decrypt(private, eph_pub, nonce, ciphertext, purpose))


def sealed_key_id(blob: bytes | memoryview) -> bytes | None:
    """The key a version 2 value names (None for version 1); nothing is decrypted."""
    return _parse(blob)[0]


def reseal(blob: bytes | memoryview, purpose: str) -> bytes | None:
    """The value sealed anew to the current key (version 2), or None when it already is. The plaintext
    stays inside this call: exactly the bytes that were sealed, sealed again."""
    current = _public_key()
    if bytes(blob[: 1 + KEY_ID_SIZE]) == VERSION_2 + key_id(current):
        return None
    return _seal_named(current, open_raw(blob, purpose), purpose)


def generate_key_pair() -> tuple[str, str]:
    """(private, public) as base64, for `manage.py petition_keys`."""
    key = X25519PrivateKey.generate()
    return base64.b64encode(_raw_private(key)).decode(), base64.b64encode(_raw_public(key.public_key())).decode()


def derived_feature_key(private: X25519PrivateKey) -> bytes:
    """The feature key as derived from one private key (before rotation: the only key)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xuncha", info=b"petition-features-v1").derive(
        _raw_private(private)
    )


def feature_key_pinned() -> bool:
    """Whether the feature key comes from its own file (rotation and key removal cannot change it)."""
    return bool(settings.PETITION_FEATURE_KEY_FILE)


@cache
def feature_key() -> bytes:
    """A secret for keyed hashes over petition text (dedup signatures, learned word counts).

    Only the internal side computes or tests them. From XUNCHA_PETITION_FEATURE_KEY_FILE (base64 of 32
    bytes) when set; else derived from the ring's last, oldest key — never from the current one, which
    changes with every rotation."""
    ring = _ring()
    if not ring:
        raise SealingUnavailable("本节点不持有解密密钥，无法计算查重特征。")
    if settings.PETITION_FEATURE_KEY_FILE:
        try:
            raw = base64.b64decode(Path(settings.PETITION_FEATURE_KEY_FILE).read_text().strip(), validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                "查重特征密钥文件（XUNCHA_PETITION_FEATURE_KEY_FILE）应为一个 base64 编码的 32 字节密钥。"
            )
        return raw
    return derived_feature_key(ring[-1])


def seal_bytes(data: bytes, purpose: str) -> bytes:
    """Seal raw bytes (files); base64 inside the JSON envelope keeps one format for everything."""
    return seal(base64.b64encode(data).decode(), purpose)


def open_bytes(blob: bytes | memoryview, purpose: str) -> bytes:
    return base64.b64decode(open_sealed(blob, purpose))
