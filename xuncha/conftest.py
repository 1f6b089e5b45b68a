"""Shared fixtures: a committee tree, organisations in each committee, and named personas."""

import shutil
from collections.abc import Callable, Iterator, MutableMapping
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


# The named personas of the permission tests: (role, committee key, organisation key).
PERSONAS: dict[str, tuple[str | None, str | None, str | None]] = {
    "province_office": (Role.OFFICE_STAFF, "province", None),
    "city_admin": (Role.OFFICE_ADMIN, "city", None),
    "city_office": (Role.OFFICE_STAFF, "city", None),
    "city_director": (Role.OFFICE_DIRECTOR, "city", None),
    "yuhua_office": (Role.OFFICE_STAFF, "yuhua", None),
    "yuelu_office": (Role.OFFICE_STAFF, "yuelu", None),
    "leading_group": (Role.LEADING_GROUP, "city", None),
    "discipline": (Role.DISCIPLINE_ORG, "city", None),
    "province_discipline": (Role.DISCIPLINE_ORG, "province", None),
    "org_dept": (Role.ORG_DEPT, "city", None),
    "supervisor": (Role.SUPERVISING_LEADER, "city", None),
    "committee_member": (Role.COMMITTEE_MEMBER, "city", None),
    "unit_liaison": (Role.UNIT_LIAISON, None, "syjt"),
    "unit_leader": (Role.UNIT_LEADER, None, "syjt"),
    "functional_dept": (Role.FUNCTIONAL_DEPT, None, "syjt"),
    "sys_admin": (Role.SYS_ADMIN, None, None),
    "sec_admin": (Role.SEC_ADMIN, None, None),
    "sec_auditor": (Role.SEC_AUDITOR, None, None),
    "no_role": (None, None, None),
}


class Personas(MutableMapping[str, User]):
    """The personas, each created the first time a test names it (iterating creates them all).

    A test that uses two personas pays for two accounts, not seventeen; fixtures may add their own
    (a team's accounts) with `update`."""

    def __init__(self, make_user: MakeUser, committees: dict[str, Committee], orgs: dict[str, Organization]) -> None:
        self._make, self._committees, self._orgs = make_user, committees, orgs
        self._made: dict[str, User] = {}

    def __getitem__(self, name: str) -> User:
        if name not in self._made:
            if name not in PERSONAS:
                raise KeyError(name)
            role, committee, org = PERSONAS[name]
            self._made[name] = self._make(
                name, role, self._committees[committee] if committee else None, self._orgs[org] if org else None
            )
        return self._made[name]

    def __setitem__(self, name: str, user: User) -> None:
        self._made[name] = user

    def __delitem__(self, name: str) -> None:
        raise TypeError("personas are not removed")

    def __iter__(self) -> Iterator[str]:
        return iter([*PERSONAS, *(n for n in self._made if n not in PERSONAS)])

    def __len__(self) -> int:
        return len(set(PERSONAS) | set(self._made))


@pytest.fixture
def personas(make_user: MakeUser, committees: dict[str, Committee], orgs: dict[str, Organization]) -> Personas:
    """The named personas of the permission tests, made on first use."""
    return Personas(make_user, committees, orgs)


@pytest.fixture
def all_personas(personas: Personas) -> Personas:
    """Every persona made before the test starts: for a test that signs in by user name through the
    form, or counts the events and rows that making an account leaves."""
    for name in PERSONAS:
        personas[name]
    return personas


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
