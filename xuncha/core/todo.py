"""The home page's "what is yours to do": each app contributes items for a user."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Todo:
    """One thing waiting for the user."""

    title: str
    detail: str = ""
    url: str = ""
    level: str = "info"  # info | warning | danger


TodoProvider = Callable[[Any], list[Todo]]
_PROVIDERS: list[TodoProvider] = []


def register_todo(provider: TodoProvider) -> None:
    """Add a provider (called from an app's ready())."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def todos_for(user: Any) -> list[Todo]:
    """Every provider's items for `user`, most urgent first."""
    order = {"danger": 0, "warning": 1, "info": 2}
    items = [item for provider in _PROVIDERS for item in provider(user)]
    return sorted(items, key=lambda t: order.get(t.level, 3))
