"""The reporter's receipt code (查询码): drawn once, shown once, kept only as a hash, and the seed of
the reporter's own key, so what the team sends back can be sealed for the code's holder alone.

20 characters from a 32-letter alphabet without 0/O and 1/I: 100 bits. The hash finds the petition;
the key derived from the code (X25519, HKDF-SHA256) opens the reporter's view on an intake node
that holds no other key (replies.reply_export / reply_import)."""

import hashlib
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from xuncha.core.sealing import open_with
from xuncha.petitions.models import Petition, ReporterView

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_receipt_code() -> str:
    """20 characters, 100 bits, in groups of four."""
    bits = secrets.randbits(100)
    raw = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(20))
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


def normalise(code: str) -> str:
    """The code as typed, upper-cased, without separators or letters outside the alphabet."""
    return "".join(ch for ch in code.upper() if ch in ALPHABET)


def receipt_hash(code: str) -> str:
    return hashlib.sha256(f"xuncha-receipt:{normalise(code)}".encode()).hexdigest()


def reporter_key(code: str) -> X25519PrivateKey:
    """The reporter's private key, derived from the code (never stored anywhere)."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xuncha-reporter", info=b"reporter-key-v1").derive(
        normalise(code).encode()
    )
    return X25519PrivateKey.from_private_bytes(seed)


def reporter_public(code: str) -> bytes:
    """The public half, stored with the petition: the internal side seals the reporter's view to it."""
    return reporter_key(code).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


REPORTER_VIEW_PURPOSE = "reporter_view"


def reporter_view_open(petition: Petition, code: str) -> dict[str, Any] | None:
    """On the intake node: the view sent back for this petition, opened with the reporter's code."""
    view = ReporterView.objects.filter(petition=petition).first()
    if view is None:
        return None
    try:
        opened: dict[str, Any] = open_with(reporter_key(code), view.sealed, REPORTER_VIEW_PURPOSE)
        return opened
    except (InvalidTag, ValueError):
        return None
