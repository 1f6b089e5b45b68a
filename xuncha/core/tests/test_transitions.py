"""The one transition engine: transitions as data, refusals in Chinese, and a record of every move."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from xuncha.core.actors import SystemActor
from xuncha.core.models import AuditEvent, Committee, StateChange
from xuncha.core.transitions import Machine, Transition, transition_perform


class Light(models.TextChoices):
    RED = "red", "红灯"
    GREEN = "green", "绿灯"


def _machine(gate=None, **kwargs) -> Machine:
    """A two-state machine over Committee.level (a real model with a plain text field)."""
    return Machine(
        name="test.light",
        field_name="office_name",
        states=Light,
        transitions=[
            Transition("go", "放行", (Light.RED,), Light.GREEN, ("office",), gates=(gate,) if gate else ()),
            Transition("stop", "拦停", (Light.GREEN,), Light.RED, ("office",), needs_reason=True),
        ],
        capacity_labels={"office": "巡察办"},
        describe=lambda c: f"“{c.short_name}”",
        audit_prefix="test.light_",
        **kwargs,
    )


@pytest.fixture
def light(db):
    return Committee.objects.create(name="中共测试市委", short_name="测试市委", level="city", office_name="red")


ACTOR = SystemActor("测试")


def test_a_machine_refuses_transitions_to_states_it_does_not_know():
    with pytest.raises(ValueError, match="unknown states"):
        Machine(name="x", field_name="f", states=Light, transitions=[Transition("a", "甲", ("red",), "blue")])


def test_a_transition_moves_the_field_and_records_who_when_and_why(light):
    machine = _machine()
    transition_perform(machine, light, "go", actor=ACTOR, capacities={"office"})
    light.refresh_from_db()
    assert light.office_name == "green"
    change = StateChange.objects.get(machine="test.light", object_id=light.pk)
    assert (change.transition, change.from_state, change.to_state) == ("go", "red", "green")
    assert change.actor_label == "系统：测试" and change.effective_on == timezone.localdate()
    event = AuditEvent.objects.get(action="test.light_go")
    assert event.actor_label == "系统：测试" and event.data["to"] == "green"


def test_refusals_name_the_state_the_capacity_and_the_missing_reason_in_chinese(light):
    machine = _machine()
    with pytest.raises(ValidationError, match="“测试市委”当前处于“红灯”，不能执行“拦停”（仅在“绿灯”时可以）"):
        transition_perform(machine, light, "stop", actor=ACTOR, capacities={"office"}, reason="x")
    with pytest.raises(PermissionDenied, match="“放行”由巡察办办理，您无权执行"):
        transition_perform(machine, light, "go", actor=ACTOR, capacities={"team_leader"})
    with pytest.raises(ValidationError, match="未知的操作"):
        transition_perform(machine, light, "fly", actor=ACTOR, capacities={"office"})
    transition_perform(machine, light, "go", actor=ACTOR, capacities={"office"})
    with pytest.raises(ValidationError, match="“拦停”必须说明理由"):
        transition_perform(machine, light, "stop", actor=ACTOR, capacities={"office"}, reason="  ")
    assert StateChange.objects.count() == 1


def test_no_move_without_an_actor_and_none_dated_in_the_future(light):
    machine = _machine()
    with pytest.raises(PermissionDenied, match="未指明操作人"):
        transition_perform(machine, light, "go", actor=None, capacities={"office"})
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        transition_perform(machine, light, "go", actor=ACTOR, capacities={"office"}, on=tomorrow)
    light.refresh_from_db()
    assert light.office_name == "red" and not StateChange.objects.exists()


def test_a_content_gate_refuses_with_its_own_reason(light):
    machine = _machine(gate=lambda obj, move: "尚未完成必谈人员谈话。")
    with pytest.raises(ValidationError, match="尚未完成必谈人员谈话"):
        transition_perform(machine, light, "go", actor=ACTOR, capacities={"office"})
    light.refresh_from_db()
    assert light.office_name == "red"


def test_a_confidential_machine_records_that_a_reason_was_given_but_not_the_reason(light):
    machine = _machine(reasons_in_clear=False)
    transition_perform(machine, light, "go", actor=ACTOR, capacities={"office"})
    transition_perform(machine, light, "stop", actor=ACTOR, capacities={"office"}, reason="举报人王某某要求")
    change = StateChange.objects.get(transition="stop")
    assert change.reason_given and change.reason == ""


def test_available_lists_only_what_the_state_and_the_capacities_allow():
    machine = _machine()
    assert [t.code for t in machine.available("red", {"office"})] == ["go"]
    assert machine.available("red", {"team_leader"}) == []
    assert machine.targets("green") == {"red"}
