from datetime import date
from typing import Any

from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    """Entry and the public channels: announcements, the 码上巡察 intake, sealed petitions, the team's queue."""

    name = "xuncha.petitions"
    label = "petitions"
    verbose_name = "进驻与信访"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.petitions.choices import AUDIT_ACTIONS, AUDIT_OBJECT_TYPES

        register_audit_labels(actions=AUDIT_ACTIONS, object_types=AUDIT_OBJECT_TYPES)
        from xuncha.core.access import rule_of
        from xuncha.core.navigation import register_nav
        from xuncha.petitions import checks  # noqa: F401 - registers the deploy checks
        from xuncha.petitions.views import staff

        rule = rule_of(staff.petition_list)
        assert rule is not None
        register_nav("entry", "信访件", "petitions:petition_list", rule)
        from xuncha.core.todo import register_todo
        from xuncha.petitions.decisions import todos

        register_todo(todos.petition_todos)
        from xuncha.fieldwork.weekly import register_weekly_counter

        register_weekly_counter("petitions", "受理信访（件）", petitions_received)


def petitions_received(assignment: Any, first: date, last: date) -> int:
    """The weekly report's petition count: petitions of the assignment received in the week."""
    from xuncha.petitions.models import Petition

    return Petition.objects.filter(assignment=assignment, received_at__date__range=(first, last)).count()
