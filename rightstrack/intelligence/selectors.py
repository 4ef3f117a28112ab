"""Reads of the intelligence app, scoped to the reader.

Machine suggestions are internal: only internal readers (administrators, coordinators, viewers)
see them, and only managers act on them. Similar recommendations are shown to anyone, from the
recommendations that reader may see, with only the tags that reader may see.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from rightstrack.core.listing import IdsFirst, resolve_sort
from rightstrack.core.roles import can_read_internal
from rightstrack.core.types import AnyUser
from rightstrack.recommendations.counts import remembered, versioned_key
from rightstrack.recommendations.models import (
    ImportBatch,
    Recommendation,
    RecommendationTag,
    TagSource,
    TagStatus,
)
from rightstrack.taxonomy.models import Scheme, Term

from .filters import (
    BY_CONFIDENCE,
    DEFAULT_SORT,
    REVIEW_SORTS,
    ReviewFilters,
    filter_reviewable,
    suggestion_tags,
)
from .models import SuggestionRun
from .similarity import (
    REPEAT_THRESHOLD,
    SimilarityIndex,
    cluster_groups,
    load_similarity_index,
    pairwise_scores,
)

if TYPE_CHECKING:
    from rightstrack.jobs.models import Job
    from rightstrack.recommendations.filters import RecommendationFilters

    from .semantic import SemanticIndex

MAX_CLUSTER_CANDIDATES = 3000
DEFAULT_CLUSTER_THRESHOLD = 0.45


def _require_internal(user: AnyUser) -> None:
    if not can_read_internal(user):
        raise PermissionDenied(_("Only internal readers may see machine suggestions."))


def _visible_recommendations(user: AnyUser) -> QuerySet[Recommendation]:
    recommendations = Recommendation.objects.all()
    if not can_read_internal(user):
        recommendations = recommendations.filter(is_published=True)
    return recommendations


def review_list(*, user: AnyUser, filters: ReviewFilters | None = None) -> IdsFirst:
    """Recommendations with machine suggestions matching the filters, for a Paginator; each
    carries ``suggestions`` (its matching machine tags, most confident first) and
    ``best_confidence``. The page's ids are sorted first, from the suggestions' own index when
    sorted by confidence (core.listing.IdsFirst)."""
    _require_internal(user)
    filters = filters or {}
    tags = suggestion_tags(filters)
    best = (
        tags.filter(recommendation_id=OuterRef("pk"))
        .order_by()
        .values("recommendation_id")
        .annotate(best=Max("confidence"))
        .values("best")
    )
    reviewable = filter_reviewable(Recommendation.objects.all(), filters)
    sort = resolve_sort(filters.get("sort"), REVIEW_SORTS, DEFAULT_SORT)
    if sort.key in BY_CONFIDENCE:
        # Each recommendation's best confidence, grouped on the suggestions' partial index
        # (recommendation, confidence), without reading a recommendation.
        ranked = tags
        if filters.get("batch") or filters.get("state"):
            ranked = ranked.filter(recommendation_id__in=reviewable.values("pk"))
        ids = (
            ranked.order_by()
            .values("recommendation_id")
            .annotate(best_confidence=Max("confidence"))
            .order_by(*BY_CONFIDENCE[sort.key])
            .values_list("recommendation_id", flat=True)
        )
    else:
        ids = reviewable.order_by(*sort.order_by).values_list("pk", flat=True)

    def rows(page_ids: list[int]) -> QuerySet[Recommendation]:
        return (
            Recommendation.objects.filter(pk__in=page_ids)
            .annotate(best_confidence=Subquery(best))
            .select_related("state", "mechanism", "document", "import_batch")
            .prefetch_related(
                Prefetch(
                    "tags",
                    queryset=tags.select_related("term", "decided_by").order_by(
                        "-confidence", "pk"
                    ),
                    to_attr="suggestions",
                )
            )
        )

    # The length is remembered like the batches (its count groups every open suggestion
    # again: 27 ms at 250,000); the page's ids are read for each reader.
    chosen = urlencode(
        sorted((name, str(value)) for name, value in filters.items() if name != "sort")
    )
    return IdsFirst(ids, rows, count=lambda: _for_this_data(f"review-count:{chosen}", ids.count))


def suggestions_waiting(*, user: AnyUser) -> QuerySet[RecommendationTag, Any]:
    """The recommendations (their ids) with machine suggestions awaiting a person's decision."""
    _require_internal(user)
    return (
        RecommendationTag.objects.filter(source=TagSource.MACHINE, status=TagStatus.SUGGESTED)
        .values("recommendation_id")
        .distinct()
    )


