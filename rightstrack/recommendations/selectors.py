"""Reads of recommendations and clusters, always scoped to the reader.

The public (and anyone who is not an internal reader) sees published recommendations only, and
of their tags only the accepted ones: machine suggestions are never public.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, overload

from django.db import connections
from django.db.models import (
    Case,
    Count,
    Expression,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from rightstrack.core.listing import SortOption, resolve_sort
from rightstrack.core.roles import can_manage, can_read_internal
from rightstrack.core.types import AnyUser, Filters
from rightstrack.taxonomy.models import Term

from .counts import (
    SearchKey,
    data_version,
    kept_count,
    list_key,
    note_asked,
    search_key,
    search_piece,
)
from .extensions import registered
from .facets import DEFAULT_FACETS, Facet, count_facets
from .filters import (
    INTERNAL_TAG_STATUSES,
    MODE_MEANING,
    MODE_WORDS,
    PUBLIC_TAG_STATUSES,
    SORT_RELEVANCE,
    RecommendationFilters,
    recommendation_filter,
    recommendation_order,
)
from .matching import FACET_COLUMNS, IdIn, MatchingSet
from .models import (
    Cluster,
    MatchCandidate,
    Recommendation,
    RecommendationMerge,
    RecommendationTag,
    SavedSearch,
    SourceRecord,
    TagStatus,
)
from .search import MeaningMatch, MeaningUnavailable, search_by_meaning, sqlite_ranked_ids
from .sources import STANDING_FIELDS, precedence, standing

TAG_ORDER = ("term__scheme", "term__position", "term__code")
# Term fields a list never shows; leaving them out saves parsing JSON for every row.
UNSHOWN_TERM_FIELDS = ("description_en", "description_ru", "aliases", "search_text")
LIST_TERMS = ("state", "mechanism", "action_category")
# Ids of a search by words remembered per order (counts.py): ten pages of 25.
KEPT_IDS = 250
# A search by words that matches more than this many recommendations is, unless the reader
# asks for exact counts, answered from the first this-many matches (by id): they are listed
# (not ranked by relevance) and the facets count them, and the page says so. Ranking and
# counting every match of a common word reads them all (1.2 s at 226,000 of 250,000).
BOUNDED_SEARCH_LIMIT = 20_000


def _unshown(prefix: str = "") -> list[str]:
    return [f"{prefix}{name}" for name in UNSHOWN_TERM_FIELDS]


def _light_terms() -> QuerySet[Term]:
    return Term.objects.defer(*_unshown())


def tag_statuses_for(user: AnyUser) -> tuple[TagStatus, ...]:
    return _tag_statuses_seen(everything_visible=can_read_internal(user))


def visible_recommendations(user: AnyUser) -> QuerySet[Recommendation]:
    return _recommendations_seen(everything_visible=can_read_internal(user))


def _tag_statuses_seen(*, everything_visible: bool) -> tuple[TagStatus, ...]:
    """The statuses of the tags an internal reader (``everything_visible``) or the public sees."""
    return INTERNAL_TAG_STATUSES if everything_visible else PUBLIC_TAG_STATUSES


def _recommendations_seen(*, everything_visible: bool) -> QuerySet[Recommendation]:
    """The recommendations an internal reader (``everything_visible``) or the public sees."""
    recommendations = Recommendation.objects.all()
    if not everything_visible:
        recommendations = recommendations.filter(is_published=True)
    return recommendations


def _visible_tags(user: AnyUser) -> Prefetch:
    tags = (
        RecommendationTag.objects.filter(status__in=tag_statuses_for(user))
        .select_related("term")
        .defer(*_unshown("term__"))
        .order_by(*TAG_ORDER)
    )
    return Prefetch("tags", queryset=tags, to_attr="visible_tags")


def _with_list_relations(
    recommendations: QuerySet[Recommendation], user: AnyUser
) -> QuerySet[Recommendation]:
    deferred = ["wordings"] + [path for field in LIST_TERMS for path in _unshown(f"{field}__")]
    # Each row shows its implementation status, from the measures the user may see.
    if registered.implementation_status is not None:
        recommendations = registered.implementation_status.annotate(recommendations, user=user)
    return (
        recommendations.select_related(*LIST_TERMS, "document")
        .defer(*deferred)
        .prefetch_related(
            Prefetch("recommending_states", queryset=_light_terms()), _visible_tags(user)
        )
    )


def recommendation_list(
    *, user: AnyUser, filters: RecommendationFilters | None = None
) -> QuerySet[Recommendation]:
    """Recommendations the user may see, filtered and sorted; each carries ``visible_tags``.

    Ordered by relevance (``search_rank``) this queryset joins the full-text table, so use it
    as a list, never inside another query; :func:`recommendation_ids` is for that.
    """
    filters = filters or RecommendationFilters()
    ranked = filters.sort_option.key == SORT_RELEVANCE
    recommendations = recommendation_filter(
        visible_recommendations(user),
        filters,
        tag_statuses=tag_statuses_for(user),
        rank_text=ranked,
        user=user,
    )
    return _with_list_relations(recommendation_order(recommendations, filters), user)


class RecommendationSearch:
    """One reader's search: the sorted results and the facets, which share the set of matching
    recommendations when there is a text query (read once, see matching.py).

    In ``mode=meaning`` with a text, the matching set is the best results by meaning fused with
    the words (``search.search_by_meaning``), in that order; every facet counts over the same
    kind of set. When no semantic index has been built the search falls back to the words and
    says so (``meaning_unavailable``).
    """

    def __init__(
        self,
        *,
        user: AnyUser,
        filters: RecommendationFilters | None = None,
        bound: bool = False,
        internal: bool | None = None,
    ) -> None:
        self.user = user
        # As searched: a text of stop words alone is left out (filters.searchable).
        self.filters = (filters or RecommendationFilters()).searchable()
        # With ``bound``, a search by words matching very many is answered from its first
        # BOUNDED_SEARCH_LIMIT matches (see ``bounded``); without it, everything is exact.
        self.bound = bound
        # What an internal reader sees (True) or the public (False): as ``user`` may, unless
        # the count job prepares a search for a kind of reader (prepared_searches.py).
        self.everything_visible = can_read_internal(user) if internal is None else internal
        self.tag_statuses = _tag_statuses_seen(everything_visible=self.everything_visible)
        self.visible = _recommendations_seen(everything_visible=self.everything_visible)
        self.meaning_unavailable = False
        self._by_meaning: dict[RecommendationFilters, Sequence[MeaningMatch]] = {}

    def _meaning_matches(self, filters: RecommendationFilters) -> Sequence[MeaningMatch] | None:
        """[MeaningMatch] of a search by meaning, best first; None without an index."""
        if self.meaning_unavailable:
            return None
        if filters not in self._by_meaning:
            try:
                self._by_meaning[filters] = search_by_meaning(user=self.user, filters=filters)
            except MeaningUnavailable:
                self.meaning_unavailable = True
                return None
        return self._by_meaning[filters]

    @cached_property
    def meaning(self) -> dict[int, MeaningMatch] | None:
        """{id: MeaningMatch} in ranked order when this search runs by meaning, else None."""
        if not self.filters.by_meaning():
            return None
        matches = self._meaning_matches(self.filters)
        if matches is None:
            return None
        return {match.pk: match for match in matches}

    @property
    def mode(self) -> str:
        """The mode the search actually ran in (words when meaning was asked but unavailable)."""
        return MODE_MEANING if self.meaning is not None else MODE_WORDS

    def _read_matching(self, filters: RecommendationFilters) -> MatchingSet:
        """The MatchingSet of a search with text: the results by meaning, or by words."""
        if filters.by_meaning():
            matches = self._meaning_matches(filters)
            if matches is not None:
                ids = [match.pk for match in matches]
                return MatchingSet.read(Recommendation.objects.filter(IdIn("id", ids)))
        return MatchingSet.read(
            recommendation_filter(
                self.visible, filters, tag_statuses=self.tag_statuses, user=self.user
            )
        )

    def _words_matching(self) -> QuerySet[Recommendation]:
        return recommendation_filter(
            self.visible, self.filters, tag_statuses=self.tag_statuses, user=self.user
        )

    @cached_property
    def bounded(self) -> bool:
        """Whether this search by words matches more than BOUNDED_SEARCH_LIMIT recommendations
        and is answered from the first of them only (asked for with ``bound``). Found with a
        bounded read of ids, remembered with the search (counts.py)."""
        if not self.bound or not self.filters.has_text() or self.meaning is not None:
            return False
        limit = BOUNDED_SEARCH_LIMIT

        def over_limit() -> bool:
            first = self._words_matching().order_by().values_list("id", flat=True)[: limit + 1]
            return len(first) > limit

        key = self._base_key
        return bool(over_limit() if key is None else search_piece(key, "bounded", over_limit))

    @property
    def bounded_limit(self) -> int:
        """How many matches a bounded search lists and counts."""
        return BOUNDED_SEARCH_LIMIT

    @cached_property
    def matching(self) -> MatchingSet | None:
        if not self.filters.has_text():
            return None
        if self.bounded:
            first = self._words_matching().order_by("id").values_list("id", *FACET_COLUMNS)
            return MatchingSet(list(first[:BOUNDED_SEARCH_LIMIT]))
        return self._read_matching(self.filters)

    def read_matching(self) -> MatchingSet:
        """The MatchingSet of a search with text (read once, when a count or the ranking
        needs it rather than a kept value)."""
        matching = self.matching
        if matching is None:
            raise ValueError("only a search with text has a matching set")
        return matching

    @cached_property
    def data_version(self) -> int | None:
        """The data version this search answers for (counts.py), read once."""
        return data_version(self.visible.db)

    @cached_property
    def _base_key(self) -> SearchKey | None:
        if self.meaning is not None:
            return None
        return search_key(
            self.filters,
            everything_visible=self.everything_visible,
            tag_statuses=self.tag_statuses,
            using=self.visible.db,
            version=self.data_version,
        )

    @cached_property
    def remembered_key(self) -> SearchKey | None:
        """The key of this search's remembered results (counts.py), when it is a search by
        words; a bounded search's results are remembered apart from the exact ones."""
        key = self._base_key
        if key is not None and self.bounded:
            return key.bounded(f"first{BOUNDED_SEARCH_LIMIT}")
        return key

    def note_asked(self) -> None:
        """Note this search as asked (counts.note_asked) when its results are remembered: the
        count job may then prepare it after the next change."""
        if self._base_key is not None:
            note_asked(
                filters=self.filters,
                everything_visible=self.everything_visible,
                exact=not self.bound,
                using=self.visible.db,
            )

    @cached_property
    def results(self) -> "RecommendationResults":
        return RecommendationResults(self)

    def facets(self, keys: Sequence[str] = DEFAULT_FACETS) -> list[Facet]:
        return count_facets(
            visible=self.visible,
            filters=self.filters,
            facets=keys,
            tag_statuses=self.tag_statuses,
            everything_visible=self.everything_visible,
            matching=lambda: self.matching,
            user=self.user,
            read_matching=self._read_matching if self.meaning is not None else None,
            remembered_key=self.remembered_key,
            first=BOUNDED_SEARCH_LIMIT if self.bounded else None,
            version=self.data_version,
        )

    def sorted_queryset(self) -> QuerySet[Recommendation]:
        if self.meaning is not None:
            among = Recommendation.objects.filter(IdIn("id", list(self.meaning)))
            if self.filters.sort_option.key == SORT_RELEVANCE:
                return among.order_by(_in_order(list(self.meaning)), "id")
            return among.order_by(*self.filters.sort_option.order_by)
        ranked = self.filters.sort_option.key == SORT_RELEVANCE
        recommendations = recommendation_filter(
            self.visible,
            self.filters,
            tag_statuses=self.tag_statuses,
            rank_text=ranked,
            user=self.user,
        )
        return recommendation_order(recommendations, self.filters)


