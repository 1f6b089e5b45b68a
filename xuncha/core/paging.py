"""Pages counted and sliced in the database, with a capped count so a broad search stays cheap.

A page is read keys first: the ordered, filtered query returns only the primary keys of the page (so
the database sorts narrow rows, not every matching row in full), then the page's rows are fetched by
key with the same related objects."""

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator

# Beyond this many matches a list says "more than …": counting every match of a common phrase among
# hundreds of thousands of rows would cost more than the page itself, and nobody pages that far.
COUNT_CAP = 2000
# A text search counts fewer: each match of a common phrase is confirmed row by row (petitions/search.py).
SEARCH_COUNT_CAP = 500


class CappedPaginator(Paginator[Any]):
    """A Django paginator over a queryset whose count stops at `cap` + 1 (one `COUNT` over a `LIMIT`)."""

    def __init__(self, object_list: Any, per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list
        return int(queryset.order_by()[: self.cap + 1].count())

    @property
    def capped(self) -> bool:
        """True when there are more matches than were counted (the page says “超过 …”)."""
        return self.count > self.cap

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        queryset: Any = self.object_list
        keys = list(queryset.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = queryset.model._base_manager.filter(pk__in=keys)
        rows.query.select_related = queryset.query.select_related
        by_key = {row.pk: row for row in rows}
        return Page([by_key[k] for k in keys if k in by_key], number, self)
