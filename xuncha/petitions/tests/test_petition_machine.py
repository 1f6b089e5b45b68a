"""One petition status machine: each disposition ends in its own status, shown distinctly on the detail
page, in the list, the export and the reporter's status page; every move is on the transition engine."""

import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from xuncha.core.models import StateChange
from xuncha.petitions.choices import PUBLIC_STATUS, Disposition, PetitionStatus, public_status
from xuncha.petitions.decisions.services import referral_update, status_set
from xuncha.petitions.machines import PETITION_MACHINE
from xuncha.petitions.models import Petition
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory

USED = {
    Disposition.USE_PROBLEM: PetitionStatus.BECAME_PROBLEM,
    Disposition.USE_CLUE: PetitionStatus.BECAME_CLUE,
    Disposition.IMMEDIATE_FIX: PetitionStatus.IMMEDIATE_FIX,
}


def test_every_status_of_the_model_is_a_state_of_the_machine_and_every_disposition_has_a_transition():
    assert set(PETITION_MACHINE.states.values) == set(PetitionStatus.values)
    for disposition in Disposition:
        assert f"dispose_{disposition.value}" in PETITION_MACHINE.transitions
    labels = {PetitionStatus(s).label for s in USED.values()}
    assert len(labels) == 3 and len({PUBLIC_STATUS[s] for s in USED.values()}) == 3


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_three_uses_end_distinct_on_every_page_and_export(team_world, personas, login):
    petitions = {}
    for disposition, status in USED.items():
        p = PetitionFactory(
            actor=team_world["leader"], assignment=team_world["assignment"], disposition=disposition,
            what=f"反映水业集团某科长违规报销（{disposition.label}）。",
        )  # fmt: skip
        assert p.status == status and p.disposition == disposition
        petitions[disposition] = p
        change = StateChange.objects.get(machine="petitions.petition", object_id=p.pk)
        assert change.transition == f"dispose_{disposition.value}" and change.to_state == status

    client = login(team_world["leader"])
    listing = client.get("/petitions/").content.decode()
    for disposition, p in petitions.items():
        detail = client.get(f"/petitions/{p.pk}/").content.decode()
        assert PetitionStatus(p.status).label in detail and disposition.label in detail
        others = [PetitionStatus(s).label for d, s in USED.items() if d != disposition]
        assert not any(f"处置：{label}" in detail for label in others)
        assert PetitionStatus(p.status).label in listing
    export = client.post("/petitions/export.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    header = [c.value for c in sheet[2]]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True)}
    for disposition, p in petitions.items():
        assert rows[p.number]["状态"] == PetitionStatus(p.status).label
        assert rows[p.number]["处置方式"] == disposition.label
    reporter_texts = {public_status(p.status, p.disposition) for p in petitions.values()}
    assert len(reporter_texts) == 3

    # Closed, each still says what it became.
    for p in petitions.values():
        status_set(actor=team_world["leader"], petition=p, status=PetitionStatus.CLOSED, reason="已办结")
    closed = Petition.objects.filter(pk__in=[p.pk for p in petitions.values()])
    assert {p.status for p in closed} == {PetitionStatus.CLOSED}
    assert len({public_status(p.status, p.disposition) for p in closed}) == 3


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_referral_closes_through_the_engine_and_a_status_reason_stays_sealed(team_world):
    from datetime import date

    p = PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"], referred=True)
    assert p.status == PetitionStatus.REFERRED
    referral_update(
        actor=team_world["leader"], referral=p.referral, result="已责令整改。", result_on=date(2024, 10, 15)
    )
    p.refresh_from_db()
    assert p.status == PetitionStatus.CLOSED and p.closed_at is not None
    assert StateChange.objects.filter(object_id=p.pk, transition="referral_result").exists()

    q = PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"])
    status_set(actor=team_world["leader"], petition=q, status=PetitionStatus.UNDER_REVIEW, reason="涉及举报人褚某某")
    change = StateChange.objects.get(object_id=q.pk, transition="review")
    assert change.reason_given and "褚某某" not in change.reason
    with pytest.raises(ValidationError, match="不能改为"):
        status_set(actor=team_world["leader"], petition=q, status=PetitionStatus.BECAME_CLUE)
