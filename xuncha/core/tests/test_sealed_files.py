"""Files sealed in chunks to sealed storage: round trip, tampering refused, memory bounded (ADR 0015)."""

import io
import os
import tracemalloc

import pytest
from cryptography.exceptions import InvalidTag

from xuncha.core import sealed_files
from xuncha.core.sealed_files import CHUNK, open_file, seal_file, storage, store_legacy, stored_bytes
from xuncha.core.sealing import seal_bytes


def _chunks(total: int, piece: int = 10_000):
    """A large file produced piece by piece (never whole), deterministic so it can be checked."""
    sent = 0
    while sent < total:
        n = min(piece, total - sent)
        yield bytes((sent + i) % 251 for i in range(n))
        sent += n


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17])
def test_a_file_round_trips_through_chunks_at_every_boundary(size):
    data = os.urandom(size)
    stored = seal_file(data, purpose="attachment", folder="t")
    assert stored.size == size and len(stored.digest) == 64
    body = stored_bytes(stored.name)
    # a short random plaintext may occur in ciphertext by chance; from 16 bytes on it cannot
    assert size < 16 or data not in body
    assert b"".join(open_file(stored.name, stored.key, purpose="attachment")) == data
    with pytest.raises(InvalidTag):  # the purpose is authenticated
        b"".join(open_file(stored.name, stored.key, purpose="note"))


def test_a_file_cut_short_reordered_or_altered_is_refused():
    stored = seal_file(os.urandom(3 * CHUNK), purpose="attachment", folder="t")
    body = stored_bytes(stored.name)
    head, size = 4 + sealed_files.PREFIX, CHUNK + sealed_files.TAG
    chunks = [body[head + i * size : head + (i + 1) * size] for i in range(3)]
    variants = {
        "cut after a whole chunk": body[: head + 2 * size],
        "chunks swapped": body[:head] + chunks[1] + chunks[0] + chunks[2],
        "one bit flipped": body[:-1] + bytes([body[-1] ^ 1]),
    }
    for label, changed in variants.items():
        name = storage().save(f"t/{label}", io.BytesIO(changed))
        with pytest.raises(InvalidTag):
            b"".join(open_file(name, stored.key, purpose="attachment"))


def test_sealing_and_opening_a_large_file_never_holds_it_whole():
    total = 24 * CHUNK  # 1.5 MiB produced and consumed piece by piece
    tracemalloc.start()
    try:
        stored = seal_file(_chunks(total), purpose="attachment", folder="t")
        _, peak_writing = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        seen = 0
        for i, chunk in enumerate(open_file(stored.name, stored.key, purpose="attachment")):
            assert chunk[:1] == bytes([(i * CHUNK) % 251])
            seen += len(chunk)
        _, peak_reading = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == total == stored.size
    assert peak_writing < total / 4 and peak_reading < total / 4, (peak_writing, peak_reading)


def test_a_file_sealed_whole_before_chunks_existed_still_opens():
    data = b"%PDF-1.4 old attachment"
    name, digest = store_legacy(seal_bytes(data, "attachment"), folder="t")
    assert len(digest) == 64
    assert b"".join(open_file(name, None, purpose="attachment")) == data
