"""The petition status machine on the core transition engine (domain.md §5.5).

Reasons given for a move are confidential: the engine records that one was given, and the service
keeps the text sealed as an internal note.
"""

from xuncha.core.transitions import Machine
from xuncha.petitions.choices import MANUAL_TRANSITIONS, PETITION_TRANSITIONS, TEAM, PetitionStatus

PETITION_MACHINE = Machine(
    name="petitions.petition",
    field_name="status",
    states=PetitionStatus,
    transitions=PETITION_TRANSITIONS,
    capacity_labels={TEAM: "承担该巡察任务的巡察组"},
    describe=lambda p: f"信访件 {p.number}",
    reasons_in_clear=False,
)


def manual_targets(status: str) -> list[tuple[str, str]]:
    """(target, label) of the moves the team may make by hand from `status`."""
    return [
        (t.target, PetitionStatus(t.target).label)
        for t in PETITION_MACHINE.available(status)
        if t.code in MANUAL_TRANSITIONS
    ]
