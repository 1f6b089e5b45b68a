"""A burst of values sealed to the internal key shares one ephemeral key, each with its own nonce
(docs/adr/0011); the key is renewed by count, by time, after a fork and with a new recipient."""

import os

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from xuncha.core import sealing
from xuncha.petitions.intake.receipts import reporter_key

EPHEMERAL = slice(1 + sealing.KEY_ID_SIZE, 1 + sealing.KEY_ID_SIZE + 32)
NONCE = slice(EPHEMERAL.stop, EPHEMERAL.stop + 12)


@pytest.fixture(autouse=True)
def fresh_keys():
    sealing.reset_keys()
    yield
    sealing.reset_keys()


def test_values_of_a_burst_share_the_ephemeral_key_with_their_own_nonces_and_each_opens():
    blobs = [sealing.seal({"what": f"第{i}件反映"}, "content") for i in range(5)]
    assert len({blob[EPHEMERAL] for blob in blobs}) == 1
    assert len({blob[NONCE] for blob in blobs}) == 5
    assert [sealing.open_sealed(blob, "content") for blob in blobs] == [{"what": f"第{i}件反映"} for i in range(5)]
    # The purpose still binds each value: one sealed as content does not open as identity.
    with pytest.raises(InvalidTag):
        sealing.open_sealed(blobs[0], "identity")
    # A nonce moved from another value of the burst opens nothing.
    swapped = blobs[0][: NONCE.start] + blobs[1][NONCE] + blobs[0][NONCE.stop :]
    with pytest.raises(InvalidTag):
        sealing.open_sealed(swapped, "content")


def test_a_new_ephemeral_key_after_the_burst_is_used_up(monkeypatch):
    monkeypatch.setattr(sealing, "BURST_USES", 3)
    blobs = [sealing.seal("内容", "content") for _ in range(7)]
    keys = [blob[EPHEMERAL] for blob in blobs]
    assert keys[0] == keys[1] == keys[2] != keys[3]
    assert keys[3] == keys[4] == keys[5] != keys[6]
    assert all(sealing.open_sealed(blob, "content") == "内容" for blob in blobs)
    # A used-up key is not kept: after the sixth value none was held until the seventh made one.
    sealing.seal("内容", "content")
    sealing.seal("内容", "content")
    assert sealing._burst[0] is None


def test_a_quiet_process_drops_the_key_when_its_time_is_up(monkeypatch):
    """At a real announcement's pace the next report may come hours later: the key must not wait for it."""
    import time

    monkeypatch.setattr(sealing, "BURST_SECONDS", 0.05)
    sealing.seal("内容", "content")
    assert sealing._burst[0] is not None
    for _ in range(100):
        if sealing._burst[0] is None:
            break
        time.sleep(0.02)
    assert sealing._burst[0] is None


def test_a_new_ephemeral_key_once_the_burst_is_older_than_its_seconds(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(sealing.time, "monotonic", lambda: clock[0])
    first = sealing.seal("内容", "content")
    clock[0] += sealing.BURST_SECONDS - 0.1
    second = sealing.seal("内容", "content")
    clock[0] += 0.2
    third = sealing.seal("内容", "content")
    assert first[EPHEMERAL] == second[EPHEMERAL] != third[EPHEMERAL]


# The child only writes to a pipe and leaves: the timer threads of earlier bursts cannot deadlock it.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_starts_without_its_parents_key():
    sealing.seal("内容", "content")
    assert sealing._burst[0] is not None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports whether it still holds the parent's burst, then leaves at once
        os.write(write, b"held" if sealing._burst[0] is not None else b"none")
        os._exit(0)
    os.close(write)
    answer = os.read(read, 8)
    os.waitpid(pid, 0)
    assert answer == b"none" and sealing._burst[0] is not None


def test_a_new_recipient_gets_its_own_ephemeral_key(settings, tmp_path):
    before = sealing.seal("内容", "content")
    private, _ = sealing.generate_key_pair()
    ring = tmp_path / "ring.key"
    ring.write_text(private + "\n")
    settings.PETITION_PRIVATE_KEY_FILE = str(ring)
    sealing.reset_keys()
    after = sealing.seal("内容", "content")
    assert after[1 : 1 + sealing.KEY_ID_SIZE] == sealing.current_key_id() != before[1 : 1 + sealing.KEY_ID_SIZE]
    assert after[EPHEMERAL] != before[EPHEMERAL]
    assert sealing.open_sealed(after, "content") == "内容"


def test_alternating_recipients_each_get_their_own_key_without_a_reset():
    first, second = (X25519PrivateKey.generate().public_key() for _ in range(2))
    a, again = (sealing._seal_named(first, b"1", "content") for _ in range(2))
    b = sealing._seal_named(second, b"2", "content")
    c = sealing._seal_named(first, b"3", "content")
    assert a[EPHEMERAL] == again[EPHEMERAL]
    assert len({a[EPHEMERAL], b[EPHEMERAL], c[EPHEMERAL]}) == 3
    assert b[1 : 1 + sealing.KEY_ID_SIZE] == sealing.key_id(second) != a[1 : 1 + sealing.KEY_ID_SIZE]


def test_values_sealed_to_a_reporter_never_share_an_ephemeral_key():
    code = "ABCD-EFGH-JKMN-PQRS-TVWX"
    recipient = reporter_key(code).public_key()
    blobs = [sealing.seal_to(recipient, "答复", "reply") for _ in range(3)]
    assert len({blob[1:33] for blob in blobs}) == 3
    assert all(sealing.open_with(reporter_key(code), blob, "reply") == "答复" for blob in blobs)
    with pytest.raises(InvalidTag):
        sealing.open_with(X25519PrivateKey.generate(), blobs[0], "reply")
