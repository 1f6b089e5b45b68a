"""Searchable pickers: a text input that suggests as one types, instead of a code to know by heart.

The input keeps submitting what the form always took (a unit's code, a person's number), so every
service check stays where it is; an htmx request fills the input's <datalist> from an endpoint that
searches only what the user may see (each app's own selector). No script of our own, nothing loaded
from outside; without htmx the field is a plain text input.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

LIMIT = 15


class PickerInput(forms.TextInput):
    template_name = "core/widgets/picker.html"

    def __init__(self, source: str, attrs: dict[str, Any] | None = None, source_args: list[Any] | None = None) -> None:
        super().__init__({"placeholder": "输入名称或编码搜索", **(attrs or {})})
        self.source, self.source_args = source, source_args or []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["source"] = reverse(self.source, args=self.source_args)
        context["widget"]["attrs"].setdefault("id", f"id_{name}")
        return context


def picker_query(request: HttpRequest) -> str:
    """What was typed into the picker (htmx sends the input under its own name, and names it in `field`)."""
    field = request.GET.get("field", "q")
    return (request.GET.get(field) or request.GET.get("q") or "").strip()[:50]


def picker_response(options: Iterable[tuple[str, str]]) -> HttpResponse:
    response = HttpResponse(render_to_string("core/widgets/picker_options.html", {"options": list(options)[:LIMIT]}))
    response["Cache-Control"] = "no-store"
    return response