def _in_order(ids: list[int]) -> Expression:
    """An ORDER BY expression putting the ids in the given order."""
    if not ids:
        return Value(0)
    return Case(
        *[When(id=pk, then=Value(position)) for position, pk in enumerate(ids)],
        default=Value(len(ids)),
        output_field=IntegerField(),
    )


class RecommendationResults:
    """The sorted results of a search, counted and sliced (by a Paginator, by the API) in two
    steps: first the ids of the slice, then those rows with everything a list shows.

    Sorting every match with its text and terms attached costs several times more than sorting
    ids when a search matches thousands of recommendations; with a text query the ids come from
    the matching set, ranked by the full-text index alone on SQLite.
    """

    ordered = True

    def __init__(self, search: RecommendationSearch) -> None:
        self.search = search

    def count(self) -> int:
        search = self.search
        if search.remembered_key is not None:
            search.note_asked()
            # The same count the facets of measures use (facets.py); a bounded search's is
            # BOUNDED_SEARCH_LIMIT (the page says there are more).
            return search_piece(search.remembered_key, "count", lambda: len(search.read_matching()))
        if search.filters.has_text():
            return len(search.read_matching())
        key = list_key(
            search.filters,
            everything_visible=search.everything_visible,
            tag_statuses=search.tag_statuses,
        )
        if key is None:
            return search.sorted_queryset().count()
        # The same count the facets of measures keep (facets.py).
        return kept_count(
            key,
            search.sorted_queryset().count,
            using=search.visible.db,
            version=search.data_version,
        )

    def __len__(self) -> int:
        return self.count()

    def _ids(self, key: slice) -> list[int]:
        search = self.search
        if search.remembered_key is not None and key.stop is not None and key.stop <= KEPT_IDS:
            # The first pages of a search by words, in this order, as remembered (counts.py).
            piece = f"ids:{search.filters.sort_option.key}"
            return search_piece(
                search.remembered_key, piece, lambda: self._sorted_ids(slice(0, KEPT_IDS))
            )[key]
        return self._sorted_ids(key)

    def _sorted_ids(self, key: slice) -> list[int]:
        search = self.search
        matching = search.matching
        if matching is None:
            return list(search.sorted_queryset().values_list("id", flat=True)[key])
        option = search.filters.sort_option
        if option.key == SORT_RELEVANCE:
            if search.bounded:
                # Too many to rank: the first matches, in the order they were found (by id).
                return matching.ids[key]
            if search.meaning is not None:
                return list(search.meaning)[key]
            if connections[search.visible.db].vendor == "sqlite":
                start = key.start or 0
                return sqlite_ranked_ids(search.filters.q, matching, start, key.stop)
            # PostgreSQL ranks faster in the full query, which it spreads over parallel workers.
            return list(search.sorted_queryset().values_list("id", flat=True)[key])
        among = Recommendation.objects.filter(matching.condition())
        return list(among.order_by(*option.order_by).values_list("id", flat=True)[key])

    def page_ids(self, key: slice) -> list[int]:
        """The ids of a slice of the results, in order."""
        return self._ids(key)

    def implementation_statuses(self, ids: Sequence[int]) -> dict[int, str]:
        """{id: implementation status} of some recommendations, from the measures the reader may
        see (one query; {} without the plans app)."""
        hooks = registered.implementation_status
        if hooks is None or not ids:
            return {}
        return hooks.statuses(ids, user=self.search.user)

    @overload
    def __getitem__(self, key: int) -> Recommendation: ...
    @overload
    def __getitem__(self, key: slice) -> list[Recommendation]: ...
    def __getitem__(self, key: int | slice) -> Recommendation | list[Recommendation]:
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        return self.rows(self._ids(key))

    def rows(self, ids: Sequence[int]) -> list[Recommendation]:
        """The recommendations of ``ids`` (from ``page_ids``), in that order, with everything a
        list shows."""
        rows = _with_list_relations(Recommendation.objects.filter(pk__in=ids), self.search.user)
        by_id = {row.pk: row for row in rows}
        meaning = self.search.meaning
        if meaning is not None:
            # How each result was found: its closeness in meaning, and whether it has the words.
            for pk, row in by_id.items():
                row.meaning_match = meaning.get(pk)
        return [by_id[pk] for pk in ids]


