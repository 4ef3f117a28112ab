"""The filters of the recommendation list: one parser and one filter function serve the page,
the export (page and command line) and the API, so the three always agree.

Terms are named by their code in URLs (``state=BLR&mechanism=UPR&sdg_target=16.2``) so a
filtered list is a readable, shareable address. Several values of one filter widen it (any of
them); different filters narrow it (all of them). ``mode=meaning`` searches the text by meaning
as well as words (see selectors.RecommendationSearch); like ``sort`` it is not a filter.
"""

from dataclasses import dataclass, fields, replace

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filtering import as_id
from rightstrack.core.listing import SortOption, resolve_sort
from rightstrack.taxonomy.models import Scheme, Term

from .extensions import registered
from .models import (
    Cluster,
    ImplementationStatus,
    Position,
    Recommendation,
    RecommendationTag,
    TagStatus,
)
from .search import apply_text_search, parse_query

# How "no position stated" is written in a URL, where an empty value would be dropped.
POSITION_NOT_STATED = "not-stated"
MAX_VALUES_PER_FILTER = 50
MAX_VALUE_LENGTH = 300

# Filters naming terms that sit in a column of the recommendation itself.
COLUMN_TERM_FILTERS = {
    "state": ("state", Scheme.STATE),
    "mechanism": ("mechanism", Scheme.MECHANISM),
    "action": ("action_category", Scheme.ACTION_CATEGORY),
}
# Filters naming terms attached as tags; only tags the reader may see count.
TAG_FILTERS = {
    "theme": Scheme.UHRI_THEME,
    "affected": Scheme.AFFECTED_PERSONS,
    "sdg_target": Scheme.SDG_TARGET,
    "issue": Scheme.UPR_INFO_ISSUE,
}
UPPERCASE_CODES = {"state", "mechanism", "recommending"}
INTEGER_FILTERS = {"cycle", "session", "batch"}
# Whether a measure of an action plan addresses the recommendation ("addressed=yes").
ADDRESSED_YES = "yes"
ADDRESSED_NO = "no"
ADDRESSED_VALUES = (ADDRESSED_YES, ADDRESSED_NO)
# Recommendations whose sources give different positions or dates ("sources=disagree").
SOURCES_DISAGREE = "disagree"
SOURCES_VALUES = (SOURCES_DISAGREE,)

# Tags the public sees: only those a source or a person vouched for, never bare suggestions.
PUBLIC_TAG_STATUSES = (TagStatus.ACCEPTED,)
# Internal readers also see machine suggestions awaiting review; rejected ones count for nobody.
INTERNAL_TAG_STATUSES = (TagStatus.ACCEPTED, TagStatus.SUGGESTED)

# How the text is searched: by its words (full text), or by meaning as well as words (the
# semantic index of the intelligence app, fused with the full-text ranking).
MODE_WORDS = "words"
MODE_MEANING = "meaning"
SEARCH_MODES = (
    (MODE_WORDS, _("Words")),
    (MODE_MEANING, _("Meaning")),
)
DEFAULT_MODE = MODE_WORDS

SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
RECOMMENDATION_SORTS = [
    SortOption(SORT_RELEVANCE, _("Relevance"), ("-search_rank", "id")),
    SortOption(SORT_NEWEST, _("Newest first"), ("-date", "id")),
    SortOption("oldest", _("Oldest first"), ("date", "id")),
    SortOption("state", _("State under review"), ("state__label_en", "-date", "id")),
    SortOption("number", _("Document and number"), ("document__symbol", "number", "id")),
]


