"""The two pagination inputs of the API, bounded in one place.

Page-number lists (``?page=2&page_size=20``, answering ``{"items": [...], "count": n}``) use
``paginated``; the recommendation search and the clusters keep their ``limit`` and ``offset``
(answering ``{"count", "limit", "offset", "results"}``) through ``LimitOffsetInput`` and
``Window``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, paginate

from .inputs import MAX_OFFSET, MAX_REQUESTED_SIZE

PAGE_SIZE = settings.NINJA_PAGINATION_PER_PAGE
MAX_PAGE_SIZE = 100
MAX_PAGE = MAX_OFFSET // MAX_PAGE_SIZE


class PageInput(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int | None = Field(None, ge=1, le=MAX_REQUESTED_SIZE)


class BoundedPageNumberPagination(PageNumberPagination):
    """ninja's page-number pagination with an upper bound on the page number."""

    Input = PageInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def paginated(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a view returning a queryset (under ``response=list[Schema]``) to answer one page."""
    return paginate(BoundedPageNumberPagination)(view)


DEFAULT_LIMIT = 50


class LimitOffsetInput(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_REQUESTED_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@dataclass(frozen=True)
class Window:
    """The rows asked for, the limit clamped to the list's maximum."""

    limit: int
    offset: int

    @classmethod
    def of(cls, page: LimitOffsetInput, *, max_limit: int) -> "Window":
        return cls(limit=min(page.limit, max_limit), offset=page.offset)

    def rows(self, rows: Any) -> Any:
        return rows[self.offset : self.offset + self.limit]

    def as_dict(self, count: int) -> dict[str, int]:
        return {"count": count, "limit": self.limit, "offset": self.offset}