def recommendation_search(
    *, user: AnyUser, filters: RecommendationFilters | None = None, bound: bool = False
) -> RecommendationSearch:
    """A search (results and facets) over what ``user`` may see; see RecommendationSearch
    (``bound``: answer a search by words matching very many from its first matches)."""
    return RecommendationSearch(user=user, filters=filters, bound=bound)


def recommendation_results(
    *, user: AnyUser, filters: RecommendationFilters | None = None
) -> RecommendationResults:
    """The sorted results of a search as a countable, sliceable sequence (pages, the API)."""
    return RecommendationSearch(user=user, filters=filters).results


def recommendation_ids(
    *, user: AnyUser, filters: RecommendationFilters | None = None
) -> QuerySet[Recommendation, dict[str, Any]]:
    """The ids of the recommendations the user may see that match ``filters``, unordered: a
    subquery for other queries."""
    filters = filters or RecommendationFilters()
    return (
        recommendation_filter(
            visible_recommendations(user), filters, tag_statuses=tag_statuses_for(user), user=user
        )
        .order_by()
        .values("id")
    )


def recommendation_facets(
    *,
    user: AnyUser,
    filters: RecommendationFilters | None = None,
    facets: Sequence[str] = DEFAULT_FACETS,
) -> list[Facet]:
    """Counts per value of each facet, each over the list filtered by every other facet."""
    return RecommendationSearch(user=user, filters=filters).facets(facets)


