"""What became of a record in a higher layer, shown on the lower layer's page without importing it.

A petition used as a problem shows its 问题底稿; used as a lead, its 问题线索 (to those who may see it).
Higher apps register a provider per model label in AppConfig.ready(); the lower page asks `links_for`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Link:
    label: str
    url: str = ""


LinkProvider = Callable[[Any, Any], list[Link]]
_PROVIDERS: dict[str, list[LinkProvider]] = {}


def register_links(model_label: str, provider: LinkProvider) -> None:
    """`provider(obj, user)` lists what the user may know became of `obj` (called from an app's ready())."""
    providers = _PROVIDERS.setdefault(model_label, [])
    if provider not in providers:
        providers.append(provider)


def links_for(obj: Any, user: Any) -> list[Link]:
    return [link for provider in _PROVIDERS.get(obj._meta.label_lower, []) for link in provider(obj, user)]