@dataclass(frozen=True)
class RecommendationFilters:
    """What a reader asked for; every multi-valued filter is a tuple of codes or numbers."""

    q: str = ""
    state: tuple[str, ...] = ()
    mechanism: tuple[str, ...] = ()
    cycle: tuple[int, ...] = ()
    session: tuple[int, ...] = ()
    position: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    affected: tuple[str, ...] = ()
    sdg_goal: tuple[str, ...] = ()
    sdg_target: tuple[str, ...] = ()
    issue: tuple[str, ...] = ()
    action: tuple[str, ...] = ()
    recommending: tuple[str, ...] = ()
    cluster: tuple[str, ...] = ()
    document: tuple[str, ...] = ()
    # Import batches (ids): the recommendations each created or last changed.
    batch: tuple[int, ...] = ()
    addressed: tuple[str, ...] = ()
    implementation: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    sort: str = ""
    # "" is the default mode (words); only a different mode is kept, so URLs stay short.
    mode: str = ""

    def without(self, name):
        """The same filters with one of them cleared (how a facet counts its own values)."""
        return replace(self, **{name: "" if name in ("q", *NOT_FILTERS) else ()})

    def is_filtered(self):
        """Whether anything narrows the list (the sort order does not)."""
        return any(getattr(self, name) for name in FILTER_NAMES)

    def has_text(self):
        return bool(self.q.strip())

    def searchable(self):
        """These filters as searched: a text of stop words alone ("the", "of the"), which
        PostgreSQL's search leaves out, is left out on every database, so the list is that of
        the other filters (see search.STOP_WORDS)."""
        if self.has_text() and parse_query(self.q).only_stop_words:
            return self.without("q")
        return self

    @property
    def search_mode(self):
        """The mode asked for: MODE_WORDS or MODE_MEANING."""
        return self.mode or DEFAULT_MODE

    def by_meaning(self):
        """Whether the text is to be searched by meaning (a text and the meaning mode)."""
        return self.search_mode == MODE_MEANING and self.has_text()

    @property
    def sort_option(self):
        requested = self.sort or (SORT_RELEVANCE if self.has_text() else SORT_NEWEST)
        if requested == SORT_RELEVANCE and not self.has_text():
            requested = SORT_NEWEST
        return resolve_sort(requested, RECOMMENDATION_SORTS, SORT_NEWEST)

    def query_pairs(self):
        """(name, value) pairs for a query string, in a stable order."""
        pairs = []
        for name in (*FILTER_NAMES, *NOT_FILTERS):
            value = getattr(self, name)
            if isinstance(value, tuple):
                pairs.extend((name, str(item)) for item in value)
            elif value:
                pairs.append((name, value))
        return pairs


# How the list is ordered and searched, not what it keeps.
NOT_FILTERS = ("sort", "mode")
FILTER_NAMES = tuple(
    field.name for field in fields(RecommendationFilters) if field.name not in NOT_FILTERS
)


def _values(data, name):
    if hasattr(data, "getlist"):
        values = data.getlist(name)
    else:
        value = data.get(name)
        if value is None:
            values = []
        elif isinstance(value, list | tuple | set):
            values = list(value)
        else:
            values = [value]
    values = [str(value).replace("\x00", "").strip()[:MAX_VALUE_LENGTH] for value in values]
    return [value for value in values if value]


def _unique(values):
    return tuple(dict.fromkeys(values))[:MAX_VALUES_PER_FILTER]


def parse_filters(data):
    """Filters from a QueryDict (page, export) or a plain dict (API, command line); values
    that cannot mean anything (unknown positions, non-numeric sessions) are dropped."""
    data = data or {}
    parsed = {}
    q_values = _values(data, "q")
    parsed["q"] = q_values[0] if q_values else ""
    for name in FILTER_NAMES:
        if name == "q":
            continue
        values = _values(data, name)
        if name in INTEGER_FILTERS:
            # Plain whole numbers below 100000 (a cycle or session); "³" is a digit to
            # str.isdigit() but not to int(), so the number is read once, by as_id.
            numbers = (as_id(value) for value in values if name == "batch" or len(value) < 6)
            values = [number for number in numbers if number is not None]
        elif name == "position":
            allowed = {choice for choice in Position.values if choice} | {POSITION_NOT_STATED}
            values = [value.lower() for value in values if value.lower() in allowed]
        elif name in UPPERCASE_CODES:
            values = [value.upper() for value in values]
        elif name == "addressed":
            values = [value.lower() for value in values if value.lower() in ADDRESSED_VALUES]
        elif name == "implementation":
            values = [value for value in values if value in ImplementationStatus.values]
        elif name == "sources":
            values = [value.lower() for value in values if value.lower() in SOURCES_VALUES]
        parsed[name] = _unique(values)
    sort_values = _values(data, "sort")
    known_sorts = {option.key for option in RECOMMENDATION_SORTS}
    parsed["sort"] = sort_values[0] if sort_values and sort_values[0] in known_sorts else ""
    mode_values = [value.lower() for value in _values(data, "mode")]
    known_modes = {key for key, _label in SEARCH_MODES} - {DEFAULT_MODE}
    parsed["mode"] = mode_values[0] if mode_values and mode_values[0] in known_modes else ""
    return RecommendationFilters(**parsed)