def recommendation_get(*, user: AnyUser, pk: int) -> Recommendation:
    """One recommendation with everything its page shows; DoesNotExist when the user may not
    see it."""
    tags = (
        RecommendationTag.objects.filter(status__in=tag_statuses_for(user))
        .select_related("term", "term__parent", "decided_by")
        .order_by(*TAG_ORDER)
    )
    related = ["state", "mechanism", "document", "action_category"]
    if can_read_internal(user):
        related += ["import_batch", "import_batch__user"]
    return (
        visible_recommendations(user)
        .select_related(*related)
        .prefetch_related(
            "recommending_states",
            Prefetch("tags", queryset=tags, to_attr="visible_tags"),
            Prefetch("clusters", queryset=Cluster.objects.order_by("name")),
        )
        .get(pk=pk)
    )


def cluster_list(*, user: AnyUser, filters: Filters | None = None) -> QuerySet[Cluster]:
    """Every cluster with the number of its recommendations the user may see."""
    filters = filters or {}
    counted = None if can_read_internal(user) else Q(recommendations__is_published=True)
    clusters = Cluster.objects.select_related("state").annotate(
        size=Count("recommendations", filter=counted)
    )
    state = (filters.get("state") or "").strip().upper()
    if state:
        clusters = clusters.filter(state__code=state)
    return clusters.order_by("name", "id")


