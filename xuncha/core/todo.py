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


@dataclass(frozen=True)
class WorkPost:
    """A capacity a user holds that is not a role grant: a post on an inspection team, say."""

    title: str
    detail: str = ""
    url: str = ""


PostProvider = Callable[[Any], list[WorkPost]]
_POSTS: list[PostProvider] = []


def register_posts(provider: PostProvider) -> None:
    """Add a provider of work posts (called from an app's ready())."""
    if provider not in _POSTS:
        _POSTS.append(provider)


def posts_for(user: Any) -> list[WorkPost]:
    """Every provider's posts for `user`, as the home page and the user pages show them beside the grants."""
    return [post for provider in _POSTS for post in provider(user)]
