"""Paging without an exact count over broad results.

``COUNT(*)`` over a search that matches 50,000 of a million persons costs more than the page
itself. These paginators count at most ``CAP`` + 1 rows (``SELECT COUNT(*) FROM (... LIMIT
1001)``): below the cap the count is exact; above it the count says ``CAP`` and ``capped`` is
true, and the pages stop there (narrow the search to see more).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

CAP = 1000


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def _bounded_count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "values"):
            rows = rows.values("pk").order_by()
            return rows[: self.cap + 1].count()
        return len(rows[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        """True when more than ``cap`` rows matched (``count`` is then ``cap``)."""
        return self._bounded_count > self.cap


class CappedPageNumberPagination(PageNumberPagination):
    """DRF's page-number paging with a capped count; the response adds ``count_capped``."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {"type": "boolean", "example": False}
        return schema
