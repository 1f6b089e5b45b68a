"""Home-page items of petitions: what waits to be signed and which clocks have run out."""

from typing import Any

from django.urls import reverse

from xuncha.core.todo import Todo
from xuncha.petitions.decisions.clocks import CLOCKS, OPEN, overdue_counts
from xuncha.petitions.permissions import petitions_visible, serves_on_petition_team


def petition_todos(user: Any) -> list[Todo]:
    """Overdue clocks over the petitions this user sees; for the team also those waiting to be signed."""
    visible = petitions_visible(user)
    if not visible.exists():
        return []
    url = reverse("petitions:petition_list")
    counts = overdue_counts(visible)
    items = [
        Todo(f"{counts[c.key]} 件信访件{c.label}", "按时限要求尽快办理。", f"{url}?overdue={c.key}", "danger")
        for c in CLOCKS
        if counts[c.key]
    ]
    if serves_on_petition_team(user):
        waiting = visible.filter(signed_at__isnull=True, status__in=OPEN).count()
        if waiting:
            items.append(Todo(f"{waiting} 件信访件待签收", "请在签收时限内签收。", url, "info"))
    return items
