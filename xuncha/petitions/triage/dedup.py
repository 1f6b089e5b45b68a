"""Near-duplicate detection for Chinese petitions: MinHash over character bigrams, LSH bands in the database.

Text is normalised (punctuation and spaces dropped, digits kept), cut into overlapping character
bigrams, and hashed with 128 keyed multiply-shift hash functions (the key is derived from the internal private
key, so the stored values confirm no guess without it). The 128 minima are split into 32 bands of
4; each band's value is stored in `PetitionBand` under an index. A lookup fetches the petitions
sharing at least two bands (candidates, counted in the database) — or, for an assignment with few
petitions, all of them — and keeps those whose estimated similarity passes the threshold,
then confirms them with the exact Jaccard similarity of the bigram sets when the texts are at hand.
"""

import hashlib
import re
import struct
from dataclasses import dataclass

import numpy as np

PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.5
# A candidate must share this many bands (a paraphrase shares ~5 of 32, an unrelated text almost never 2).
MIN_BANDS = 2
# Candidates (of every assignment, most shared bands first) whose signatures are compared.
MAX_CANDIDATES = 100
# Up to this many earlier petitions in an assignment, every signature is compared (no band lookup): an
# inspection's two months rarely bring more, and the bands' recall falls off near the threshold.
FULL_SCAN = 2000
# A bucket holding more petitions than this is boilerplate (shared openings, closings): ignored in lookups.
HOT_BUCKET = 500
_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    return _STRIP.sub("", text.lower())


def shingles(text: str) -> set[str]:
    clean = normalise(text)
    if len(clean) < 2:
        return {clean} if clean else set()
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclass(frozen=True)
class Hasher:
    """128 multiply-shift hash functions (a·x + b mod 2^64, high 32 bits), coefficients from a secret key."""

    a: np.ndarray
    b: np.ndarray
    key: bytes

    @classmethod
    def from_key(cls, key: bytes) -> "Hasher":
        stream = hashlib.shake_256(b"xuncha-minhash:" + key).digest(16 * PERMUTATIONS)
        values = np.frombuffer(stream, dtype=np.uint64).reshape(PERMUTATIONS, 2)
        return cls(values[:, 0] | np.uint64(1), values[:, 1].copy(), hashlib.sha256(key).digest())

    def gram_hashes(self, grams: set[str]) -> np.ndarray:
        return np.array(
            [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8, key=self.key).digest(), "big") for g in grams],
            dtype=np.uint64,
        )

    def signature(self, grams: set[str]) -> np.ndarray:
        """The MinHash signature (uint32 × 128); all-max for an empty text."""
        if not grams:
            return np.full(PERMUTATIONS, np.iinfo(np.uint32).max, dtype=np.uint32)
        x = self.gram_hashes(grams)
        with np.errstate(over="ignore"):
            values = (self.a[:, None] * x[None, :] + self.b[:, None]) >> np.uint64(32)
        minima: np.ndarray = values.min(axis=1).astype(np.uint32)
        return minima

    def bands(self, signature: np.ndarray) -> list[int]:
        """One signed 63-bit value per band (stored in a BIGINT column)."""
        out = []
        for band in range(BANDS):
            chunk = signature[band * ROWS : (band + 1) * ROWS].tobytes()
            digest = hashlib.blake2b(struct.pack(">H", band) + chunk, digest_size=8).digest()
            out.append(int.from_bytes(digest, "big", signed=True) >> 1)
        return out


def estimated_similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))
