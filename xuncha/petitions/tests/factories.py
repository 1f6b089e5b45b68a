"""factory_boy factories for petitions, built only through the services.

`PetitionFactory(actor=leader, assignment=a, problem=True)` registers a letter as the team would and then
decides it on the transition engine, so the status, the state change and the audit event are the ones a
real decision leaves. A disposition trait never writes a status by hand.
"""

from datetime import date
from typing import Any

import factory

from xuncha.petitions.choices import USED_FOR_INSPECTION, Disposition
from xuncha.petitions.decisions.services import petition_dispose
from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.models import Petition


class PetitionFactory(factory.Factory):
    """A petition registered by `actor` (a team account of `assignment`), decided when `disposition` is set."""

    class Meta:
        model = Petition

    actor: Any = None
    assignment: Any = None
    channel = "letter"
    what = factory.Sequence(lambda n: f"来信反映某科长违规报销差旅费（第{n}件）。")
    extra: dict[str, str] = {}  # the other content fields (subject_name, subject_position, …)
    identity: dict[str, str] | None = None
    disposition = ""
    category = ""  # a six_disciplines code; the uses in the inspection default to 廉洁纪律
    merged_into: Petition | None = None

    class Params:
        problem = factory.Trait(disposition=Disposition.USE_PROBLEM)
        clue = factory.Trait(disposition=Disposition.USE_CLUE)
        immediate_fix = factory.Trait(disposition=Disposition.IMMEDIATE_FIX)
        referred = factory.Trait(disposition=Disposition.REFER_OUT)
        archived = factory.Trait(disposition=Disposition.ARCHIVE)
        named = factory.Trait(identity={"name": "褚某某", "phone": "13800000000"})

    @classmethod
    def _create(cls, model_class: type[Petition], **kwargs: Any) -> Petition:
        actor, disposition = kwargs.pop("actor"), kwargs.pop("disposition")
        if actor is None:
            raise ValueError("PetitionFactory needs actor=, a team account of the assignment")
        content = {"what": kwargs.pop("what"), **kwargs.pop("extra")}
        category, merged_into = kwargs.pop("category"), kwargs.pop("merged_into")
        petition = petition_register(actor=actor, content=content, **kwargs)
        if disposition:
            petition = petition_decide(actor, petition, disposition, category=category, merged_into=merged_into)
        return petition


def petition_decide(
    actor: Any, petition: Petition, disposition: str, *, category: str = "", merged_into: Petition | None = None
) -> Petition:
    """Decide `petition` as the team would, with the particulars each disposition requires."""
    extra: dict[str, Any] = {}
    if disposition in USED_FOR_INSPECTION:
        extra["category"] = category or "integrity"
    elif category:
        extra["category"] = category
    if disposition == Disposition.REFER_OUT:
        extra.update(
            receiver="市住房和城乡建设局", letter_no=f"测转〔2024〕{petition.pk}号", sent_on=date(2024, 10, 15)
        )
    if disposition == Disposition.MERGE_DUPLICATE:
        extra["merged_into"] = merged_into
    petition_dispose(actor=actor, petition=petition, disposition=disposition, **extra)
    petition.refresh_from_db()
    return petition
