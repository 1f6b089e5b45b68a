"""Sealed boxes: the internal key opens them; an intake node's configuration cannot."""

import pytest
from cryptography.exceptions import InvalidTag

from xuncha.petitions import sealing


@pytest.fixture
def intake_node(settings, tmp_path):
    """A node configured like the internet-facing intake: the public key only, its own var/."""
    _, public = sealing.generate_key_pair()
    settings.NODE = "intake"
    settings.PETITION_PUBLIC_KEY = public
    settings.PETITION_PRIVATE_KEY_FILE = ""
    settings.PETITION_LOCAL_KEYS = False
    settings.VAR_DIR = tmp_path
    sealing.reset_keys()
    yield public
    sealing.reset_keys()


def test_a_sealed_value_opens_only_for_its_purpose():
    sealing.reset_keys()
    blob = sealing.seal({"name": "张三", "phone": "13800000000"}, "identity")
    assert sealing.open_sealed(blob, "identity") == {"name": "张三", "phone": "13800000000"}
    assert "张三".encode() not in blob and b"13800000000" not in blob
    with pytest.raises(InvalidTag):
        sealing.open_sealed(blob, "content")
    tampered = bytearray(blob)
    tampered[-1] ^= 1
    with pytest.raises(InvalidTag):
        sealing.open_sealed(bytes(tampered), "identity")
    assert sealing.seal("同一内容", "content") != sealing.seal("同一内容", "content")


def test_the_intake_node_seals_but_cannot_open(intake_node):
    blob = sealing.seal("反映某领导违规吃喝", "content")
    assert not sealing.can_open()
    with pytest.raises(sealing.SealingUnavailable, match="本节点不持有解密密钥"):
        sealing.open_sealed(blob, "content")


def test_the_internal_key_file_opens_what_the_intake_node_sealed(settings, tmp_path):
    private, public = sealing.generate_key_pair()
    settings.NODE, settings.PETITION_PUBLIC_KEY, settings.PETITION_LOCAL_KEYS = "intake", public, False
    sealing.reset_keys()
    blob = sealing.seal("内容", "content")
    key_file = tmp_path / "petition.key"
    key_file.write_text(private)
    settings.NODE, settings.PETITION_PRIVATE_KEY_FILE = "internal", str(key_file)
    sealing.reset_keys()
    assert sealing.open_sealed(blob, "content") == "内容"
    sealing.reset_keys()
