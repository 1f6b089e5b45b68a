"""Home-page items of the registry."""

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from xuncha.core.todo import Todo
from xuncha.orgs.choices import PostKind
from xuncha.orgs.models import Position
from xuncha.orgs.permissions import organizations_editable


def registry_todos(user: Any) -> list[Todo]:
    """For the office: units in its scope whose top leader is not on record."""
    editable = organizations_editable(user)
    if not editable.exists():
        return []
    today = timezone.localdate()
    has_top = Position.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), organization=OuterRef("pk"), post_kind=PostKind.TOP_LEADER
    )
    missing = editable.exclude(Exists(has_top)).count()
    if not missing:
        return []
    return [
        Todo(
            f"{missing} 个单位未登记主要负责人",
            "领导班子名册是受理范围判断和回避审查的依据，请导入或补录。",
            reverse("orgs:registry_import", args=["roster"]),
            "warning",
        )
    ]