def suggestion_list(
    *, user: AnyUser, filters: ReviewFilters | None = None
) -> QuerySet[RecommendationTag]:
    """Machine tags matching the filters, flat (for the API), most confident first."""
    _require_internal(user)
    filters = filters or {}
    tags = suggestion_tags(filters)
    if filters.get("batch"):
        tags = tags.filter(recommendation__import_batch_id=filters["batch"])
    if filters.get("state"):
        tags = tags.filter(recommendation__state__code=filters["state"])
    return tags.select_related("term", "recommendation", "decided_by").order_by("-confidence", "pk")


def suggestion_get(*, user: AnyUser, pk: int) -> RecommendationTag:
    """One machine tag (any status); 404 when there is none, 403 for readers without access."""
    _require_internal(user)
    tag = (
        RecommendationTag.objects.filter(source=TagSource.MACHINE, pk=pk)
        .select_related("term", "recommendation", "decided_by")
        .first()
    )
    if tag is None:
        raise Http404(_("No such suggestion."))
    return tag


def review_batches(*, user: AnyUser) -> QuerySet[ImportBatch]:
    """Import batches whose recommendations have open suggestions, newest first."""
    _require_internal(user)
    open_tags = RecommendationTag.objects.filter(
        source=TagSource.MACHINE, status=TagStatus.SUGGESTED
    )
    # Ids in sub-selects, from the open suggestions outwards (their partial index), rather
    # than joining every batch's recommendations and tags and removing the repeats; still a
    # look-up per suggested recommendation (80 ms at 88,000), so remembered for the data
    # version (recommendations.counts: any write to recommendations or tags changes it).
    recommendations = Recommendation.objects.filter(pk__in=open_tags.values("recommendation_id"))

    def batch_ids() -> list[int]:
        return list(
            ImportBatch.objects.filter(
                pk__in=recommendations.order_by().values("import_batch_id")
            ).values_list("pk", flat=True)
        )

    ids = _for_this_data("review-batches", batch_ids)
    return ImportBatch.objects.filter(pk__in=ids).order_by("-started_at", "-id")


