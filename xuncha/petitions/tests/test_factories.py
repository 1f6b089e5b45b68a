"""The factories reach their states the way users do: through the services and the transition engine."""

import time_machine

from xuncha.core.models import AuditEvent, StateChange
from xuncha.petitions.choices import DISPOSITION_STATUS, Disposition, PetitionStatus
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory
from xuncha.planning.choices import AssignmentState
from xuncha.planning.models import AssignmentEvent
from xuncha.planning.tests.factories import AssignmentFactory, transitions_to

TRAITS = {
    "problem": Disposition.USE_PROBLEM,
    "clue": Disposition.USE_CLUE,
    "immediate_fix": Disposition.IMMEDIATE_FIX,
    "referred": Disposition.REFER_OUT,
    "archived": Disposition.ARCHIVE,
}


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_each_disposition_trait_is_a_decision_on_the_engine(team_world):
    fresh = PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"])
    assert fresh.status == PetitionStatus.RECEIVED and not fresh.disposition
    for trait, disposition in TRAITS.items():
        p = PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"], **{trait: True})
        assert (p.disposition, p.status) == (disposition, DISPOSITION_STATUS[disposition]), trait
        change = StateChange.objects.get(machine="petitions.petition", object_id=p.pk)
        assert change.transition == f"dispose_{disposition.value}" and change.actor_id == team_world["leader"].pk
        assert AuditEvent.objects.filter(action="petitions.disposed", object_id=str(p.pk)).count() == 1


def test_an_assignment_state_is_walked_step_by_step(committees, orgs):
    from xuncha.planning.tests.factories import RoundFactory

    round_ = RoundFactory(committee=committees["city"])
    a = AssignmentFactory(round_=round_, organization=orgs["syjt"], on_site=True)
    assert a.state == AssignmentState.ON_SITE
    steps = list(AssignmentEvent.objects.filter(assignment=a).order_by("pk").values_list("transition", flat=True))
    assert steps == transitions_to(AssignmentState.PLANNED, AssignmentState.ON_SITE)
