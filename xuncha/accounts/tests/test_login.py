"""Sign-in: argon2, lock-out, TOTP for office roles, one-time codes, 三员 separation."""

import pyotp
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from xuncha.accounts.models import User
from xuncha.accounts.services import role_grant_add
from xuncha.conftest import PASSWORD, bind_totp, enrolment_secret
from xuncha.core.models import AuditEvent
from xuncha.core.roles import Role
from xuncha.core.tests.setup import SETUP


def _post_login(client: Client, username: str, password: str = PASSWORD) -> object:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2_in_production_settings(settings: object, db: object) -> None:
    import config.settings as configured
    from xuncha.accounts.services import user_create

    # The autouse fixture swapped in a fast hasher; put the configured list back.
    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS  # type: ignore[attr-defined]
    user = user_create(actor=SETUP, username="hash_check", full_name="检查", password=PASSWORD)
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_a_unit_liaison_signs_in_with_password_only(client: Client, personas: dict, all_personas) -> None:
    response = _post_login(client, "unit_liaison")
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert "工作台" in home.content.decode()
    assert AuditEvent.objects.filter(action="accounts.login", actor=personas["unit_liaison"]).exists()


def test_a_wrong_password_gives_a_generic_chinese_error(client: Client, personas: dict) -> None:
    response = _post_login(client, "unit_liaison", "wrong-password")
    assert "用户名或密码不正确" in response.content.decode()
    unknown = _post_login(client, "nobody", "wrong-password")
    assert "用户名或密码不正确" in unknown.content.decode()


def test_an_office_user_is_not_signed_in_until_the_totp_code(client: Client, personas: dict, all_personas) -> None:
    response = _post_login(client, "city_office")
    assert response["Location"] == "/accounts/login/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still anonymous
    page = client.get("/accounts/login/verify/").content.decode()
    assert "绑定动态口令" in page and "<svg" in page
    secret = enrolment_secret(client, "city_office")
    bad = client.post("/accounts/login/verify/", {"code": "000000"})
    assert "动态口令不正确" in bad.content.decode()
    ok = client.post("/accounts/login/verify/", {"code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(personas["city_office"].pk)
    assert User.objects.get(username="city_office").totp_confirmed_at is not None


def test_a_totp_code_is_accepted_once_only(client: Client, personas: dict) -> None:
    secret = bind_totp(personas["city_office"])
    code = pyotp.TOTP(secret).now()
    _post_login(client, "city_office")
    assert client.post("/accounts/login/verify/", {"code": code}).status_code == 302
    client.logout()
    _post_login(client, "city_office")
    replay = client.post("/accounts/login/verify/", {"code": code})
    assert replay.status_code == 200 and "已使用过" in replay.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_expire_when_idle_and_when_the_browser_closes() -> None:
    assert settings.SESSION_COOKIE_AGE <= 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_three_admin_roles_cannot_be_combined(personas: dict, committees: dict) -> None:
    with pytest.raises(ValidationError, match="三员"):
        role_grant_add(actor=SETUP, user=personas["sys_admin"], role=Role.SEC_AUDITOR)
    with pytest.raises(ValidationError, match="三员"):
        role_grant_add(actor=SETUP, user=personas["sys_admin"], role=Role.OFFICE_STAFF, committee=committees["city"])
    with pytest.raises(ValidationError, match="三员"):
        role_grant_add(actor=SETUP, user=personas["city_office"], role=Role.SEC_ADMIN)


def test_committee_roles_need_a_committee(personas: dict) -> None:
    with pytest.raises(ValidationError, match="派出党委"):
        role_grant_add(actor=SETUP, user=personas["no_role"], role=Role.OFFICE_STAFF)


def test_logout_needs_post_and_ends_the_session(client: Client, personas: dict) -> None:
    client.force_login(personas["unit_liaison"])
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
