"""Generated keys live apart from the data directory, and a key an older checkout left in var/ moves there."""

from pathlib import Path

from xuncha.core import keyfiles, sealing


def test_a_generated_key_is_made_outside_var_and_a_legacy_one_is_moved_not_copied(settings, tmp_path):
    settings.VAR_DIR, settings.KEY_DIR = tmp_path / "var", tmp_path / "keys"
    (tmp_path / "var").mkdir()
    legacy = tmp_path / "var" / "petition_private.key"
    legacy.write_text("old-key")
    path = keyfiles.local_key_path("petition_private.key")
    assert path == tmp_path / "keys" / "petition_private.key" and path.read_text() == "old-key"
    assert not legacy.exists() and (path.parent.stat().st_mode & 0o777) == 0o700

    settings.PETITION_LOCAL_KEYS, settings.PETITION_PRIVATE_KEY_FILE, settings.PETITION_PUBLIC_KEY = True, "", ""
    settings.KEY_DIR = tmp_path / "fresh-keys"
    sealing.reset_keys()
    try:
        sealing.seal("演示", "content")
        made = [p.name for p in Path(settings.KEY_DIR).iterdir()]
        assert made == ["petition_private.key"]
        assert not any(p.name.endswith(".key") for p in Path(settings.VAR_DIR).rglob("*"))
    finally:
        sealing.reset_keys()
