"""What the apps built on recommendations add to them, through hooks declared here.

A lower app never imports a higher one (the import-linter contracts in pyproject.toml). Where the
recommendations need an answer only a higher app can give, that app registers it here from its
``AppConfig.ready()``:

- plans: the implementation status of recommendations, from the measures that address them
  (the list's status column, the ``addressed`` and ``implementation`` filters and facets);
- intelligence: search by meaning and the state of its index, and what happens after an import
  (tag suggestions, a note that the indexes need rebuilding);
- progress and intelligence: sections of a recommendation's page (what is being done about it;
  the similar recommendations), in the order of INSTALLED_APPS.

Without them the recommendations still work: no implementation status (its filters are ignored
and its facets not shown), search by meaning unavailable (the search falls back to the words),
nothing after an import, no sections of other apps on a recommendation's page.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import QuerySet

from rightstrack.core.page_sections import PageSections


class AnnotateImplementationStatus(Protocol):
    """Recommendations with ``implementation_status`` (an ImplementationStatus value), from the
    measures the user may see."""

    def __call__(self, recommendations: QuerySet, *, user: Any) -> QuerySet: ...


class FilterByImplementationStatus(Protocol):
    """Only the recommendations whose implementation status is one of ``statuses``."""

    def __call__(
        self, recommendations: QuerySet, statuses: Iterable[str], *, user: Any
    ) -> QuerySet: ...


class FilterAddressed(Protocol):
    """Only the recommendations addressed (True) or not (False) by a measure the user may see."""

    def __call__(self, recommendations: QuerySet, addressed: bool, *, user: Any) -> QuerySet: ...


class CountImplementationStatuses(Protocol):
    """{ImplementationStatus value: number of recommendations}; ``total`` is the list's length
    when the caller knows it, ``ids`` the list's ids when the caller has read them."""

    def __call__(
        self,
        recommendations: QuerySet,
        *,
        user: Any,
        total: int | None = None,
        ids: Collection[int] | None = None,
    ) -> dict[str, int]: ...


class ImplementationStatusesOf(Protocol):
    """{id: ImplementationStatus value} of some recommendations, for the user."""

    def __call__(self, recommendation_ids: Iterable[int], *, user: Any) -> dict[int, str]: ...


@dataclass(frozen=True)
class ImplementationStatusHooks:
    annotate: AnnotateImplementationStatus
    filter: FilterByImplementationStatus
    filter_addressed: FilterAddressed
    counts: CountImplementationStatuses
    statuses: ImplementationStatusesOf


class SearchByMeaning(Protocol):
    """[match] best first, each with ``pk``, ``score`` (closeness in meaning or None) and
    ``matches_words``, among the recommendations ``user`` may see that ``filters`` keep. Raises
    search.MeaningUnavailable when no index has been built."""

    def __call__(self, *, user: Any, filters: Any) -> list[Any]: ...


class MeaningIndexStatus(Protocol):
    """How current the index is (``built_at``, ``items``, ``missing``); None when not built."""

    def __call__(self, *, user: Any) -> Any: ...


@dataclass(frozen=True)
class MeaningSearchHooks:
    search: SearchByMeaning
    index_status: MeaningIndexStatus


# After an import has written recommendations: (batch, user) -> a sentence for the batch's
# message, or "". It must not raise: the import is already done.
AfterImport = Callable[[Any, Any], str]


@dataclass
class Extensions:
    implementation_status: ImplementationStatusHooks | None = None
    meaning_search: MeaningSearchHooks | None = None
    after_import: list[AfterImport] = field(default_factory=list)
    # Sections of a recommendation's page (see core/page_sections.py).
    detail_sections: PageSections = field(default_factory=PageSections)

    def add_after_import(self, hook: AfterImport) -> None:
        if hook not in self.after_import:
            self.after_import.append(hook)


# The one registry, filled by the higher apps' AppConfig.ready().
registered = Extensions()
