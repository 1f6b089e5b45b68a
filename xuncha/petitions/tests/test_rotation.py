"""Rotation of the internal petition key (docs/adr/0009), the key side: a keyring, version 2 seals naming
their key, a pinned feature key, the status and the new-key command (the rewrap is in test_rewrap.py)."""

import base64
import hashlib
import io

import pytest
import time_machine
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from xuncha.core import sealing
from xuncha.core.actors import COMMAND_LINE
from xuncha.ferry.replies import PURPOSE as VIEW_PURPOSE
from xuncha.petitions.intake.receipts import reporter_key
from xuncha.petitions.intake.services import petition_process, petition_submit
from xuncha.petitions.models import PetitionSignature
from xuncha.petitions.rotation import feature_key_check, rewrap
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.triage import categories as triage

WHAT = "郑某违规收受下属单位购物卡若干，金额较大。"
SECRETS = {
    "subject": "郑某违规收受",
    "reporter name": "冯某某",
    "reporter phone": "13500000000",
    "addition": "补充：时间为今年春节前后。",
    "reply": "请于十月二十日前补充购物卡照片。",
    "note": "内部研判：线索具体可查。",
    "old note": "换钥前写下的备注：旧格式。",
    "referral result": "核实退缴购物卡款三万元。",
    "incoming report": "已查实并给予党内警告处分。",
    "attachment": "PROOF-7731-QZX",
    "second petition": "反映某所长违规收费",
}


def _key() -> tuple[str, X25519PublicKey]:
    private, public = sealing.generate_key_pair()
    return private, X25519PublicKey.from_public_bytes(base64.b64decode(public))


def _id(public: X25519PublicKey) -> bytes:
    return hashlib.sha256(public.public_bytes_raw()).digest()[:8]


# --- Seal formats and the keyring -------------------------------------------------------------


def test_a_new_seal_names_the_current_key(ring):
    a, a_pub = _key()
    ring(a)
    blob = sealing.seal("内容", "content")
    assert blob[:1] == b"\x02" and blob[1:9] == _id(a_pub)
    assert len(blob) == 1 + 8 + 32 + 12 + len('"内容"'.encode()) + 16
    assert sealing.sealed_key_id(blob) == _id(a_pub) == sealing.current_key_id()
    assert sealing.open_sealed(blob, "content") == "内容"
    with pytest.raises(InvalidTag):
        sealing.open_sealed(blob, "identity")


def test_values_sealed_before_rotation_open_after_it_in_both_versions(ring):
    a, a_pub = _key()
    b, b_pub = _key()
    ring(a)
    named = sealing.seal("换钥前（版本2）", "content")
    unnamed = sealing.seal_to(a_pub, "换钥前（版本1）", "content")  # the format before rotation existed
    assert unnamed[:1] == b"\x01" and sealing.sealed_key_id(unnamed) is None
    assert sealing.open_sealed(unnamed, "content") == "换钥前（版本1）"

    ring(b, a)  # a new current key, the old one retired below it
    assert sealing.open_sealed(named, "content") == "换钥前（版本2）"  # picked by its id
    assert sealing.open_sealed(unnamed, "content") == "换钥前（版本1）"  # tried with each key: B, then A
    after = sealing.seal("换钥后", "content")
    assert after[1:9] == _id(b_pub) and sealing.open_sealed(after, "content") == "换钥后"
    assert sealing.open_sealed(sealing.seal_to(b_pub, "版本1给新钥", "note"), "note") == "版本1给新钥"
    with pytest.raises(InvalidTag):  # each key tried, none for this purpose
        sealing.open_sealed(unnamed, "identity")
    # A key id changed to another key of the ring opens nothing (the derivation binds the recipient).
    relabelled = after[:1] + _id(a_pub) + after[9:]
    with pytest.raises(InvalidTag):
        sealing.open_sealed(relabelled, "content")

    ring(b)  # the old key removed
    with pytest.raises(sealing.KeyNotInRing, match="不在本系统的密钥文件中") as refused:
        sealing.open_sealed(named, "content")
    assert refused.value.key_id == _id(a_pub)
    with pytest.raises(InvalidTag):
        sealing.open_sealed(unnamed, "content")


