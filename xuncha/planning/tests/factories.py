"""factory_boy factories for planning, built only through the services.

A state is reached the way a user reaches it: `AssignmentFactory(state=AssignmentState.ON_SITE)` staffs
the assignment (a team, an authorised leader, every recusal settled) and then performs each lifecycle
transition on the engine, so the events, the computed calendar and the audit chain are the ones a real
inspection leaves. No test forces a state with `.update()`.
"""

from collections import deque
from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from xuncha.core.models import Committee
from xuncha.core.tests.setup import SETUP
from xuncha.orgs.choices import OrgLevel, PartyOrgType, PostKind, Rank
from xuncha.orgs.models import Organization, Person
from xuncha.orgs.services import organization_save, person_save, position_save
from xuncha.planning.choices import ASSIGNMENT_TRANSITIONS, AssignmentState, PoolKind, TeamRole
from xuncha.planning.models import AnnualPlan, Assignment, Round, Team
from xuncha.planning.services.assignments import (
    assignment_authorize,
    assignment_create,
    assignment_set_team,
    assignment_transition,
)
from xuncha.planning.services.plans import approval_transition, round_create
from xuncha.planning.services.teams import pool_member_save, team_create, team_member_add

# The lifecycle's forward moves (no return, no cancellation): the path a factory walks to a state.
_FORWARD = [t for t in ASSIGNMENT_TRANSITIONS.values() if t.code not in {"return_report", "cancel"}]


def transitions_to(current: str, target: str) -> list[str]:
    """The shortest sequence of forward transition codes from `current` to `target` (empty if equal)."""
    paths: deque[tuple[str, list[str]]] = deque([(current, [])])
    seen = {current}
    while paths:
        state, path = paths.popleft()
        if state == target:
            return path
        for t in _FORWARD:
            if state in t.sources and t.target not in seen:
                seen.add(t.target)
                paths.append((t.target, [*path, t.code]))
    if target == AssignmentState.CANCELLED:
        return ["cancel"]
    raise ValueError(f"no forward path from {current} to {target}")


class OrganizationFactory(factory.Factory):
    class Meta:
        model = Organization

    org_code = factory.Sequence(lambda n: f"F-{n:04d}")
    name = factory.Sequence(lambda n: f"测试单位{n:04d}")
    level = OrgLevel.SOE
    party_org_type = PartyOrgType.COMMITTEE
    managed_by: Any = None
    parent: Any = None

    @classmethod
    def _create(cls, model_class: type[Organization], **kwargs: Any) -> Organization:
        org, _ = organization_save(actor=SETUP, **kwargs)
        return org


class PersonFactory(factory.Factory):
    """A person with one current post in `organization`."""

    class Meta:
        model = Person

    person_code = factory.Sequence(lambda n: f"FP-{n:05d}")
    name = factory.Sequence(lambda n: f"测试人员{n:04d}")
    organization: Any = None
    title = "干部"
    post_kind = PostKind.STAFF

    @classmethod
    def _create(cls, model_class: type[Person], **kwargs: Any) -> Person:
        organization, title, post_kind = kwargs.pop("organization"), kwargs.pop("title"), kwargs.pop("post_kind")
        person, _ = person_save(actor=SETUP, **kwargs)
        if organization is not None:
            position_save(
                actor=SETUP,
                person=person,
                organization=organization,
                title=title,
                post_kind=post_kind,
                rank=Rank.SECTION,
                start_date=date(2020, 1, 1),
            )
        return person


class RoundFactory(factory.Factory):
    class Meta:
        model = Round

    committee: Any = None
    year = 2024
    seq_no = factory.Sequence(lambda n: n + 1)
    start_date = date(2024, 10, 8)
    end_date = date(2024, 12, 31)

    @classmethod
    def _create(cls, model_class: type[Round], **kwargs: Any) -> Round:
        return round_create(actor=SETUP, **kwargs)


def staff_assignment(assignment: Assignment, *, leader: Person | None = None, team: Team | None = None) -> Team:
    """Give `assignment` a team whose leader holds this assignment's authorisation (一次一授权)."""
    committee: Committee = assignment.round.committee
    if team is None:
        team = team_create(actor=SETUP, round_=assignment.round)
    if not team.members.filter(role=TeamRole.LEADER).exists():
        if leader is None:
            # Not a cadre of the inspected unit (that would be a recusal case): a person with no post there.
            leader = PersonFactory(organization=None)
        pool_member_save(actor=SETUP, committee=committee, person=leader, kind=PoolKind.LEADER, skills=[])
        team_member_add(actor=SETUP, team=team, person=leader, role=TeamRole.LEADER)
    if assignment.team_id != team.pk:
        assignment = assignment_set_team(actor=SETUP, assignment=assignment, team=team)
    if not assignment.authorizations.exists():
        assignment_authorize(
            actor=SETUP, assignment=assignment, doc_no=f"测授〔2024〕{assignment.pk}号", on=assignment.planned_entry
        )
    return team


class AssignmentFactory(factory.Factory):
    """An assignment in `state`, reached through the services; a state past the notice staffs it first."""

    class Meta:
        model = Assignment

    round_: Any = None
    organization: Any = None
    inspection_type = "regular"
    planned_entry = date(2024, 10, 8)
    state = AssignmentState.PLANNED
    entered_on: date | None = None

    class Params:
        on_site = factory.Trait(state=AssignmentState.ON_SITE)
        notified = factory.Trait(state=AssignmentState.NOTIFIED)
        closed = factory.Trait(state=AssignmentState.CLOSED)

    @classmethod
    def _create(cls, model_class: type[Assignment], **kwargs: Any) -> Assignment:
        state, entered_on = kwargs.pop("state"), kwargs.pop("entered_on")
        team = kwargs.pop("team", None)
        assignment = assignment_create(actor=SETUP, team=team, **kwargs)
        return assignment_advance(assignment, state, entered_on=entered_on)


def assignment_advance(assignment: Assignment, state: str, *, entered_on: date | None = None) -> Assignment:
    """Staff `assignment` if its path passes the notice, then walk it to `state`.

    Every step up to the entry is dated a day before `entered_on` (default: the planned entry), the entry
    and the later steps on `entered_on`, so the calendar computed from the entry is the one a test names."""
    path = transitions_to(assignment.state, state)
    if "notify" in path:
        staff_assignment(assignment, team=assignment.team)
    entry = entered_on or assignment.planned_entry or timezone.localdate()
    for code in path:
        on = entry - timedelta(days=1) if code in {"prepare", "notify"} else entry
        assignment = assignment_transition(
            actor=SETUP, assignment=assignment, code=code, reason="测试", effective_on=on
        )
    assignment.refresh_from_db()
    return assignment


def approve(subject: AnnualPlan | Round) -> AnnualPlan | Round:
    """Take a plan or a round scheme through submission, the leading group and the standing committee."""
    for action in ("submit", "group_approve", "committee_approve"):
        approval_transition(actor=SETUP, subject=subject, action=action, opinion="同意")
    subject.refresh_from_db()
    return subject
