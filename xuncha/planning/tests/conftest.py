"""Planning fixtures: people with posts, a city pool, a round with an assignment to 市水业集团."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from xuncha.accounts.models import User
from xuncha.core.models import Committee
from xuncha.core.tests.setup import SETUP
from xuncha.orgs.choices import PostKind, Rank
from xuncha.orgs.models import Organization, Person
from xuncha.orgs.services import person_save, position_save
from xuncha.planning.choices import PoolKind
from xuncha.planning.models import Assignment, PoolMember, Round
from xuncha.planning.services.assignments import assignment_create
from xuncha.planning.services.plans import round_create
from xuncha.planning.services.pools import pool_member_link_user
from xuncha.planning.services.teams import pool_member_save

MakePerson = Callable[..., Person]


@pytest.fixture
def make_person(db: Any) -> MakePerson:
    """A person with one post (current unless `end` is given)."""
    counter = iter(range(1, 10_000))

    def make(
        name: str,
        org: Organization,
        title: str = "干部",
        kind: str = PostKind.STAFF,
        start: date = date(2020, 1, 1),
        end: date | None = None,
    ) -> Person:
        person, _ = person_save(actor=SETUP, person_code=f"T-{next(counter):04d}", name=name)
        position_save(
            actor=SETUP,
            person=person,
            organization=org,
            title=title,
            post_kind=kind,
            rank=Rank.SECTION,
            start_date=start,
            end_date=end,
        )
        return person

    return make


@pytest.fixture
def city_round(committees: dict[str, Committee]) -> Round:
    return round_create(
        actor=SETUP,
        committee=committees["city"],
        year=2024,
        seq_no=1,
        start_date=date(2024, 10, 8),
        end_date=date(2024, 12, 31),
    )


@pytest.fixture
def syjt_assignment(city_round: Round, orgs: dict[str, Organization]) -> Assignment:
    return assignment_create(
        actor=SETUP,
        round_=city_round,
        organization=orgs["syjt"],
        inspection_type="regular",
        planned_entry=date(2024, 10, 8),
    )


@pytest.fixture
def syjt_head(make_person: MakePerson, orgs: dict[str, Organization]) -> Person:
    return make_person("李建国", orgs["syjt"], "党委书记、董事长", PostKind.TOP_LEADER, date(2019, 5, 1))


def pool_add(committee: Committee, person: Person, kind: str = PoolKind.TALENT, skills: tuple[str, ...] = ()) -> None:
    pool_member_save(actor=SETUP, committee=committee, person=person, kind=kind, skills=list(skills))


def link_account(actor: User, person: Person, username: str) -> User:
    """An account of `person`'s own (its full name is the person's), linked to their pool entry by `actor`
    (an office of the pool's committee) through the one linking service."""
    user = User.objects.create_user(username=username, password="Test-Passw0rd!x", full_name=person.name)
    pool_member_link_user(actor=actor, member=PoolMember.objects.get(person=person), user=user)
    return User.objects.get(pk=user.pk)
