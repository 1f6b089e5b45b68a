"""Credential resets: no administrator alone can take over an account that may reveal a reporter."""

import re
from datetime import timedelta

import pyotp
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from xuncha.accounts import resets
from xuncha.accounts.models import CredentialReset, ResetStatus, User
from xuncha.accounts.services import user_set_password
from xuncha.conftest import PASSWORD, bind_totp, enrolment_secret
from xuncha.core.models import AuditEvent
from xuncha.core.tests.setup import SETUP
from xuncha.planning.models import PoolMember
from xuncha.planning.services.teams import team_create, team_member_add
from xuncha.planning.tests.conftest import city_round, make_person, pool_add  # noqa: F401

NEW_PASSWORD = "Brand-New-Passw0rd#9"


@pytest.fixture
def leader(personas, committees, orgs, make_person, make_user, city_round) -> User:  # noqa: F811
    """A team leader (may reveal reporters) with no office role, enrolled with TOTP."""
    person = make_person("组长甲", orgs["cs"])
    pool_add(committees["city"], person, "leader", ("discipline",))
    user = make_user("team_leader")
    PoolMember.objects.filter(person=person).update(user=user)
    team_member_add(actor=SETUP, team=team_create(actor=SETUP, round_=city_round), person=person, role="leader")
    bind_totp(user)
    personas["team_leader"] = user
    return User.objects.get(pk=user.pk)


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sign_in(username: str, password: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": password})
    return client


def _temporary(html: str) -> str:
    found = re.search(r'id="temporary-password">([^<]+)<', html)
    assert found, "no temporary password on the page"
    return found.group(1)


def test_the_system_administrator_cannot_set_a_team_leaders_password_and_sign_in(personas, leader) -> None:
    """The probe's attack: set the leader's password on the user page, then sign in with it."""
    admin = _client_for(personas["sys_admin"])
    admin.post(f"/accounts/users/{leader.pk}/password/", {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    admin.post(f"/accounts/users/{leader.pk}/totp-reset/")
    attacker = _sign_in("team_leader", NEW_PASSWORD)
    assert "_auth_user_id" not in attacker.session
    assert "pending_user_id" not in attacker.session
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD) and leader.totp_confirmed_at is not None
    with pytest.raises(PermissionDenied):
        user_set_password(actor=personas["sys_admin"], user=leader, password=NEW_PASSWORD)


def test_an_office_users_totp_reset_waits_for_approval_then_clears_the_authenticator(personas) -> None:
    office = personas["city_office"]
    bind_totp(office)
    admin = _client_for(personas["sys_admin"])
    response = admin.post(f"/accounts/users/{office.pk}/reset/", {"kind": "totp", "reason": "手机丢失"})
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.totp_confirmed_at is not None and not office.must_change_password
    assert CredentialReset.objects.get(user=office).status == ResetStatus.PENDING
    User.objects.filter(pk=office.pk).update(locked_until=timezone.now() + timedelta(minutes=10))
    resets.credential_reset_approve(actor=personas["sec_admin"], reset=CredentialReset.objects.get(user=office))
    office.refresh_from_db()
    assert not office.totp_secret and not office.totp_confirmed_at and not office.is_locked
    assert office.must_change_password and office.check_password(PASSWORD)  # a TOTP reset keeps the password
    owner = _sign_in("city_office", PASSWORD)
    assert owner.get("/accounts/login/verify/")["Location"] == "/accounts/login/renew/"
    assert "重新绑定动态口令" in owner.get("/accounts/login/renew/").content.decode()


def test_a_sensitive_reset_needs_the_security_administrator_and_shows_the_password_to_the_approver_only(
    personas, leader
) -> None:
    admin = _client_for(personas["sys_admin"])
    page = admin.get(f"/accounts/users/{leader.pk}/reset/").content.decode()
    assert "安全保密管理员审批" in page
    response = admin.post(f"/accounts/users/{leader.pk}/reset/", {"kind": "password", "reason": "本人遗忘密码"})
    assert response.status_code == 302
    assert 'id="temporary-password"' not in admin.get(response["Location"]).content.decode()
    reset = CredentialReset.objects.get(user=leader)
    assert (reset.status, reset.needs_approval, reset.created_by) == (ResetStatus.PENDING, True, personas["sys_admin"])
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD) and not leader.must_change_password

    # The requester cannot approve, nor reach the decision at all.
    assert admin.post(f"/accounts/resets/{reset.pk}/approve/").status_code == 403
    security = _client_for(personas["sec_admin"])
    listing = security.get("/accounts/resets/").content.decode()
    assert "本人遗忘密码" in listing and "批准" in listing
    approved = security.post(f"/accounts/resets/{reset.pk}/approve/")
    temporary = _temporary(approved.content.decode())
    assert "no-cache" in approved["Cache-Control"] or "no-store" in approved["Cache-Control"]
    assert temporary not in security.get("/accounts/resets/").content.decode()
    assert temporary not in "".join(AuditEvent.objects.values_list("summary", flat=True))
    reset.refresh_from_db()
    assert (reset.status, reset.decided_by) == (ResetStatus.APPROVED, personas["sec_admin"])

    # The owner: temporary password, then a new password, then a new authenticator, then in.
    owner = _sign_in("team_leader", temporary)
    assert "_auth_user_id" not in owner.session
    assert owner.get("/accounts/login/verify/")["Location"] == "/accounts/login/renew/"
    assert owner.get("/")["Location"].startswith("/accounts/login/")
    same = owner.post("/accounts/login/renew/", {"password": temporary, "password2": temporary})
    assert "不能与临时密码" in same.content.decode()
    step = owner.post("/accounts/login/renew/", {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert step["Location"] == "/accounts/login/verify/"
    assert "_auth_user_id" not in owner.session
    assert "绑定动态口令" in owner.get("/accounts/login/verify/").content.decode()
    secret = enrolment_secret(owner, "team_leader")
    assert owner.post("/accounts/login/verify/", {"code": pyotp.TOTP(secret).now()})["Location"] == "/"
    assert owner.session["_auth_user_id"] == str(leader.pk)
    leader.refresh_from_db()
    assert leader.check_password(NEW_PASSWORD) and not leader.must_change_password


def test_a_rejected_or_expired_request_changes_nothing(personas, leader) -> None:
    sys_admin, sec_admin = personas["sys_admin"], personas["sec_admin"]
    reset, temporary = resets.credential_reset_request(actor=sys_admin, user=leader, kind="password", reason="核实")
    assert temporary == ""
    resets.credential_reset_reject(actor=sec_admin, reset=reset)
    with pytest.raises(ValidationError):
        resets.credential_reset_approve(actor=sec_admin, reset=reset)
    again, _ = resets.credential_reset_request(actor=sys_admin, user=leader, kind="totp", reason="再次申请")
    CredentialReset.objects.filter(pk=again.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="24 小时"):
        resets.credential_reset_approve(actor=sec_admin, reset=again)
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD) and leader.totp_confirmed_at and not leader.must_change_password
    third, _ = resets.credential_reset_request(actor=sys_admin, user=leader, kind="totp", reason="第三次")
    assert CredentialReset.objects.get(pk=again.pk).status == ResetStatus.EXPIRED
    assert third.status == ResetStatus.PENDING


def test_only_the_right_administrator_files_and_decides(personas, leader) -> None:
    sys_admin, sec_admin = personas["sys_admin"], personas["sec_admin"]
    with pytest.raises(PermissionDenied):
        resets.credential_reset_request(actor=sec_admin, user=leader, kind="password", reason="x")
    with pytest.raises(ValidationError):
        resets.credential_reset_request(actor=sys_admin, user=sys_admin, kind="password", reason="x")
    own, _ = resets.credential_reset_request(actor=sys_admin, user=sec_admin, kind="password", reason="x")
    assert own.needs_approval
    with pytest.raises(ValidationError, match="本人"):
        resets.credential_reset_approve(actor=sec_admin, reset=own)
    reset, _ = resets.credential_reset_request(actor=sys_admin, user=leader, kind="password", reason="x")
    with pytest.raises(PermissionDenied):
        resets.credential_reset_approve(actor=sys_admin, reset=reset)
    assert CredentialReset.objects.get(pk=reset.pk).status == ResetStatus.PENDING


def test_a_non_sensitive_reset_applies_at_once_and_the_owner_must_change_the_password(personas) -> None:
    liaison = personas["unit_liaison"]
    admin = _client_for(personas["sys_admin"])
    response = admin.post(f"/accounts/users/{liaison.pk}/reset/", {"kind": "password", "reason": "遗忘密码"})
    temporary = _temporary(response.content.decode())
    assert CredentialReset.objects.get(user=liaison).status == ResetStatus.APPLIED
    assert _sign_in("unit_liaison", PASSWORD).session.get("_auth_user_id") is None
    owner = _sign_in("unit_liaison", temporary)
    assert "_auth_user_id" not in owner.session
    assert owner.get("/accounts/login/renew/").status_code == 200
    done = owner.post("/accounts/login/renew/", {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done["Location"] == "/"
    assert owner.session["_auth_user_id"] == str(liaison.pk)


def test_refused_reset_pages_change_nothing(personas, leader) -> None:
    for name, user in personas.items():
        client = _client_for(user)
        filed = client.post(f"/accounts/users/{leader.pk}/reset/", {"kind": "password", "reason": "x"})
        if name != "sys_admin":
            assert filed.status_code == 403, name
    reset = CredentialReset.objects.get(user=leader)
    for name, user in personas.items():
        if name != "sec_admin":
            assert _client_for(user).post(f"/accounts/resets/{reset.pk}/approve/").status_code == 403, name
            assert _client_for(user).post(f"/accounts/resets/{reset.pk}/reject/").status_code == 403, name
    assert CredentialReset.objects.get().status == ResetStatus.PENDING
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD) and not leader.must_change_password


def test_the_user_page_offers_the_reset_request_and_shows_a_pending_one(personas, leader) -> None:
    admin = _client_for(personas["sys_admin"])
    page = admin.get(f"/accounts/users/{leader.pk}/").content.decode()
    assert f"/accounts/users/{leader.pk}/reset/" in page and "（须审批）" in page
    assert "totp-reset" not in page and "重设密码</button>" not in page
    resets.credential_reset_request(actor=personas["sys_admin"], user=leader, kind="totp", reason="手机丢失")
    assert "待安全保密管理员审批" in admin.get(f"/accounts/users/{leader.pk}/").content.decode()
    home = _client_for(personas["sec_admin"]).get("/").content.decode()
    assert "1 个账号重置申请待审批" in home and "账号重置申请" in home
