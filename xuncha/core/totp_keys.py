"""TOTP secrets encrypted at rest, with a key kept outside the database (docs/adr/0012).

A copy of the database alone (a backup, a dump handed to a vendor) must not let anyone compute a
user's codes. Each secret is sealed with ChaCha20-Poly1305 under a 32-byte key read from the file
XUNCHA_TOTP_KEY_FILE names (one base64 line); the associated data binds the ciphertext to its user, so
a sealed secret copied onto another account opens nothing. Unset (the demo, tests), a key is generated
once under var/keys/, a directory apart from the SQLite file.

Stored form: "v1:" + base64(nonce (12) + ciphertext + tag (16)).
"""

import base64
import binascii
import os
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xuncha.core import keyfiles

PREFIX = "v1:"
KEY_SIZE = 32
NONCE_SIZE = 12


class TotpSecretUnavailable(Exception):
    """The stored secret cannot be opened here: no key, another key, or a value moved to another user."""


def local_key_path() -> Path:
    """Where the demo and tests keep their generated key: KEY_DIR, not in var/ beside the database file."""
    return keyfiles.local_key_path("totp.key")


@cache
def _load(path: str, generate: bool) -> bytes:
    file = Path(path)
    if generate and not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        file.parent.chmod(0o700)
        file.write_text(base64.b64encode(os.urandom(KEY_SIZE)).decode() + "\n")
        file.chmod(0o600)
    try:
        key = base64.b64decode(file.read_text().strip(), validate=True)
    except FileNotFoundError:
        raise ImproperlyConfigured(f"动态口令密钥文件 {path} 不存在（XUNCHA_TOTP_KEY_FILE）。") from None
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured("动态口令密钥文件内容无效（应为一行 base64 编码的 32 字节密钥）。") from None
    if len(key) != KEY_SIZE:
        raise ImproperlyConfigured("动态口令密钥文件内容无效（应为一行 base64 编码的 32 字节密钥）。")
    return key


def _key() -> bytes:
    configured = settings.TOTP_KEY_FILE
    return _load(configured or str(local_key_path()), not configured)


def reset_key() -> None:
    """Forget the cached key (after the configuration changed, e.g. in tests)."""
    _load.cache_clear()


def _associated(user_id: int) -> bytes:
    return f"xuncha-totp-secret:{user_id}".encode()


def seal_totp_secret(user_id: int, secret: str) -> str:
    """The stored form of `secret` for user `user_id` ("" stays "": no authenticator bound)."""
    if not secret:
        return ""
    nonce = os.urandom(NONCE_SIZE)
    sealed = ChaCha20Poly1305(_key()).encrypt(nonce, secret.encode(), _associated(user_id))
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def open_totp_secret(user_id: int, stored: str) -> str:
    """The base32 secret behind a stored value; raises TotpSecretUnavailable when it cannot be opened."""
    if not is_sealed(stored):
        raise TotpSecretUnavailable("动态口令密钥未加密存储，请先执行数据迁移。")
    try:
        raw = base64.b64decode(stored[len(PREFIX) :], validate=True)
        opened = ChaCha20Poly1305(_key()).decrypt(raw[:NONCE_SIZE], raw[NONCE_SIZE:], _associated(user_id))
    except (binascii.Error, ValueError, InvalidTag):
        raise TotpSecretUnavailable("动态口令密钥无法解密（密钥文件不符或数据已被改动）。") from None
    return opened.decode()
