"""Reads of recommendations and clusters, always scoped to the reader.

The public (and anyone who is not an internal reader) sees published recommendations only, and
of their tags only the accepted ones: machine suggestions are never public.
"""

from django.db.models import Count, Prefetch, Q

from rightstrack.accounts.roles import can_read_internal
from rightstrack.taxonomy.models import Term

from .facets import DEFAULT_FACETS, count_facets
from .filters import (
    INTERNAL_TAG_STATUSES,
    PUBLIC_TAG_STATUSES,
    SORT_RELEVANCE,
    RecommendationFilters,
    recommendation_filter,
    recommendation_order,
)
from .models import Cluster, Recommendation, RecommendationTag

TAG_ORDER = ("term__scheme", "term__position", "term__code")
# Term fields a list never shows; leaving them out saves parsing JSON for every row.
UNSHOWN_TERM_FIELDS = ("description_en", "description_ru", "aliases", "search_text")
LIST_TERMS = ("state", "mechanism", "action_category")


def _unshown(prefix=""):
    return [f"{prefix}{name}" for name in UNSHOWN_TERM_FIELDS]


def _light_terms():
    return Term.objects.defer(*_unshown())


def tag_statuses_for(user):
    return INTERNAL_TAG_STATUSES if can_read_internal(user) else PUBLIC_TAG_STATUSES


def visible_recommendations(user):
    recommendations = Recommendation.objects.all()
    if not can_read_internal(user):
        recommendations = recommendations.filter(is_published=True)
    return recommendations


def _visible_tags(user):
    tags = (
        RecommendationTag.objects.filter(status__in=tag_statuses_for(user))
        .select_related("term")
        .defer(*_unshown("term__"))
        .order_by(*TAG_ORDER)
    )
    return Prefetch("tags", queryset=tags, to_attr="visible_tags")


def _with_list_relations(recommendations, user):
    deferred = ["wordings"] + [path for field in LIST_TERMS for path in _unshown(f"{field}__")]
    return (
        recommendations.select_related(*LIST_TERMS, "document")
        .defer(*deferred)
        .prefetch_related(
            Prefetch("recommending_states", queryset=_light_terms()), _visible_tags(user)
        )
    )


def recommendation_list(*, user, filters=None):
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
    )
    return _with_list_relations(recommendation_order(recommendations, filters), user)


class RecommendationResults:
    """A sorted recommendation list, counted and sliced (by a Paginator, by the API) in two
    steps: first the ids of the slice (the database sorts narrow rows), then those rows with
    everything a list shows.

    Sorting every match with its text and terms attached costs several times more than sorting
    ids when a search matches thousands of recommendations.
    """

    ordered = True

    def __init__(self, sorted_recommendations, user):
        self.sorted = sorted_recommendations
        self.user = user

    def count(self):
        return self.sorted.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        ids = list(self.sorted.values_list("id", flat=True)[key])
        rows = _with_list_relations(Recommendation.objects.filter(pk__in=ids), self.user)
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids]


def recommendation_results(*, user, filters=None):
    """:func:`recommendation_list` as a countable, sliceable sequence for pages and the API."""
    filters = filters or RecommendationFilters()
    ranked = filters.sort_option.key == SORT_RELEVANCE
    recommendations = recommendation_filter(
        visible_recommendations(user),
        filters,
        tag_statuses=tag_statuses_for(user),
        rank_text=ranked,
    )
    return RecommendationResults(recommendation_order(recommendations, filters), user)


def recommendation_ids(*, user, filters=None):
    """The ids of the recommendations the user may see that match ``filters``, unordered: a
    subquery for other queries."""
    filters = filters or RecommendationFilters()
    return (
        recommendation_filter(
            visible_recommendations(user), filters, tag_statuses=tag_statuses_for(user)
        )
        .order_by()
        .values("id")
    )


def recommendation_facets(*, user, filters=None, facets=DEFAULT_FACETS):
    """Counts per value of each facet, each over the list filtered by every other facet."""
    filters = filters or RecommendationFilters()
    return count_facets(
        visible=visible_recommendations(user),
        filters=filters,
        facets=facets,
        tag_statuses=tag_statuses_for(user),
        everything_visible=can_read_internal(user),
    )


def recommendation_get(*, user, pk):
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


def cluster_list(*, user, filters=None):
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


def cluster_get(*, user, slug):
    """One cluster; DoesNotExist when there is none."""
    return Cluster.objects.select_related("state", "created_by").get(slug=slug)


def cluster_choices(*, user):
    """The clusters a manager may put recommendations in, by name."""
    return Cluster.objects.only("id", "name", "slug").order_by("name", "id")