def cluster_get(*, user: AnyUser, slug: str) -> Cluster:
    """One cluster; DoesNotExist when there is none."""
    return Cluster.objects.select_related("state", "created_by").get(slug=slug)


def cluster_choices(*, user: AnyUser) -> QuerySet[Cluster]:
    """The clusters a manager may put recommendations in, by name."""
    return Cluster.objects.only("id", "name", "slug").order_by("name", "id")


def saved_search_list(*, user: AnyUser) -> QuerySet[SavedSearch]:
    """The user's own saved searches (nobody sees another's)."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user_id=user.pk).order_by("name", "pk")


# --- sources of a recommendation, merges, the review queue (sources.py) ---------------------


@dataclass
class SourceView:
    """A source record as a recommendation's page shows it."""

    source: SourceRecord
    recommending_states: list[Term]
    # Whether its position is the one that stands, and whether it stands for the rest.
    position_stands: bool
    stands: bool


def recommendation_sources(*, user: AnyUser, recommendation: Recommendation) -> list[SourceView]:
    """The sources of a recommendation (as ``recommendation_get`` gave it to ``user``), the
    one that stands first."""
    sources = list(recommendation.sources.select_related("document").order_by("pk"))
    if not sources:
        return []
    result = standing(
        [
            {
                "id": source.pk,
                "kind": source.kind,
                "source_key": source.source_key,
                "recommending_states": source.recommending_states,
                "tags": source.tags,
                **{name: getattr(source, name) for name in STANDING_FIELDS},
            }
            for source in sources
        ]
    )
    term_ids = {pk for source in sources for pk in source.recommending_states or ()}
    terms = {term.pk: term for term in _light_terms().filter(pk__in=term_ids)} if term_ids else {}
    views = [
        SourceView(
            source=source,
            recommending_states=[
                terms[pk] for pk in source.recommending_states or () if pk in terms
            ],
            position_stands=result.position_from == source.pk,
            stands=result.source_key == source.source_key,
        )
        for source in sources
    ]
    return sorted(views, key=lambda view: (precedence(view.source.kind), view.source.pk))


