"""Team capacities (ADR 0014): who links an account to a pool entry, and what a link alone does not give.

A capacity on an assignment's team needs the account's link to a person, that person on the team's
roster and the person's 一次一授权 for the assignment in force; a 三员 account never has one."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from xuncha.accounts.models import User
from xuncha.accounts.services import role_grant_add
from xuncha.core.models import AuditEvent
from xuncha.core.roles import Role
from xuncha.core.tests.setup import SETUP
from xuncha.petitions.decisions.todos import petition_todos
from xuncha.petitions.intake.services import identity_reveal
from xuncha.petitions.permissions import can_reveal, is_on_team, petitions_visible
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory
from xuncha.planning.models import Authorization, PoolMember
from xuncha.planning.permissions import assignments_visible, team_capacities
from xuncha.planning.services.assignments import assignment_authorize
from xuncha.planning.services.pools import pool_member_link_user, pool_member_unlink_user
from xuncha.planning.tests.conftest import pool_add

pytestmark = pytest.mark.usefixtures("time_travel")


@pytest.fixture
def time_travel():
    with time_machine.travel(ON_SITE_DAY, tick=False):
        yield


@pytest.fixture
def petition(team_world):
    return PetitionFactory(
        actor=team_world["member"],
        assignment=team_world["assignment"],
        identity={"name": "钱某", "phone": "13700000000"},
    )


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _entry(user: User) -> PoolMember:
    return PoolMember.objects.select_related("person").get(user=user)


def _account(username: str, full_name: str) -> User:
    return User.objects.create_user(username=username, password="Test-Passw0rd!x", full_name=full_name)


# 1. Linking an account to a pool entry


def test_office_staff_cannot_link_their_own_account_and_then_reveal_a_reporter(team_world, personas, petition, login):
    officer_entry = _entry(team_world["petition_officer"])
    pool_member_unlink_user(actor=personas["city_admin"], member=officer_entry)
    # The attacker even carries the officer's name, so only the self-link rule stands in the way.
    office = personas["city_office"]
    User.objects.filter(pk=office.pk).update(full_name=officer_entry.person.name)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="本人账号"):
        pool_member_link_user(actor=_fresh(office), member=officer_entry, user=_fresh(office))
    page = login(office).post(f"/planning/pools/{officer_entry.pk}/account/", {"username": office.username})
    assert page.status_code == 403 and "不能为本人账号关联" in page.content.decode()
    officer_entry.refresh_from_db()
    assert officer_entry.user_id is None and AuditEvent.objects.count() == before
    with pytest.raises(PermissionDenied):
        identity_reveal(actor=_fresh(office), petition=petition, reason="电话联系核实情况")
    reveal = login(office).post(f"/petitions/{petition.pk}/", {"action": "reveal", "reason": "电话联系核实情况"})
    assert "钱某" not in reveal.content.decode()
    assert not AuditEvent.objects.filter(action="petitions.identity_reveal").exists()


def test_the_account_must_be_the_persons_own(team_world, personas, committees, orgs, make_person):
    entry = _entry(team_world["petition_officer"])
    admin = personas["city_admin"]
    pool_member_unlink_user(actor=admin, member=entry)
    with pytest.raises(ValidationError, match="不一致"):
        pool_member_link_user(actor=admin, member=entry, user=_account("someone", "王五"))
    namesake = make_person(entry.person.name, orgs["cs"])
    pool_add(committees["city"], namesake)
    theirs = _account("namesake", entry.person.name)
    pool_member_link_user(actor=admin, member=PoolMember.objects.get(person=namesake), user=theirs)
    with pytest.raises(ValidationError, match="已关联库内人员"):  # a namesake's account stays the namesake's
        pool_member_link_user(actor=admin, member=entry, user=_fresh(theirs))
    entry.refresh_from_db()
    assert entry.user_id is None
    own = _account("officer2", f" {entry.person.name} ")
    pool_member_link_user(actor=admin, member=entry, user=own)
    entry.refresh_from_db()
    assert entry.user_id == own.pk
    with pytest.raises(ValidationError, match="已关联其他平台账号"):  # one person, one account
        pool_member_link_user(actor=admin, member=entry, user=_account("officer3", entry.person.name))
    event = AuditEvent.objects.filter(action="planning.pool_link_user").latest("pk")
    assert event.summary == f"{entry.person.name}关联平台账号officer2"


@pytest.mark.parametrize("role", [Role.SYS_ADMIN, Role.SEC_ADMIN, Role.SEC_AUDITOR])
def test_a_three_admin_account_is_never_linked(team_world, personas, role):
    entry = _entry(team_world["petition_officer"])
    pool_member_unlink_user(actor=personas["city_admin"], member=entry)
    admin_account = _account(f"{role}-2", entry.person.name)
    role_grant_add(actor=SETUP, user=admin_account, role=role)
    with pytest.raises(ValidationError, match="三员"):
        pool_member_link_user(actor=personas["city_admin"], member=entry, user=_fresh(admin_account))
    entry.refresh_from_db()
    assert entry.user_id is None


@pytest.mark.parametrize("who", ["yuhua_office", "leading_group", "org_dept", "discipline", "sys_admin", "leader"])
def test_only_the_office_of_the_pools_committee_or_above_links(team_world, personas, who):
    entry = _entry(team_world["petition_officer"])
    pool_member_unlink_user(actor=personas["city_admin"], member=entry)
    own = _account("officer2", entry.person.name)
    with pytest.raises(PermissionDenied, match="巡察办"):
        pool_member_link_user(actor=_fresh(personas[who]), member=entry, user=own)
    entry.refresh_from_db()
    assert entry.user_id is None
    pool_member_link_user(actor=personas["province_office"], member=entry, user=own)  # an upper office may
    entry.refresh_from_db()
    assert entry.user_id == own.pk


def test_the_holder_cannot_unlink_their_own_account(team_world, personas):
    entry = _entry(team_world["leader"])
    with pytest.raises(PermissionDenied):
        pool_member_unlink_user(actor=_fresh(team_world["leader"]), member=entry)
    entry.refresh_from_db()
    assert entry.user_id == team_world["leader"].pk


def test_the_office_links_and_unlinks_on_the_account_page_and_the_entry_form_cannot(team_world, personas, login):
    entry = _entry(team_world["petition_officer"])
    mark = AuditEvent.objects.latest("pk").pk
    client = login(personas["city_admin"])
    assert client.post(f"/planning/pools/{entry.pk}/account/", {"username": ""}).status_code == 302
    entry.refresh_from_db()
    assert entry.user_id is None
    own = _account("officer2", entry.person.name)
    form = {"person_code": entry.person.person_code, "committee": entry.committee_id, "kind": entry.kind,
            "available": "on", "username": own.username}  # fmt: skip
    assert client.post(f"/planning/pools/{entry.pk}/edit/", form).status_code == 302
    entry.refresh_from_db()
    assert entry.user_id is None  # the entry form carries no account any more
    assert client.post(f"/planning/pools/{entry.pk}/account/", {"username": own.username}).status_code == 302
    entry.refresh_from_db()
    assert entry.user_id == own.pk
    done = AuditEvent.objects.filter(pk__gt=mark, action__startswith="planning.pool_").order_by("pk")
    assert list(done.values_list("action", flat=True)) == [
        "planning.pool_unlink_user", "planning.pool_update", "planning.pool_link_user",
    ]  # fmt: skip


# 2. A capacity needs the roster and the authorisation


def test_a_link_without_the_assignments_authorisation_gives_no_capacity(team_world, personas, petition, login):
    officer, assignment = team_world["petition_officer"], team_world["assignment"]
    person = _entry(officer).person
    # The state of someone on the roster whom the assignment's 一次一授权 does not name.
    Authorization.objects.filter(assignment=assignment, person=person).delete()
    officer = _fresh(officer)
    assert not can_reveal(officer, petition) and not is_on_team(officer, petition)
    assert not petitions_visible(officer).exists() and not assignments_visible(officer).exists()
    with pytest.raises(PermissionDenied):
        identity_reveal(actor=officer, petition=petition, reason="电话联系核实情况")
    assert login(officer).get("/petitions/").status_code == 403
    assert login(officer).get(f"/petitions/{petition.pk}/").status_code == 403

    assignment_authorize(actor=personas["city_admin"], assignment=assignment, doc_no="长巡授〔2024〕9号")
    officer = _fresh(officer)
    assert can_reveal(officer, petition) and list(petitions_visible(officer)) == [petition]
    assert identity_reveal(actor=officer, petition=petition, reason="电话联系核实情况")["name"] == "钱某"
    page = (
        login(officer)
        .post(f"/petitions/{petition.pk}/", {"action": "reveal", "reason": "电话联系核实情况"})
        .content.decode()
    )
    assert "钱某" in page


def test_an_authorisation_dated_later_is_not_yet_in_force(team_world, petition):
    assignment = team_world["assignment"]
    Authorization.objects.filter(assignment=assignment).update(authorized_on=date(2024, 10, 16))
    leader = _fresh(team_world["leader"])
    assert team_capacities(leader) == {} and not can_reveal(leader, petition)
    with time_machine.travel("2024-10-16 10:00:00+08:00", tick=False):
        assert can_reveal(_fresh(leader), petition)


def test_the_leaders_authorisation_does_not_carry_to_another_teams_assignment(team_world, petition):
    other_leader = _fresh(team_world["other_team"])
    assert set(team_capacities(other_leader)) == {team_world["other"].pk}
    assert not can_reveal(other_leader, petition) and not petitions_visible(other_leader).exists()


# 3. The 三员 exclusion holds through a link


@pytest.mark.parametrize("role", ["sys_admin", "sec_admin", "sec_auditor"])
def test_a_three_admin_account_linked_past_the_services_gets_nothing(team_world, personas, petition, login, role):
    account = personas[role]
    # A database-level tamper (the link service refuses 三员 accounts): the only way such a link exists.
    PoolMember.objects.filter(user=team_world["petition_officer"]).update(user=account)
    PoolMember.objects.filter(user=team_world["leader"]).update(user=account)
    account = _fresh(account)
    assert team_capacities(account) == {}
    assert not petitions_visible(account).exists() and petitions_visible(account).count() == 0
    assert petition_todos(account) == []
    assert not is_on_team(account, petition) and not can_reveal(account, petition)
    with pytest.raises(PermissionDenied):
        identity_reveal(actor=account, petition=petition, reason="电话联系核实情况")
    client = login(account)
    assert client.get("/petitions/").status_code == 403
    assert client.post("/petitions/export.xlsx").status_code == 403
    detail = client.post(f"/petitions/{petition.pk}/", {"action": "reveal", "reason": "电话联系核实情况"})
    assert detail.status_code == 403 and "反映某科长" not in detail.content.decode()
    assert not AuditEvent.objects.filter(action__in=["petitions.identity_reveal", "petitions.export"]).exists()