def test_the_keyring_file_allows_comments_and_refuses_a_bad_line_without_repeating_it(ring, settings, tmp_path):
    a, a_pub = _key()
    b, b_pub = _key()
    ring(f"# 2025 年换钥\n{b}\n\n# 已退役\n{a}\n{b}")
    assert sealing.ring_ids() == [_id(b_pub), _id(a_pub)] and sealing.current_key_id() == _id(b_pub)
    ring(b, "not-a-key-SECRET-LOOKING-TEXT")
    with pytest.raises(ImproperlyConfigured, match="第 2 行不是有效的密钥") as refused:
        sealing.can_open()
    assert "SECRET-LOOKING" not in str(refused.value)
    ring("# 只有注释")
    with pytest.raises(ImproperlyConfigured, match="没有密钥"):
        sealing.can_open()


def test_the_local_demo_key_keeps_working(settings, tmp_path):
    settings.NODE, settings.PETITION_PRIVATE_KEY_FILE, settings.PETITION_PUBLIC_KEY = "internal", "", ""
    settings.PETITION_LOCAL_KEYS, settings.VAR_DIR, settings.PETITION_FEATURE_KEY_FILE = True, tmp_path, ""
    settings.KEY_DIR = tmp_path / "keys"
    sealing.reset_keys()
    try:
        blob = sealing.seal("演示", "content")
        local = X25519PrivateKey.from_private_bytes(
            base64.b64decode((tmp_path / "keys" / "petition_private.key").read_text())
        )
        assert blob[1:9] == _id(local.public_key()) and sealing.open_sealed(blob, "content") == "演示"
        assert sealing.open_sealed(sealing.seal_to(local.public_key(), "旧", "note"), "note") == "旧"
        assert sealing.feature_key() == sealing.derived_feature_key(local)
    finally:
        sealing.reset_keys()


def test_the_intake_node_names_the_public_key_it_was_given(settings):
    _, public = sealing.generate_key_pair()
    settings.NODE, settings.PETITION_PUBLIC_KEY, settings.PETITION_PRIVATE_KEY_FILE = "intake", public, ""
    settings.PETITION_LOCAL_KEYS = False
    sealing.reset_keys()
    try:
        blob = sealing.seal("受理节点", "content")
        assert blob[1:9] == _id(X25519PublicKey.from_public_bytes(base64.b64decode(public)))
        with pytest.raises(sealing.SealingUnavailable):
            sealing.open_sealed(blob, "content")
        with pytest.raises(sealing.SealingUnavailable):
            rewrap(actor=COMMAND_LINE)
    finally:
        sealing.reset_keys()


def test_reporters_views_stay_version_1_and_open_with_the_code(ring):
    a, _ = _key()
    ring(a)
    code = "ABCD-EFGH-JKLM-NPQR-STUV"
    view = sealing.seal_to(reporter_key(code).public_key(), {"status": "已受理"}, VIEW_PURPOSE)
    assert view[:1] == b"\x01"
    assert sealing.open_with(reporter_key(code), view, VIEW_PURPOSE) == {"status": "已受理"}
    with pytest.raises(InvalidTag):
        sealing.open_with(reporter_key("WXYZ-2345-6789-ABCD-EFGH"), view, VIEW_PURPOSE)
    # open_with also reads version 2 for its own key, and refuses one naming another key.
    private = X25519PrivateKey.from_private_bytes(base64.b64decode(a))
    named = sealing.seal("给内网", "content")
    assert sealing.open_with(private, named, "content") == "给内网"
    with pytest.raises(InvalidTag):
        sealing.open_with(reporter_key(code), named, "content")