def _terms(scheme, codes):
    return Term.objects.filter(scheme=scheme, code__in=codes).values("id")


def sdg_goal_terms(codes):
    """The goals themselves and all their targets: a target tag counts for its goal."""
    return Term.objects.filter(
        Q(scheme=Scheme.SDG_GOAL, code__in=codes)
        | Q(scheme=Scheme.SDG_TARGET, parent__scheme=Scheme.SDG_GOAL, parent__code__in=codes)
    ).values("id")


def _tagged(term_ids, tag_statuses):
    return RecommendationTag.objects.filter(term__in=term_ids, status__in=tag_statuses).values(
        "recommendation_id"
    )


def recommendation_filter(
    queryset, filters, *, tag_statuses=PUBLIC_TAG_STATUSES, rank_text=False, user=None
):
    """Narrow ``queryset`` by ``filters`` (a RecommendationFilters).

    ``tag_statuses`` are the tag statuses the reader may see; tag filters ignore the others.
    ``rank_text`` annotates ``search_rank`` for ordering by relevance; such a queryset must not
    be used inside another query (see search.apply_text_search). ``user`` decides which
    measures count for the ``addressed`` and ``implementation`` filters (those the user may
    see; None: the public's); without the plans app (extensions.py) those two filters are ignored.
    A text of stop words alone narrows nothing (``searchable``).
    """
    filters = filters.searchable()
    for name, (field, scheme) in COLUMN_TERM_FILTERS.items():
        codes = getattr(filters, name)
        if codes:
            queryset = queryset.filter(**{f"{field}__in": _terms(scheme, codes)})
    if filters.cycle:
        queryset = queryset.filter(cycle__in=filters.cycle)
    if filters.session:
        queryset = queryset.filter(session__in=filters.session)
    if filters.position:
        positions = ["" if value == POSITION_NOT_STATED else value for value in filters.position]
        queryset = queryset.filter(position__in=positions)
    for name, scheme in TAG_FILTERS.items():
        codes = getattr(filters, name)
        if codes:
            queryset = queryset.filter(id__in=_tagged(_terms(scheme, codes), tag_statuses))
    if filters.sdg_goal:
        queryset = queryset.filter(id__in=_tagged(sdg_goal_terms(filters.sdg_goal), tag_statuses))
    if filters.recommending:
        made_by = Recommendation.recommending_states.through.objects.filter(
            term__in=_terms(Scheme.STATE, filters.recommending)
        ).values("recommendation_id")
        queryset = queryset.filter(id__in=made_by)
    if filters.cluster:
        clustered = Cluster.recommendations.through.objects.filter(
            cluster__slug__in=filters.cluster
        ).values("recommendation_id")
        queryset = queryset.filter(id__in=clustered)
    if filters.document:
        queryset = queryset.filter(document__symbol__in=filters.document)
    if filters.batch:
        queryset = queryset.filter(import_batch_id__in=filters.batch)
    if SOURCES_DISAGREE in filters.sources:
        queryset = queryset.filter(sources_disagree=True)
    implementation = registered.implementation_status
    if implementation is not None and len(filters.addressed) == 1:
        addressed = filters.addressed[0] == ADDRESSED_YES
        queryset = implementation.filter_addressed(queryset, addressed, user=user)
    if implementation is not None and filters.implementation:
        queryset = implementation.filter(queryset, filters.implementation, user=user)
    if filters.has_text():
        queryset = apply_text_search(queryset, filters.q, rank=rank_text)
    return queryset


def recommendation_order(queryset, filters):
    """Order by the whitelisted sort; relevance only when the text was searched with ranking."""
    option = filters.sort_option
    return queryset.order_by(*option.order_by)
