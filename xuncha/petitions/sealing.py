"""Sealed boxes for petitions: public-key encryption of reporter identity and content.

Each value is sealed to the internal system's X25519 public key: a fresh ephemeral key pair per
value, ECDH, HKDF-SHA256 to a ChaCha20-Poly1305 key, and the ephemeral public key stored in front of
the ciphertext. The intake node (XUNCHA_NODE=intake) holds only the public key, so what it has
taken in cannot be read there, nor by anyone with its database and configuration. The associated
data binds each ciphertext to its purpose ("identity", "content", …) so values cannot be swapped.
"""

import base64
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VERSION = b"\x01"
RAW = serialization.Encoding.Raw


class SealingUnavailable(Exception):
    """This node holds no private key (an intake node), so sealed values cannot be opened here."""


def _local_private_path() -> Path:
    return Path(settings.VAR_DIR) / "petition_private.key"


@cache
def _private_key() -> X25519PrivateKey | None:
    if settings.NODE == "intake":
        return None
    if settings.PETITION_PRIVATE_KEY_FILE:
        raw = base64.b64decode(Path(settings.PETITION_PRIVATE_KEY_FILE).read_text().strip())
        return X25519PrivateKey.from_private_bytes(raw)
    if settings.PETITION_LOCAL_KEYS:
        path = _local_private_path()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = X25519PrivateKey.generate()
            path.write_text(
                base64.b64encode(
                    key.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
                ).decode()
            )
            path.chmod(0o600)
        return X25519PrivateKey.from_private_bytes(base64.b64decode(path.read_text().strip()))
    return None


@cache
def _public_key() -> X25519PublicKey:
    if settings.PETITION_PUBLIC_KEY:
        return X25519PublicKey.from_public_bytes(base64.b64decode(settings.PETITION_PUBLIC_KEY))
    private = _private_key()
    if private is None:
        raise SealingUnavailable("未配置信访加密公钥（XUNCHA_PETITION_PUBLIC_KEY）。")
    return private.public_key()


def reset_keys() -> None:
    """Forget cached keys (after the configuration changed, e.g. in tests)."""
    _private_key.cache_clear()
    _public_key.cache_clear()
    feature_key.cache_clear()


def can_open() -> bool:
    return _private_key() is not None


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=b"xuncha-petition-seal-v1"
    ).derive(shared)


def seal(value: Any, purpose: str) -> bytes:
    """Encrypt a JSON-serialisable value to the internal public key."""
    return seal_to(_public_key(), value, purpose)


def seal_to(recipient: X25519PublicKey, value: Any, purpose: str) -> bytes:
    """Encrypt a JSON-serialisable value to `recipient` (the internal key, or a reporter's own)."""
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    rec_pub = recipient.public_bytes(RAW, serialization.PublicFormat.Raw)
    key = _derive(ephemeral.exchange(recipient), eph_pub, rec_pub)
    nonce = os.urandom(12)
    plaintext = json.dumps(value, ensure_ascii=False).encode()
    return VERSION + eph_pub + nonce + ChaCha20Poly1305(key).encrypt(nonce, plaintext, purpose.encode())


def open_sealed(blob: bytes | memoryview, purpose: str) -> Any:
    """Decrypt a sealed value; only where the private key is held."""
    private = _private_key()
    if private is None:
        raise SealingUnavailable("本节点不持有解密密钥，无法读取信访内容。")
    return open_with(private, blob, purpose)


def open_with(private: X25519PrivateKey, blob: bytes | memoryview, purpose: str) -> Any:
    """Decrypt a value sealed to `private`'s public key (InvalidTag when it was sealed to another)."""
    blob = bytes(blob)
    if blob[:1] != VERSION:
        raise ValueError("unknown seal version")
    eph_pub, nonce, ciphertext = blob[1:33], blob[33:45], blob[45:]
    rec_pub = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    key = _derive(shared, eph_pub, rec_pub)
    return json.loads(ChaCha20Poly1305(key).decrypt(nonce, ciphertext, purpose.encode()))


def generate_key_pair() -> tuple[str, str]:
    """(private, public) as base64, for `manage.py petition_keys`."""
    key = X25519PrivateKey.generate()
    private = key.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public = key.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return base64.b64encode(private).decode(), base64.b64encode(public).decode()


@cache
def feature_key() -> bytes:
    """A secret for keyed hashes over petition text (dedup signatures, learned word counts).

    Derived from the private key, so only the internal side can compute or test them."""
    private = _private_key()
    if private is None:
        raise SealingUnavailable("本节点不持有解密密钥，无法计算查重特征。")
    raw = private.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xuncha", info=b"petition-features-v1").derive(raw)


def seal_bytes(data: bytes, purpose: str) -> bytes:
    """Seal raw bytes (files); base64 inside the JSON envelope keeps one format for everything."""
    return seal(base64.b64encode(data).decode(), purpose)


def open_bytes(blob: bytes | memoryview, purpose: str) -> bytes:
    return base64.b64decode(open_sealed(blob, purpose))