def recommendation_merges(
    *, user: AnyUser, recommendation: Recommendation
) -> QuerySet[RecommendationMerge]:
    """The merges into a recommendation that can be undone (by those who may: coordinators)."""
    if not can_manage(user):
        return RecommendationMerge.objects.none()
    return RecommendationMerge.objects.filter(
        target_id=recommendation.pk, undone_at__isnull=True
    ).select_related("made_by")


DUPLICATE_SORTS = [
    SortOption("likeliest", _("Most similar first"), ("-score", "id")),
    SortOption("least-likely", _("Least similar first"), ("score", "id")),
    # Ids grow with time: the newest first without sorting by a date.
    SortOption("newest", _("Newest first"), ("-id",)),
]
DEFAULT_DUPLICATE_SORT = "likeliest"


def match_candidates(
    *, user: AnyUser, filters: dict[str, Any] | None = None
) -> QuerySet[MatchCandidate]:
    """The possible duplicates (coordinators only): those awaiting review unless
    ``filters["status"]`` asks for another status, of ``filters["state"]`` (a State's term)
    when given, sorted by ``filters["sort"]`` (DUPLICATE_SORTS; the likeliest first)."""
    if not can_manage(user):
        return MatchCandidate.objects.none()
    filters = filters or {}
    candidates = MatchCandidate.objects.filter(
        status=filters.get("status") or MatchCandidate.Status.OPEN
    )
    if filters.get("state"):
        # A candidate and its source's recommendation are of the same State (dedup.py).
        candidates = candidates.filter(candidate__state=filters["state"])
    sort = resolve_sort(filters.get("sort"), DUPLICATE_SORTS, DEFAULT_DUPLICATE_SORT)
    return candidates.order_by(*sort.order_by).select_related(
        "source__recommendation__state",
        "source__recommendation__document",
        "candidate__state",
        "candidate__document",
        "decided_by",
    )


def match_candidates_waiting(*, user: AnyUser) -> QuerySet[MatchCandidate]:
    """The possible duplicates awaiting review, for the "To do" counts (no joins: counted)."""
    if not can_manage(user):
        return MatchCandidate.objects.none()
    return MatchCandidate.objects.filter(status=MatchCandidate.Status.OPEN)


def match_candidate_get(*, user: AnyUser, pk: int) -> MatchCandidate:
    return match_candidates(user=user).get(pk=pk)


def merge_get(*, user: AnyUser, pk: int) -> RecommendationMerge:
    if not can_manage(user):
        raise RecommendationMerge.DoesNotExist
    return RecommendationMerge.objects.get(pk=pk, undone_at__isnull=True)


def source_get(*, user: AnyUser, pk: int) -> SourceRecord:
    if not can_manage(user):
        raise SourceRecord.DoesNotExist
    return SourceRecord.objects.select_related("recommendation").get(pk=pk)
