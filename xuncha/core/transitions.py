"""The one transition engine: every status field of the platform moves through `transition_perform`.

A `Machine` holds a model's status field and its transitions as data: from which states, to which
state, which capacities may perform it, whether a reason is required, and which content gates must
pass first (a gate returns the refusal in Chinese, or None). The caller's app decides the actor's
capacities through its own permissions module; the engine checks the rest, writes the new state,
records who/when/why (`StateChange`, or the machine's own event model) and the audit event, all in
the caller's transaction. Refusals are `ValidationError` (state, reason, date, gate) or
`PermissionDenied` (capacity, checked first so that an outsider learns nothing of the state), always in Chinese.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from xuncha.core.actors import Actor, account_of, require_actor
from xuncha.core.audit import audit_record
from xuncha.core.models import StateChange

Gate = Callable[[Any, "Move"], str | None]


@dataclass(frozen=True)
class Transition:
    """One allowed move of a status field: who may perform it, from where, to where, on what condition."""

    code: str
    label: str
    sources: tuple[str, ...]
    target: str
    actors: tuple[str, ...] = ()
    needs_reason: bool = False
    gates: tuple[Gate, ...] = ()


@dataclass
class Move:
    """A transition being performed (what gates and record hooks see)."""

    transition: Transition
    source: str
    actor: Actor
    reason: str
    on: date
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> str:
        return self.transition.target


Recorder = Callable[[Any, Move], None]
Observer = Callable[[Any, Move], None]


def record_state_change(obj: models.Model, move: Move, *, machine: "Machine") -> None:
    """The default record of a move: a `StateChange` row."""
    person_ = account_of(move.actor)
    StateChange.objects.create(
        machine=machine.name,
        object_id=obj.pk,
        transition=move.transition.code,
        from_state=move.source,
        to_state=move.target,
        actor=person_,
        actor_label=str(move.actor)[:120],
        reason=move.reason if machine.reasons_in_clear else "",
        reason_given=bool(move.reason),
        effective_on=move.on,
    )


class Machine:
    """A status field and its transitions; `perform` is the only way its value changes."""

    def __init__(
        self,
        *,
        name: str,
        field_name: str,
        states: type[models.TextChoices],
        transitions: Iterable[Transition],
        capacity_labels: Mapping[str, str] | None = None,
        describe: Callable[[Any], str] = str,
        record: Recorder | None = None,
        audit_prefix: str | None = None,
        reasons_in_clear: bool = True,
    ) -> None:
        self.name = name
        self.field_name = field_name
        self.states = states
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.code in self.transitions:
                raise ValueError(f"{name}: transition {t.code} declared twice")
            unknown = {*t.sources, t.target} - set(states.values)
            if unknown:
                raise ValueError(f"{name}.{t.code}: unknown states {sorted(unknown)}")
            self.transitions[t.code] = t
        self.capacity_labels = dict(capacity_labels or {})
        self.describe = describe
        self.record = record
        self.audit_prefix = audit_prefix
        self.reasons_in_clear = reasons_in_clear
        self.observers: list[Observer] = []

    def add_gate(self, code: str, gate: Gate) -> None:
        """Add a content gate to transition `code`: how a higher layer puts its own condition on a lower
        layer's move (fieldwork: the 必谈 interviews before leaving the site; findings: every problem reviewed
        before the report is drafted) without the lower layer importing it. Registered in AppConfig.ready()."""
        transition = self.get(code)
        if gate not in transition.gates:
            self.transitions[code] = replace(transition, gates=(*transition.gates, gate))

    def observe(self, observer: Observer) -> None:
        """Have `observer(obj, move)` run after each move, in the same transaction: how a higher layer
        follows a lower layer's states (an announcement closing with its assignment) without an import."""
        if observer not in self.observers:
            self.observers.append(observer)

    def label(self, state: str) -> str:
        return str(self.states(state).label) if state in self.states.values else state

    def get(self, code: str) -> Transition:
        try:
            return self.transitions[code]
        except KeyError:
            raise ValidationError(f"未知的操作“{code}”。") from None

    def available(self, current: str, capacities: set[str] | None = None) -> list[Transition]:
        """The transitions open from `current` (to `capacities`, when given): what a page may offer."""
        return [
            t
            for t in self.transitions.values()
            if current in t.sources and (capacities is None or not t.actors or capacities & set(t.actors))
        ]

    def targets(self, current: str) -> set[str]:
        return {t.target for t in self.transitions.values() if current in t.sources}


def transition_perform(
    machine: Machine,
    obj: models.Model,
    code: str,
    *,
    actor: Actor,
    capacities: set[str] | Sequence[str],
    reason: str = "",
    on: date | None = None,
    update_fields: Sequence[str] = (),
    summary: str = "",
    data: Mapping[str, Any] | None = None,
    committee_id: int | None = None,
) -> Move:
    """Perform transition `code` of `machine` on `obj` (locked by the caller), or refuse in Chinese."""
    require_actor(actor)
    transition = machine.get(code)
    current = getattr(obj, machine.field_name)
    who = machine.describe(obj)
    if transition.actors and not set(capacities) & set(transition.actors):
        names = "、".join(machine.capacity_labels.get(a, a) for a in transition.actors)
        raise PermissionDenied(f"“{transition.label}”由{names}办理，您无权执行。")
    if current not in transition.sources:
        allowed = "、".join(machine.label(s) for s in transition.sources)
        raise ValidationError(
            f"{who}当前处于“{machine.label(current)}”，不能执行“{transition.label}”（仅在“{allowed}”时可以）。"
        )
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise ValidationError(f"“{transition.label}”必须说明理由。")
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError(f"“{transition.label}”的日期不能晚于今天。")
    move = Move(transition=transition, source=current, actor=actor, reason=reason, on=on, data=dict(data or {}))
    for gate in transition.gates:
        refusal = gate(obj, move)
        if refusal:
            raise ValidationError(refusal)
    setattr(obj, machine.field_name, transition.target)
    fields = [machine.field_name, *update_fields]
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=list(dict.fromkeys(fields)))
    if machine.record is not None:
        machine.record(obj, move)
    else:
        record_state_change(obj, move, machine=machine)
    for observer in machine.observers:
        observer(obj, move)
    if machine.audit_prefix is not None:
        audit_record(
            action=f"{machine.audit_prefix}{code}",
            actor=actor,
            target=obj,
            committee_id=committee_id,
            summary=summary or f"{who}：{transition.label}",
            data={"from": current, "to": transition.target, "on": on.isoformat(), **move.data},
        )
    return move