# --- The feature key --------------------------------------------------------------------------


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_feature_key_and_a_petitions_signature_survive_rotation_and_the_old_keys_removal(team_world, ring):
    a, _ = _key()
    b, _ = _key()
    ring(a)
    # Before rotation: the derivation as it always was, from the one private key.
    raw_a = base64.b64decode(a)
    before = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xuncha", info=b"petition-features-v1").derive(raw_a)
    assert sealing.feature_key() == before
    petition, _ = petition_submit(announcement=team_world["announcement"], content={"what": WHAT})
    petition_process(petition.pk)
    stored = bytes(PetitionSignature.objects.get(petition=petition).minhash)
    learned = triage._feature("购物卡")

    ring(b, a)  # rotation: the feature key follows the oldest key, not the current one
    assert sealing.feature_key() == before and triage._feature("购物卡") == learned
    assert triage.hasher().signature(triage.dedup.shingles(WHAT)).tobytes() == stored
    assert feature_key_check() == (1, 1)
    out = io.StringIO()
    call_command("petition_keys", "new", stdout=out)
    lines = out.getvalue().splitlines()
    printed = lines[lines.index(next(x for x in lines if x.startswith("当前查重特征密钥"))) + 1]
    assert base64.b64decode(printed) == before
    assert rewrap(actor=COMMAND_LINE).rewrapped == {"信访件·反映内容": 1}

    ring(b, feature=printed)  # pinned in its own file, the old key removed after the rewrap
    assert sealing.feature_key_pinned() and sealing.feature_key() == before
    assert triage._feature("购物卡") == learned
    assert triage.hasher().signature(triage.dedup.shingles(WHAT)).tobytes() == stored
    assert feature_key_check() == (1, 1)

    ring(b)  # the old key removed WITHOUT pinning the feature key first: the status says so loudly
    assert sealing.feature_key() != before
    assert feature_key_check() == (1, 0)
    out = io.StringIO()
    call_command("petition_keys", "status", stdout=out)
    assert "与已存签名不一致" in out.getvalue()


def test_a_feature_key_file_that_is_not_a_key_is_refused(ring):
    a, _ = _key()
    ring(a, feature="short")
    with pytest.raises(ImproperlyConfigured, match="XUNCHA_PETITION_FEATURE_KEY_FILE"):
        sealing.feature_key()


# --- Rewrap -----------------------------------------------------------------------------------


def test_the_status_names_a_stale_public_key_and_the_unpinned_feature_key(ring, settings, db):
    a, _ = _key()
    b, _ = _key()
    ring(b, a)
    settings.PETITION_PUBLIC_KEY = base64.b64encode(
        X25519PrivateKey.from_private_bytes(base64.b64decode(a)).public_key().public_bytes_raw()
    ).decode()
    sealing.reset_keys()
    assert sealing.seal("x", "content")[1:9] == sealing.ring_ids()[0]  # the ring's current key, not the stale one
    out = io.StringIO()
    call_command("petition_keys", "status", stdout=out)
    text = out.getvalue()
    assert "XUNCHA_PETITION_PUBLIC_KEY 是已退役密钥" in text
    assert "删除最后一行之前，必须先" in text and "第 1 行" in text and "（当前）" in text


def test_new_prints_a_key_pair_and_the_steps(ring):
    a, _ = _key()
    ring(a)
    out = io.StringIO()
    call_command("petition_keys", "new", stdout=out)
    lines = out.getvalue().splitlines()
    private = X25519PrivateKey.from_private_bytes(base64.b64decode(lines[1]))
    public = next(x for x in lines if x.startswith("对应公钥")).split("：", 1)[1]
    assert base64.b64decode(public) == private.public_key().public_bytes_raw()
    assert f"密钥标识：{_id(private.public_key()).hex()}" in lines
    assert "第一行" in out.getvalue() and "petition_keys rewrap" in out.getvalue() and "删除旧密钥行" in out.getvalue()


# --- Bundles across a rotation ----------------------------------------------------------------
