"""Capacities that are not role grants but still call for a second factor at sign-in.

A team leader or a petition officer (信访岗) may reveal a reporter's identity, yet holds that capacity
through a team post in planning, which accounts may not import. The app that knows the capacity
registers a named predicate here (in its AppConfig.ready()); accounts asks `second_factor_reasons`.
"""

from collections.abc import Callable
from typing import Any

SecondFactorRule = Callable[[Any], bool]
_RULES: dict[str, SecondFactorRule] = {}


def register_second_factor_rule(name: str, predicate: SecondFactorRule) -> None:
    """Add (or replace, on a repeated ready()) the rule `name`: True when `predicate(user)` holds."""
    _RULES[name] = predicate


def second_factor_reasons(user: Any) -> list[str]:
    """The names of the registered rules that apply to `user` (empty: none does)."""
    return [name for name, predicate in _RULES.items() if predicate(user)]
