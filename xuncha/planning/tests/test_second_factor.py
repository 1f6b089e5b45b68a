"""Team posts that may reveal a reporter call for TOTP at sign-in, although no role grant says so."""

import pyotp
import pytest
from django.test import Client

from xuncha.accounts.models import User
from xuncha.accounts.services import requires_second_factor
from xuncha.conftest import PASSWORD, enrolment_secret
from xuncha.core.capabilities import second_factor_reasons
from xuncha.core.tests.setup import SETUP
from xuncha.planning.models import PoolMember
from xuncha.planning.services.teams import team_create, team_member_add
from xuncha.planning.tests.conftest import pool_add


@pytest.fixture
def team_accounts(committees, orgs, make_person, make_user, city_round) -> dict[str, User]:
    """A team with a leader, a petition officer and a plain member, each with an account and no role."""
    team = team_create(actor=SETUP, round_=city_round)
    accounts = {}
    for key, role, posts, kind in [
        ("t_leader", "leader", None, "leader"),
        ("t_petition", "liaison", ["petition"], "talent"),
        ("t_member", "member", ["talk"], "talent"),
    ]:
        person = make_person(f"{key}人", orgs["cs"])
        pool_add(committees["city"], person, kind, ("discipline",))
        user = make_user(key)
        PoolMember.objects.filter(person=person).update(user=user)
        team_member_add(actor=SETUP, team=team, person=person, role=role, posts=posts)
        accounts[key] = User.objects.get(pk=user.pk)
    return accounts


def test_leaders_and_petition_officers_need_a_second_factor_and_plain_members_do_not(team_accounts) -> None:
    assert second_factor_reasons(team_accounts["t_leader"]) == ["team_reveal"]
    assert requires_second_factor(team_accounts["t_leader"])
    assert requires_second_factor(team_accounts["t_petition"])
    assert not requires_second_factor(team_accounts["t_member"])
    assert not team_accounts["t_leader"].role_grants.exists()


def test_a_team_leader_without_an_office_role_enrols_totp_at_first_sign_in(team_accounts, client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "t_leader", "password": PASSWORD})
    assert response["Location"] == "/accounts/login/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # not signed in yet
    page = client.get("/accounts/login/verify/").content.decode()
    assert "绑定动态口令" in page
    secret = enrolment_secret(client, "t_leader")
    assert client.post("/accounts/login/verify/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.session["_auth_user_id"] == str(team_accounts["t_leader"].pk)
    assert User.objects.get(username="t_leader").totp_confirmed_at is not None


def test_a_plain_team_member_still_signs_in_with_the_password(team_accounts, client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "t_member", "password": PASSWORD})
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(team_accounts["t_member"].pk)
