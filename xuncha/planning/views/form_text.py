"""The words planning forms and messages show: committee choices and why a service refused."""

from typing import Any

from django.core.exceptions import ValidationError


def error_text(exc: Exception) -> str:
    """A refused service call as one message line."""
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def committee_choices(committees: Any) -> list[tuple[int, str]]:
    """Committees as the choices of a form's committee field."""
    return [(c.pk, c.name) for c in committees]