def _for_this_data(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered for the data version (recommendations.counts: any write to
    recommendations or their tags changes it), so it is never that of older data."""
    key = versioned_key(f"intelligence:{name}")
    return compute() if key is None else remembered(key, compute)


def latest_runs(*, user: AnyUser, limit: int = 5) -> QuerySet[SuggestionRun]:
    _require_internal(user)
    return SuggestionRun.objects.select_related("import_batch", "started_by")[:limit]


@dataclass
class SimilarRecommendation:
    recommendation: Recommendation
    score: float
    repeats: bool


def _is_earlier(other: Recommendation, recommendation: Recommendation) -> bool:
    """True when ``other`` came before ``recommendation`` (an earlier cycle, session or date)."""
    for field in ("cycle", "session", "date"):
        mine, theirs = getattr(recommendation, field), getattr(other, field)
        if mine is not None and theirs is not None and mine != theirs:
            return theirs < mine
    return False


def repeats_earlier(
    other: Recommendation,
    recommendation: Recommendation,
    score: float,
    threshold: float = REPEAT_THRESHOLD,
) -> bool:
    """``recommendation`` repeats ``other``: same State, ``other`` earlier, similar enough."""
    return (
        score >= threshold
        and other.state_id == recommendation.state_id
        and _is_earlier(other, recommendation)
    )


def similar_recommendations(
    *,
    user: AnyUser,
    recommendation: Recommendation,
    k: int = 10,
    index: SimilarityIndex | None = None,
) -> list[SimilarRecommendation]:
    """The k recommendations most similar to ``recommendation`` that the user may see, across
    States, cycles and mechanisms, best first, each with its score and whether
    ``recommendation`` repeats it (same State, earlier, score at least REPEAT_THRESHOLD).

    Uses the built similarity index; a recommendation added since is compared by its text.
    """
    index = index or load_similarity_index()
    visible = _visible_recommendations(user)
    found = []
    wanted = k
    # Some neighbours may be invisible to this reader or deleted since the index was built:
    # ask for more until k are found or the index is exhausted.
    while True:
        neighbours = index.nearest(pk=recommendation.pk, text=recommendation.text, k=wanted * 2)
        scores = dict(neighbours)
        tag_statuses = [TagStatus.ACCEPTED]
        if can_read_internal(user):
            tag_statuses.append(TagStatus.SUGGESTED)
        objects = (
            visible.filter(pk__in=scores)
            .select_related("state", "mechanism", "document")
            .prefetch_related(
                Prefetch(
                    "tags",
                    queryset=RecommendationTag.objects.filter(status__in=tag_statuses)
                    .select_related("term")
                    .order_by("term__scheme", "term__position", "term__code"),
                    to_attr="visible_tags",
                )
            )
        )
        by_pk = {obj.pk: obj for obj in objects}
        found = [
            SimilarRecommendation(
                recommendation=by_pk[pk],
                score=score,
                repeats=repeats_earlier(by_pk[pk], recommendation, score, index.repeat_threshold),
            )
            for pk, score in neighbours
            if pk in by_pk
        ]
        if len(found) >= k or len(neighbours) < wanted * 2 or wanted >= len(index):
            return found[:k]
        wanted *= 4


def repeated_from(similar: Iterable[SimilarRecommendation]) -> list[SimilarRecommendation]:
    """The earlier recommendations (of a ``similar_recommendations`` result) repeated."""
    return [item for item in similar if item.repeats]


@dataclass
class ProposedCluster:
    recommendations: list[Recommendation]
    cohesion: float
    name: str


def _cluster_name(index: SimilarityIndex, texts: list[str]) -> str:
    terms = index.vectorizer.key_terms(texts)
    return " / ".join(terms).capitalize()


def proposed_clusters(
    *,
    user: AnyUser,
    state: Term,
    threshold: float = DEFAULT_CLUSTER_THRESHOLD,
    index: SimilarityIndex | None = None,
) -> list[ProposedCluster]:
    """Groups of a State's recommendations similar enough to be addressed together, largest
    first; each with its members, how alike they are on average, and a name to start from."""
    index = index or load_similarity_index()
    candidates = list(
        _visible_recommendations(user)
        .filter(state=state)
        .select_related("mechanism", "document")
        .order_by("-date", "pk")[:MAX_CLUSTER_CANDIDATES]
    )
    indexed = [obj for obj in candidates if index.positions([obj.pk])[0] >= 0]
    if len(indexed) < 2:
        return []
    scores = pairwise_scores(index, [obj.pk for obj in indexed])
    proposals = []
    for members in cluster_groups(scores, threshold):
        block = scores[members][:, members]
        size = len(members)
        cohesion = float((block.sum() - size) / (size * (size - 1)))
        chosen = [indexed[position] for position in members]
        proposals.append(
            ProposedCluster(
                recommendations=chosen,
                cohesion=round(cohesion, 3),
                name=_cluster_name(index, [obj.text for obj in chosen]),
            )
        )
    return proposals


def state_for_code(code: str | None) -> Term:
    term = Term.objects.filter(scheme=Scheme.STATE, code=(code or "").strip().upper()).first()
    if term is None:
        raise Http404(_("No such State."))
    return term


def recommendation_for(*, user: AnyUser, pk: int) -> Recommendation:
    recommendation = (
        _visible_recommendations(user)
        .select_related("state", "mechanism", "document")
        .filter(pk=pk)
        .first()
    )
    if recommendation is None:
        raise Http404(_("No such recommendation."))
    return recommendation


MEANING_RESULTS = 200
MEANING_DEPTH = 200
# How many of the best texts overall are checked against the facets before falling back to
# ranking exactly the recommendations the facets keep.
MEANING_PREFILTER_DEPTH = 2000
# A facet keeping fewer recommendations than this is read whole and ranked exactly.
MEANING_NARROW = 3000


def _broad_ranking(
    index: "SemanticIndex",
    scores: np.ndarray,
    kept: QuerySet[Recommendation],
    facets: "RecommendationFilters",
) -> list[tuple[int, float]]:
    """The best texts that a broad facet keeps: the best overall checked against the facets;
    when too few pass, all of the facet's ids read and ranked."""
    # Without facets only unpublished recommendations are left out: few, so fewer suffice.
    depth = MEANING_PREFILTER_DEPTH if facets.is_filtered() else 3 * MEANING_DEPTH
    ranked = _passing(index, scores, kept, depth)
    if len(ranked) < MEANING_DEPTH and depth < len(index):
        rows = index.rows_of(
            np.fromiter(kept.order_by().values_list("id", flat=True), dtype=np.int64)
        )
        ranked = index.best(scores, limit=MEANING_DEPTH, rows=rows)
    return ranked


def _passing(
    index: "SemanticIndex", scores: np.ndarray, kept: QuerySet[Recommendation], depth: int
) -> list[tuple[int, float]]:
    """The best ``depth`` texts overall that the facets keep, best first."""
    from rightstrack.recommendations.matching import IdIn

    top = index.best(scores, limit=depth)
    # The ids as one parameter: a list of thousands costs more to compile than to run.
    passing = set(
        kept.filter(IdIn("id", [pk for pk, _score in top])).order_by().values_list("id", flat=True)
    )
    return [(pk, score) for pk, score in top if pk in passing]


# The scores of the last few queries: a search by meaning with a chosen facet ranks the same
# query again for that facet's counts, and the page then asks how close each result is.
QUERY_CACHE_SIZE = 8
_query_cache: OrderedDict[tuple[int, str], tuple["SemanticIndex", np.ndarray | None]] = (
    OrderedDict()
)
_query_cache_lock = threading.Lock()


def query_scores(index: "SemanticIndex", query: str) -> np.ndarray | None:
    """``index.query_scores(query)`` (every indexed text's cosine to the query, or None),
    remembered for the last QUERY_CACHE_SIZE queries of this process."""
    key = (id(index), query)
    with _query_cache_lock:
        cached = _query_cache.get(key)
        if cached is not None and cached[0] is index:
            _query_cache.move_to_end(key)
            return cached[1]
    scores = index.query_scores(query)
    with _query_cache_lock:
        _query_cache[key] = (index, scores)
        while len(_query_cache) > QUERY_CACHE_SIZE:
            _query_cache.popitem(last=False)
    return scores


def meaning_ranking(
    *,
    user: AnyUser,
    filters: "RecommendationFilters",
    limit: int = MEANING_RESULTS,
    index: "SemanticIndex | None" = None,
) -> list[tuple[int, float]]:
    """(id, fused score) of the recommendations ``user`` may see that the search ``filters``
    (the search's RecommendationFilters) keep by their facets, ranked by the meaning of
    ``filters.q`` fused with the full-text ranking of those matching its words (reciprocal rank
    fusion), best first, at most ``limit``. A recommendation need not contain the words to be
    found.

    The ranking by meaning is exact over the recommendations the facets keep. A narrow facet
    (fewer than MEANING_NARROW recommendations) is read whole; for a broad one the best texts
    overall are checked against the facets (one query on a few thousand ids), and only when too
    few pass are all the kept ids read.
    """
    from .semantic import fuse_rankings, load_semantic_index

    if not filters.has_text():
        return []
    index = index or load_semantic_index()
    scores = query_scores(index, filters.q)
    facets = filters.without("q")
    kept = _kept_by_facets(user, facets)
    ranked: list[tuple[int, float]]
    if scores is None:
        ranked = []
    elif not facets.is_filtered() and can_read_internal(user):
        ranked = index.best(scores, limit=MEANING_DEPTH)
    else:
        narrow = None
        if facets.is_filtered():
            # A facet keeping few recommendations is read whole and ranked exactly.
            ids = kept.order_by().values_list("id", flat=True)
            # Whether there is a MEANING_NARROW-th: one row read, not thousands.
            if not list(ids[MEANING_NARROW - 1 : MEANING_NARROW]):
                narrow = list(ids)
        if narrow is not None:
            rows = index.rows_of(np.sort(np.array(narrow, dtype=np.int64)))
            ranked = index.best(scores, limit=MEANING_DEPTH, rows=rows)
        else:
            ranked = _broad_ranking(index, scores, kept, facets)
    return fuse_rankings(ranked[:MEANING_DEPTH], _word_ranked_ids(kept, filters.q), limit=limit)


def _kept_by_facets(user: AnyUser, facets: "RecommendationFilters") -> QuerySet[Recommendation]:
    from rightstrack.recommendations.filters import recommendation_filter
    from rightstrack.recommendations.selectors import tag_statuses_for, visible_recommendations

    return recommendation_filter(
        visible_recommendations(user), facets, tag_statuses=tag_statuses_for(user), user=user
    )


def _word_ranked_ids(kept: QuerySet[Recommendation], query: str) -> list[int]:
    from rightstrack.recommendations.search import apply_text_search

    return list(
        apply_text_search(kept, query, rank=True)
        .order_by("-search_rank", "id")
        .values_list("id", flat=True)[:MEANING_DEPTH]
    )


def word_ranking(
    *, user: AnyUser, filters: "RecommendationFilters", limit: int = MEANING_RESULTS
) -> list[tuple[int, float]]:
    """The words' half of ``meaning_ranking`` alone, scored as the fusion scores it: what a
    search by meaning answers while its index is being built."""
    from .semantic import fuse_rankings

    if not filters.has_text():
        return []
    kept = _kept_by_facets(user, filters.without("q"))
    return fuse_rankings(_word_ranked_ids(kept, filters.q), limit=limit)


def meaning_ranked_ids(
    *,
    user: AnyUser,
    filters: "RecommendationFilters",
    limit: int = MEANING_RESULTS,
    index: "SemanticIndex | None" = None,
) -> list[int]:
    """The ids of ``meaning_ranking``, best first. This is what the recommendation search does
    for ``mode=meaning``: its results are these ids in this order (count = their number)."""
    ranking = meaning_ranking(user=user, filters=filters, limit=limit, index=index)
    return [pk for pk, _score in ranking]


@dataclass
class MeaningMatch:
    """One result of a search by meaning: its id, how close its text is to the query in
    meaning (cosine; None when the index does not hold it yet), and whether it also contains
    the query's words."""

    pk: int
    score: float | None
    matches_words: bool


def meaning_search(
    *,
    user: AnyUser,
    filters: "RecommendationFilters",
    limit: int = MEANING_RESULTS,
    index: "SemanticIndex | None" = None,
) -> list[MeaningMatch]:
    """The results of the recommendation search in ``mode=meaning``: [MeaningMatch], best first.

    The ranking is ``meaning_ranked_ids`` (meaning fused with the words' full-text ranking, among
    what the facets keep and the user may see); a result that neither contains the words nor
    comes any closer in meaning than an unrelated text (cosine 0 or less, e.g. a query none of
    whose words the index knows) is left out. Raises IndexNotBuilt when there is no index.
    """
    from rightstrack.recommendations.matching import IdIn
    from rightstrack.recommendations.search import apply_text_search

    from .semantic import load_semantic_index

    index = index or load_semantic_index()
    ranked = meaning_ranked_ids(user=user, filters=filters, limit=limit, index=index)
    if not ranked:
        return []
    scores = meaning_scores(query=filters.q, ids=ranked, index=index)
    worded = set(
        apply_text_search(Recommendation.objects.filter(IdIn("id", ranked)), filters.q)
        .order_by()
        .values_list("id", flat=True)
    )
    found = []
    for pk in ranked:
        score = scores.get(pk)
        if pk in worded or score is None or score > 0:
            found.append(MeaningMatch(pk=pk, score=score, matches_words=pk in worded))
    return found


def meaning_scores(
    *, query: str, ids: Iterable[int], index: "SemanticIndex | None" = None
) -> dict[int, float]:
    """{id: cosine of the query and the text} for the given ids that the semantic index holds."""
    from .semantic import load_semantic_index

    index = index or load_semantic_index()
    rows = index.rows_of(np.unique(np.fromiter(ids, dtype=np.int64)))
    scores = query_scores(index, query) if len(rows) else None
    if scores is None:
        return {}
    return {int(index.ids[row]): float(scores[row]) for row in rows}


INDEX_READY = "ready"
INDEX_BUILDING = "building"
INDEX_MISSING = "missing"


@dataclass
class IndexStatus:
    """The state of an index for a reader: ``state`` is INDEX_READY (usable; ``missing`` counts
    the recommendations the reader may see that were added since and are not in it yet),
    INDEX_BUILDING (not usable yet, a job is building it: ``job`` says how far) or INDEX_MISSING
    (never built and no job queued). ``job`` is also the update under way of a ready index."""

    built_at: object
    items: int
    missing: int
    state: str = INDEX_READY
    job: "Job | None" = None
    # Of ``items``, how many come from the segment of rows added since the build.
    segment: int = 0

    @property
    def built(self) -> bool:
        return self.state == INDEX_READY

    @property
    def percent(self) -> int | None:
        return self.job.percent if self.job is not None else None

    @property
    def updating(self) -> bool:
        return self.built and self.job is not None


def _index_job() -> "Job | None":
    from rightstrack.jobs.selectors import job_in_progress

    from .jobs import INDEX_JOBS

    return job_in_progress(kinds=INDEX_JOBS)


def index_status(*, user: AnyUser, index: "SimilarityIndex | SemanticIndex") -> IndexStatus:
    """The IndexStatus of a loaded similarity or semantic index for this reader.

    New recommendations reach an index through its segment, which a job rewrites after each
    import (index_builds.py); until that job has run they count as missing.
    """
    newest = int(index.ids.max()) if len(index.ids) else 0
    missing = _visible_recommendations(user).filter(pk__gt=newest).count()
    return IndexStatus(
        built_at=index.built_at,
        items=len(index),
        missing=missing,
        job=_index_job(),
        segment=int(index.info.get("segment", 0)),
    )


def unbuilt_index_status() -> IndexStatus:
    """The IndexStatus of an index that cannot be loaded: being built, or not at all."""
    job = _index_job()
    state = INDEX_BUILDING if job is not None else INDEX_MISSING
    return IndexStatus(built_at=None, items=0, missing=0, state=state, job=job)


def semantic_index_status(*, user: AnyUser) -> IndexStatus:
    """The IndexStatus of the semantic-search index."""
    from .indexes import IndexNotBuilt
    from .semantic import load_semantic_index

    try:
        index = load_semantic_index()
    except IndexNotBuilt:
        return unbuilt_index_status()
    return index_status(user=user, index=index)


@dataclass
class TaggerState:
    scheme: str
    label: str
    trained_at: datetime | None


@dataclass
class ModelsOverview:
    """The models page: each index's state, each tagger's, and the jobs preparing them."""

    indexes: dict[str, IndexStatus]
    taggers: list[TaggerState]
    training: "Job | None"


def models_overview(*, user: AnyUser) -> ModelsOverview:
    from rightstrack.jobs.selectors import job_in_progress

    from .index_builds import INDEXES
    from .indexes import IndexNotBuilt, load_current
    from .jobs import TRAIN_TAGGERS_JOB
    from .tagging.schemes import SCHEMES
    from .tagging.store import default_model_path

    _require_internal(user)
    indexes = {}
    for name, _module, index_type in INDEXES:
        try:
            index = load_current(name, expected_type=index_type, command="similarity build")
        except IndexNotBuilt:
            indexes[name] = unbuilt_index_status()
            continue
        indexes[name] = index_status(user=user, index=index)
    taggers = []
    for name, scheme in SCHEMES.items():
        path = default_model_path(name)
        trained_at = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) if path.exists() else None
        taggers.append(TaggerState(scheme=name, label=str(scheme.label), trained_at=trained_at))
    return ModelsOverview(
        indexes=indexes,
        taggers=taggers,
        training=job_in_progress(kinds=(TRAIN_TAGGERS_JOB,)),
    )
