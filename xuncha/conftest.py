"""Shared fixtures: a committee tree, organisations in each committee, and named personas."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from xuncha.accounts.models import User
from xuncha.accounts.services import role_grant_add
from xuncha.core.models import Committee
from xuncha.core.models.committee import CommitteeLevel
from xuncha.core.roles import Role
from xuncha.core.services import committee_create
from xuncha.core.tests.setup import SETUP
from xuncha.orgs.choices import OrgLevel, PartyOrgType
from xuncha.orgs.models import Organization
from xuncha.orgs.services import organization_save

PASSWORD = "Test-Passw0rd!x"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def audit_anchor_dir(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each test's audit chain starts afresh, so its checkpoints go to a directory of its own."""
    directory = tmp_path_factory.mktemp("audit_anchor")
    settings.AUDIT_ANCHOR_DIR = str(directory)
    return directory


@pytest.fixture
def committees(db: Any) -> dict[str, Committee]:
    """湖南省委 → 长沙市委 → 雨花区委 / 岳麓区委."""
    province = committee_create(actor=SETUP, name="中共湖南省委", short_name="湖南省委", level=CommitteeLevel.PROVINCE)
    city = committee_create(
        actor=SETUP, name="中共长沙市委", short_name="长沙市委", level=CommitteeLevel.CITY, parent=province
    )
    yuhua = committee_create(
        actor=SETUP, name="中共雨花区委", short_name="雨花区委", level=CommitteeLevel.COUNTY, parent=city
    )
    yuelu = committee_create(
        actor=SETUP, name="中共岳麓区委", short_name="岳麓区委", level=CommitteeLevel.COUNTY, parent=city
    )
    return {"province": province, "city": city, "yuhua": yuhua, "yuelu": yuelu}


def _org(code: str, name: str, level: str, committee: Committee, parent: Organization | None = None) -> Organization:
    org, _ = organization_save(
        actor=SETUP,
        org_code=code,
        name=name,
        level=level,
        party_org_type=PartyOrgType.COMMITTEE,
        managed_by=committee,
        parent=parent,
    )
    return org


@pytest.fixture
def orgs(committees: dict[str, Committee]) -> dict[str, Organization]:
    """One unit per committee: 市水业集团 (city), 跳马镇 (雨花区), 岳麓街道 (岳麓区)."""
    cs = _org("CS", "长沙市", OrgLevel.CITY, committees["province"])
    syjt = _org("CS-SYJT", "长沙市水业集团有限公司", OrgLevel.SOE, committees["city"], cs)
    yh = _org("YH", "长沙市雨花区", OrgLevel.COUNTY, committees["city"], cs)
    tiaoma = _org("YH-TMZ", "雨花区跳马镇", OrgLevel.TOWNSHIP, committees["yuhua"], yh)
    village = _org("YH-TMZ-C01", "跳马镇跳马村", OrgLevel.VILLAGE, committees["yuhua"], tiaoma)
    yl = _org("YL", "长沙市岳麓区", OrgLevel.COUNTY, committees["city"], cs)
    yljd = _org("YL-YLJD", "岳麓区岳麓街道", OrgLevel.STREET, committees["yuelu"], yl)
    return {"cs": cs, "syjt": syjt, "yh": yh, "tiaoma": tiaoma, "village": village, "yl": yl, "yljd": yljd}


MakeUser = Callable[..., User]


def bind_totp(user: User) -> str:
    """Give `user` a confirmed authenticator and return its secret (to compute codes in a sign-in test)."""
    import pyotp

    from xuncha.accounts.services import totp_bind_known_secret

    secret = pyotp.random_base32()
    totp_bind_known_secret(actor=SETUP, user=user, secret=secret)
    return secret


def enrolment_secret(client: Client, username: str) -> str:
    """The secret the enrolment page offered (sealed in the session, as it is in the database)."""
    from xuncha.core.totp_keys import open_totp_secret

    return open_totp_secret(User.objects.get(username=username).pk, client.session["totp_enrol_secret"])


@pytest.fixture
def make_user(db: Any) -> MakeUser:
    """Create a user holding one role (for a committee or an organisation)."""

    def make(username: str, role: str | None = None, committee: Committee | None = None, org: Any = None) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
        if role:
            role_grant_add(actor=SETUP, user=user, role=role, committee=committee, organization=org)
        return User.objects.get(pk=user.pk)

    return make


@pytest.fixture
def personas(make_user: MakeUser, committees: dict[str, Committee], orgs: dict[str, Organization]) -> dict[str, User]:
    """The named personas of the permission tests."""
    return {
        "province_office": make_user("province_office", Role.OFFICE_STAFF, committees["province"]),
        "city_admin": make_user("city_admin", Role.OFFICE_ADMIN, committees["city"]),
        "city_office": make_user("city_office", Role.OFFICE_STAFF, committees["city"]),
        "yuhua_office": make_user("yuhua_office", Role.OFFICE_STAFF, committees["yuhua"]),
        "yuelu_office": make_user("yuelu_office", Role.OFFICE_STAFF, committees["yuelu"]),
        "leading_group": make_user("leading_group", Role.LEADING_GROUP, committees["city"]),
        "discipline": make_user("discipline", Role.DISCIPLINE_ORG, committees["city"]),
        "org_dept": make_user("org_dept", Role.ORG_DEPT, committees["city"]),
        "supervisor": make_user("supervisor", Role.SUPERVISING_LEADER, committees["city"]),
        "committee_member": make_user("committee_member", Role.COMMITTEE_MEMBER, committees["city"]),
        "unit_liaison": make_user("unit_liaison", Role.UNIT_LIAISON, org=orgs["syjt"]),
        "unit_leader": make_user("unit_leader", Role.UNIT_LEADER, org=orgs["syjt"]),
        "functional_dept": make_user("functional_dept", Role.FUNCTIONAL_DEPT, org=orgs["syjt"]),
        "sys_admin": make_user("sys_admin", Role.SYS_ADMIN),
        "sec_admin": make_user("sec_admin", Role.SEC_ADMIN),
        "sec_auditor": make_user("sec_auditor", Role.SEC_AUDITOR),
        "no_role": make_user("no_role"),
    }


@pytest.fixture
def login(client: Client) -> Callable[[User | None], Client]:
    """A client signed in as the given persona (anonymous for None)."""

    def as_user(user: User | None) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_user


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield b
        b.close()
        # While Playwright's event loop runs in this thread, Django keeps its connections per context
        # (asgiref), apart from the thread's own: close them here, or the test database cannot be dropped.
        from django.db import connections

        connections.close_all()
