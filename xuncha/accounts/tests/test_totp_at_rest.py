"""TOTP secrets at rest: sealed under a key outside the database, bound to their user."""

import base64
import importlib
import os
import re
from pathlib import Path

import pyotp
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from xuncha.accounts.models import User
from xuncha.accounts.services import totp_verify
from xuncha.conftest import PASSWORD, bind_totp
from xuncha.core import totp_keys

BASE32 = re.compile(r"[A-Z2-7]{16,}")


@pytest.fixture
def own_key(settings, tmp_path):
    """This deployment's key file; tests then swap in another one (a copied database elsewhere)."""
    path = tmp_path / "totp.key"
    path.write_text(base64.b64encode(os.urandom(32)).decode())
    settings.TOTP_KEY_FILE = str(path)
    totp_keys.reset_key()
    yield path
    totp_keys.reset_key()


def _stored(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_the_database_row_holds_no_base32_secret(own_key, personas) -> None:
    secret = bind_totp(personas["city_office"])
    stored = _stored(personas["city_office"])
    assert stored.startswith("v1:") and secret not in stored
    assert not BASE32.search(stored.removeprefix("v1:"))
    assert not BASE32.search(base64.b64decode(stored.removeprefix("v1:")).decode("latin-1"))
    totp_verify(user=User.objects.get(pk=personas["city_office"].pk), code=pyotp.TOTP(secret).now())


def test_the_secret_waiting_for_enrolment_is_sealed_in_the_session_row_too(own_key, personas, all_personas) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "city_office", "password": PASSWORD})
    client.get("/accounts/login/verify/")
    page_secret = re.search(r"<code>([A-Z2-7]+)</code>", client.get("/accounts/login/verify/").content.decode())
    assert page_secret
    rows = "".join(s.get_decoded().get("totp_enrol_secret", "") for s in Session.objects.all())
    assert rows.startswith("v1:") and page_secret.group(1) not in rows


def test_a_copy_of_the_database_without_the_key_file_cannot_verify_a_code(
    own_key, personas, settings, tmp_path
) -> None:
    secret = bind_totp(personas["city_office"])
    # Elsewhere, with the rows but not the key: a configured key of its own, or a generated one.
    other = tmp_path / "other.key"
    other.write_text(base64.b64encode(os.urandom(32)).decode())
    settings.TOTP_KEY_FILE = str(other)
    totp_keys.reset_key()
    with pytest.raises(ValidationError, match="动态口令不正确"):
        totp_verify(user=User.objects.get(pk=personas["city_office"].pk), code=pyotp.TOTP(secret).now())
    settings.TOTP_KEY_FILE, settings.KEY_DIR = "", tmp_path / "elsewhere"
    totp_keys.reset_key()
    with pytest.raises(ValidationError, match="动态口令不正确"):
        totp_verify(user=User.objects.get(pk=personas["city_office"].pk), code=pyotp.TOTP(secret).now())
    # Back with its key, the same code step is still unused and passes.
    settings.TOTP_KEY_FILE = str(own_key)
    totp_keys.reset_key()
    totp_verify(user=User.objects.get(pk=personas["city_office"].pk), code=pyotp.TOTP(secret).now())


def test_a_sealed_secret_copied_onto_another_account_opens_nothing(own_key, personas) -> None:
    secret = bind_totp(personas["city_office"])
    bind_totp(personas["city_admin"])
    User.objects.filter(pk=personas["city_admin"].pk).update(totp_secret=_stored(personas["city_office"]))
    with pytest.raises(ValidationError):
        totp_verify(user=User.objects.get(pk=personas["city_admin"].pk), code=pyotp.TOTP(secret).now())


def test_the_data_migration_seals_clear_text_secrets(own_key, personas) -> None:
    migration = importlib.import_module("xuncha.accounts.migrations.0004_totp_secret_sealed")
    secret = pyotp.random_base32()
    User.objects.filter(pk=personas["city_office"].pk).update(totp_secret=secret)
    migration.seal_existing(apps, None)
    migration.seal_existing(apps, None)  # a second run leaves sealed values alone
    stored = _stored(personas["city_office"])
    assert stored.startswith("v1:") and secret not in stored
    assert totp_keys.open_totp_secret(personas["city_office"].pk, stored) == secret
    migration.open_existing(apps, None)
    assert _stored(personas["city_office"]) == secret


def test_the_generated_key_lives_apart_from_the_sqlite_file() -> None:
    import config.settings as configured

    # The demo's database file (the test database itself is in memory).
    database = Path(configured.VAR_DIR) / "xuncha.sqlite3"
    key_dir = totp_keys.local_key_path().parent
    assert key_dir != database.parent and Path(settings.VAR_DIR) not in key_dir.parents
    assert key_dir == Path(settings.KEY_DIR)
