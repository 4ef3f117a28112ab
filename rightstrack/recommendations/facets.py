"""Facet counts for the recommendation list.

Each facet counts its values over the list filtered by every *other* filter, so choosing a
value never hides the alternatives to it. Facets whose own filter is not set share one filtered
set; the counting queries group by a column of the recommendation, by a tag's term, or by a
recommending state, each over the set as a subquery of ids (or over the whole table when
nothing narrows it and the reader may see everything, which lets the indexes answer alone).
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from rightstrack.taxonomy.models import Scheme, Term

from .counts import (
    FACET_COUNTS,
    decode_counts,
    encode_counts,
    kept,
    kept_count,
    list_key,
    remembered,
    search_piece,
    versioned_key,
)
from .extensions import registered
from .filters import (
    ADDRESSED_NO,
    ADDRESSED_YES,
    INTERNAL_TAG_STATUSES,
    POSITION_NOT_STATED,
    PUBLIC_TAG_STATUSES,
    RecommendationFilters,
    recommendation_filter,
)
from .matching import FACET_COLUMNS, MatchingSet
from .models import ImplementationStatus, Position, Recommendation, RecommendationTag
from .search import TextMatch, parse_query

logger = logging.getLogger(__name__)

COLUMN = "column"
TAG = "tag"
SDG_GOAL = "sdg-goal"
RECOMMENDING = "recommending"
# Counted from the measures of action plans that address the recommendations.
ADDRESSED = "addressed"
IMPLEMENTATION = "implementation"
ADDRESSED_CHOICES = (
    (ADDRESSED_YES, gettext_lazy("Yes")),
    (ADDRESSED_NO, gettext_lazy("Not yet")),
)

# A text search matching at least this many recommendations, and more than half the list,
# counts its facets as the whole list less the rest; below it counting them directly is quick.
BROAD_SEARCH_MINIMUM = 5000

# Values a facet shows before the rest fold away under "more".
FACET_TOP = 10

# What a facet needs of a term (not the long descriptions).
TERM_FIELDS_SHOWN = ("scheme", "code", "label_en", "label_ru", "position")

BY_COUNT = "count"
BY_TERM = "term"
BY_VALUE = "value"


@dataclass(frozen=True)
class FacetSpec:
    key: str
    label: str | Promise
    kind: str
    column: str = ""
    scheme: str = ""
    order: str = BY_COUNT


FACET_SPECS = {
    spec.key: spec
    for spec in [
        FacetSpec("state", gettext_lazy("State under review"), COLUMN, "state_id", Scheme.STATE),
        FacetSpec(
            "mechanism",
            gettext_lazy("Mechanism or body"),
            COLUMN,
            "mechanism_id",
            Scheme.MECHANISM,
            BY_TERM,
        ),
        FacetSpec("cycle", gettext_lazy("UPR cycle"), COLUMN, "cycle", order=BY_VALUE),
        FacetSpec("session", gettext_lazy("UPR session"), COLUMN, "session", order=BY_VALUE),
        FacetSpec("position", gettext_lazy("Position"), COLUMN, "position", order=BY_VALUE),
        FacetSpec("addressed", gettext_lazy("Addressed by a measure"), ADDRESSED, order=BY_VALUE),
        FacetSpec(
            "implementation",
            gettext_lazy("Implementation status"),
            IMPLEMENTATION,
            order=BY_VALUE,
        ),
        FacetSpec("theme", gettext_lazy("Theme"), TAG, scheme=Scheme.UHRI_THEME),
        FacetSpec(
            "affected", gettext_lazy("Affected persons"), TAG, scheme=Scheme.AFFECTED_PERSONS
        ),
        FacetSpec(
            "sdg_goal", gettext_lazy("SDG goal"), SDG_GOAL, scheme=Scheme.SDG_GOAL, order=BY_TERM
        ),
        FacetSpec("sdg_target", gettext_lazy("SDG target"), TAG, scheme=Scheme.SDG_TARGET),
        FacetSpec("issue", gettext_lazy("UPR Info issue"), TAG, scheme=Scheme.UPR_INFO_ISSUE),
        FacetSpec(
            "action",
            gettext_lazy("Action category"),
            COLUMN,
            "action_category_id",
            Scheme.ACTION_CATEGORY,
            BY_TERM,
        ),
        FacetSpec(
            "recommending", gettext_lazy("Recommending state"), RECOMMENDING, scheme=Scheme.STATE
        ),
    ]
}
DEFAULT_FACETS = tuple(FACET_SPECS)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @cached_property
    def selected_values(self):
        return [value for value in self.values if value.selected]

    @property
    def top(self):
        return self.values[:FACET_TOP]

    @property
    def more(self):
        return self.values[FACET_TOP:]

    @property
    def more_has_selected(self):
        return any(value.selected for value in self.more)


def _column_counts(matching, columns):
    """{column: {value: count}} for several columns of one set, in one grouping query."""
    counts = {column: {} for column in columns}
    rows = matching.order_by().values_list(*columns).annotate(n=Count("id"))
    for *values, n in rows:
        for column, value in zip(columns, values, strict=True):
            counts[column][value] = counts[column].get(value, 0) + n
    return counts


def _tag_counts(restrict, schemes, tag_statuses, hidden=None):
    """{term id: count} over the tags of some vocabularies; which is which the terms tell.

    ``hidden`` (ids of the recommendations left out of a set that is nearly the whole table)
    counts every tag less those of the hidden: the (term, status) index answers the first
    alone, the (recommendation, status, term) index the second, where restricting to the set's
    ids would look up the tags of every recommendation in it (0.13 s against 0.6 s at 100,000).
    """
    # A subquery of term ids, not a join: the join would look up a term for every tag.
    terms = Term.objects.filter(scheme__in=schemes).values("id")
    tags = RecommendationTag.objects.filter(status__in=tag_statuses, term__in=terms)
    if hidden is None:
        return _count_by_term(restrict(tags))
    counts = _count_by_term(tags)
    for term_id, n in _count_by_term(tags.filter(recommendation__in=hidden)).items():
        counts[term_id] -= n
    return {term_id: n for term_id, n in counts.items() if n}


def _count_by_term(tags):
    return dict(tags.order_by().values_list("term_id").annotate(n=Count("id")))


def _sdg_goal_counts(restrict, tag_statuses):
    """{goal id: recommendations tagged with the goal or one of its targets}.

    A recommendation tagged with two targets of one goal counts once for that goal. The pairs
    (recommendation, SDG term) are read, about one per recommendation, and the goals counted
    here: the database's COUNT(DISTINCT) per goal over a join to the terms took four times
    longer.
    """
    goal_of = {
        term_id: term_id if scheme == Scheme.SDG_GOAL else parent_id
        for term_id, scheme, parent_id in Term.objects.filter(
            scheme__in=[Scheme.SDG_GOAL, Scheme.SDG_TARGET]
        ).values_list("id", "scheme", "parent_id")
    }
    tags = restrict(
        RecommendationTag.objects.filter(status__in=tag_statuses, term__in=list(goal_of))
    )
    pairs = {
        (recommendation_id, goal_of[term_id])
        for recommendation_id, term_id in tags.order_by().values_list(
            "recommendation_id", "term_id"
        )
    }
    return dict(Counter(goal for _recommendation_id, goal in pairs if goal is not None))


def _recommending_counts(restrict):
    made = restrict(Recommendation.recommending_states.through.objects.all())
    rows = made.order_by().values_list("term_id").annotate(n=Count("id"))
    return dict(rows)


def _implementation_counts(matching, *, matching_set, user, total=None):
    """{ImplementationStatus value: count} over the set, from the measures the user may see."""
    counts = registered.implementation_status.counts
    if matching_set is not None:
        among = Recommendation.objects.filter(matching_set.condition())
        return counts(among, user=user, total=len(matching_set), ids=matching_set.ids)
    return counts(matching, user=user, total=total)


def _addressed_counts(implementation_counts):
    not_addressed = implementation_counts.get(ImplementationStatus.NOT_ADDRESSED, 0)
    addressed = sum(implementation_counts.values()) - not_addressed
    return {ADDRESSED_YES: addressed, ADDRESSED_NO: not_addressed}


def _count_group(
    specs,
    matching,
    *,
    whole,
    tag_statuses,
    matching_set=None,
    user=None,
    unfiltered=False,
    total=None,
):
    """Raw counts {facet key: {stored value: count}} of facets sharing one filtered set:
    ``matching`` (a queryset), or ``matching_set`` (a MatchingSet read from it) when given.
    ``unfiltered`` says that no filter narrows ``matching``: it holds what the reader may see,
    which is most of the table. ``total``: the number of recommendations in the set, when
    known."""
    ids = None if whole or matching_set is not None else matching.order_by().values("id")
    hidden = None
    if unfiltered and ids is not None:
        hidden = Recommendation.objects.exclude(id__in=ids).values("id")

    def restrict(queryset):
        # Tags and recommending states of the set: by the ids read, or by a subquery.
        if whole:
            return queryset
        if matching_set is not None:
            return queryset.filter(matching_set.condition("recommendation_id"))
        return queryset.filter(recommendation__in=ids)

    counts = {}
    tag_schemes = [spec.scheme for spec in specs if spec.kind == TAG]
    if tag_schemes:
        tag_counts = _tag_counts(restrict, tag_schemes, tag_statuses, hidden)
        counts.update({spec.key: tag_counts for spec in specs if spec.kind == TAG})
    columns = [spec.column for spec in specs if spec.kind == COLUMN]
    if columns:
        if matching_set is not None:
            by_column = matching_set.column_counts(columns)
        else:
            by_column = _column_counts(matching, columns)
        counts.update({spec.key: by_column[spec.column] for spec in specs if spec.kind == COLUMN})
    for spec in specs:
        if spec.kind == SDG_GOAL:
            counts[spec.key] = _sdg_goal_counts(restrict, tag_statuses)
        elif spec.kind == RECOMMENDING:
            counts[spec.key] = _recommending_counts(restrict)
    if any(spec.kind in (ADDRESSED, IMPLEMENTATION) for spec in specs):
        statuses = _implementation_counts(
            matching, matching_set=matching_set, user=user, total=total
        )
        for spec in specs:
            if spec.kind == IMPLEMENTATION:
                counts[spec.key] = statuses
            elif spec.kind == ADDRESSED:
                counts[spec.key] = _addressed_counts(statuses)
    return counts


def _terms_for(specs, raw_counts, filters):
    """Every term a facet will show: those counted and those selected (perhaps counted 0)."""
    condition = Q()
    term_ids = set()
    for spec in specs:
        if not spec.scheme:
            continue
        term_ids.update(key for key in raw_counts[spec.key] if key is not None)
        selected = getattr(filters, spec.key)
        if selected:
            condition |= Q(scheme=spec.scheme, code__in=selected)
    if term_ids:
        condition |= Q(id__in=term_ids)
    if not condition:
        return {}
    shown = Term.objects.filter(condition).only(*TERM_FIELDS_SHOWN)
    return {term.pk: term for term in shown}


def _natural(code):
    parts = code.replace("-", ".").split(".")
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts)


def _term_values(spec, counts, terms, selected):
    values = []
    seen = set()
    for term in terms.values():
        if term.scheme != spec.scheme:
            continue
        count = counts.get(term.pk, 0)
        is_selected = term.code in selected
        if count or is_selected:
            seen.add(term.code)
            values.append((term, FacetValue(term.code, term.label, count, is_selected)))
    if spec.order == BY_TERM:
        values.sort(key=lambda pair: (pair[0].position, _natural(pair[0].code)))
    else:
        values.sort(key=lambda pair: (-pair[1].count, pair[1].label.lower()))
    return [value for _term, value in values]


def _choice_values(choices, counts, selected):
    return [
        FacetValue(value, str(label), counts.get(value, 0), value in selected)
        for value, label in choices
        if counts.get(value) or value in selected
    ]


def _plain_values(spec, counts, selected):
    if spec.key == "addressed":
        return _choice_values(ADDRESSED_CHOICES, counts, selected)
    if spec.key == "implementation":
        return _choice_values(ImplementationStatus.choices, counts, selected)
    values = []
    if spec.key == "position":
        for stored, label in Position.choices:
            value = stored or POSITION_NOT_STATED
            count = counts.get(stored, 0)
            if count or value in selected:
                values.append(FacetValue(value, str(label), count, value in selected))
        return values
    numbers = {number for number in counts if number is not None} | set(selected)
    label = _("Cycle %(number)s") if spec.key == "cycle" else _("Session %(number)s")
    for number in sorted(numbers):
        values.append(
            FacetValue(
                str(number), label % {"number": number}, counts.get(number, 0), number in selected
            )
        )
    return values


@dataclass
class _Broad:
    """The recommendations a broad text search leaves out: their set and their queryset."""

    rest: MatchingSet
    queryset: object


class _Counting:
    """Counts facets for one reader: kept per data version where counts.py keeps them."""

    def __init__(self, visible, tag_statuses, everything_visible, user, version=None):
        self.visible = visible
        # The data version, when the caller has read it (counts.py).
        self.version = version
        self.tag_statuses = tag_statuses
        self.everything_visible = everything_visible
        self.user = user

    def key(self, scoped):
        return list_key(
            scoped, everything_visible=self.everything_visible, tag_statuses=self.tag_statuses
        )

    def total(self, scoped, queryset=None):
        """The number of recommendations ``scoped`` keeps (kept when counts.py keeps it)."""
        if queryset is None:
            queryset = recommendation_filter(
                self.visible, scoped, tag_statuses=self.tag_statuses, user=self.user
            )
        key = self.key(scoped)
        if key is None:
            return queryset.order_by().count()
        return kept_count(
            key, queryset.order_by().count, using=self.visible.db, version=self.version
        )

    def broad_text_search(self, scoped, matching_set):
        """_Broad when ``scoped`` is a text alone that matches more than half the list."""
        if matching_set is None or not scoped.has_text() or scoped.without("q").is_filtered():
            return None
        if self.key(scoped.without("q")) is None:
            return None
        if len(matching_set) < BROAD_SEARCH_MINIMUM:
            return None
        if len(matching_set) * 2 <= self.total(scoped.without("q")):
            return None
        query = parse_query(scoped.q)
        rest = self.visible.exclude(TextMatch(query)) if query else self.visible
        return _Broad(MatchingSet.read(rest), rest)

    def counts(self, specs, scoped, *, matching_set=None, queryset=None):
        """Raw counts {facet key: {value: n}} of ``specs`` over the list ``scoped`` keeps."""
        if queryset is None:
            queryset = recommendation_filter(
                self.visible, scoped, tag_statuses=self.tag_statuses, user=self.user
            )

        def count(specs, total=None):
            return _count_group(
                specs,
                queryset,
                whole=self.everything_visible and not scoped.is_filtered(),
                tag_statuses=self.tag_statuses,
                matching_set=matching_set,
                user=self.user,
                unfiltered=not scoped.is_filtered(),
                total=total,
            )

        key = None if matching_set is not None else self.key(scoped)
        if key is None:
            return count(specs)
        # Kept per data version (counts.py).
        return _keeping(
            specs,
            lambda name, compute: decode_counts(
                kept(
                    f"{name}:{key}",
                    lambda: encode_counts(compute()),
                    using=self.visible.db,
                    version=self.version,
                )
            ),
            count,
            lambda measured: count(measured, total=self.total(scoped, queryset)),
        )


def _keeping(specs, keep, count, count_measured):
    """Raw counts of ``specs``: ``count(specs)`` through ``keep(name, compute)`` (kept or
    remembered under ``name``), but for the facets of action plans' measures, which follow what
    each reader may see of the plans and are counted afresh by ``count_measured(specs)``."""
    measured = [spec for spec in specs if spec.kind in (ADDRESSED, IMPLEMENTATION)]
    kept_specs = [spec for spec in specs if spec not in measured]
    raw_counts = {}
    if kept_specs:
        names = ",".join(spec.key for spec in kept_specs)
        raw_counts.update(keep(f"facets:{names}", lambda: count(kept_specs)))
    if measured:
        raw_counts.update(count_measured(measured))
    return raw_counts


def _less(whole, part):
    """Counts of ``whole`` less those of ``part`` (a subset of it), facet by facet."""
    result = {}
    for facet, counts in whole.items():
        taken = part.get(facet, {})
        left = {value: n - taken.get(value, 0) for value, n in counts.items()}
        result[facet] = {value: n for value, n in left.items() if n}
    return result


def count_facets(
    *,
    visible,
    filters,
    facets,
    tag_statuses,
    everything_visible,
    matching=None,
    user=None,
    read_matching=None,
    remembered_key=None,
    first=None,
    version=None,
):
    """The facets named in ``facets`` over the ``visible`` recommendations and ``filters``.

    ``everything_visible`` says that ``visible`` is the whole table, so an unfiltered facet may
    count without restricting to visible ids. ``matching`` is the MatchingSet of ``filters``
    (or a function giving it, called only when a count needs it) when the caller has read it
    already; facets of a text search read one for themselves, with ``read_matching(filters)``
    when given (a search by meaning: its results are not what the filters' query would keep).
    ``remembered_key``: the search's key (counts.SearchKey) when its counts are remembered.
    ``first``: count only the first ``first`` matches (by id) of a search by words that matches
    more (selectors.BOUNDED_SEARCH_LIMIT); ``matching`` is then those first matches.
    ``user`` decides which measures count for the implementation facets (None: the
    public's). ``version``: the data version (counts.py), when the caller has read it.
    """
    specs = [FACET_SPECS[key] for key in facets if key in FACET_SPECS]
    if registered.implementation_status is None:
        # Only the plans app knows the measures (see extensions.py).
        specs = [spec for spec in specs if spec.kind not in (ADDRESSED, IMPLEMENTATION)]
    context = _Counting(visible, tag_statuses, everything_visible, user, version)

    def matching_set():
        return matching() if callable(matching) else matching

    def count(specs):
        return _count_specs(specs, filters, context, matching_set, read_matching, first)

    measured = [spec for spec in specs if spec.kind in (ADDRESSED, IMPLEMENTATION)]
    kept_specs = [spec for spec in specs if spec not in measured]
    if remembered_key is not None:
        cache_key = remembered_key
    else:
        key = context.key(filters)
        cache_key = None if key is None else versioned_key(key, using=visible.db, version=version)
    if cache_key is None:
        return _facets_of(specs, count(specs), filters)

    def count_measured(measured):
        if remembered_key is None:
            return count(measured)
        # The links to measures, with the search's length as remembered.
        queryset = recommendation_filter(visible, filters, tag_statuses=tag_statuses, user=user)
        total = search_piece(remembered_key, "count", lambda: len(matching_set()))
        return _count_group(
            measured,
            queryset,
            whole=False,
            tag_statuses=tag_statuses,
            user=user,
            total=total,
            matching_set=first_matches() if first is not None else None,
        )

    def first_matches():
        # The ids of a bounded search's first matches, remembered: the measures' counts are
        # counted afresh for each reader, over the same set as the other facets.
        ids = search_piece(remembered_key, "first-ids", lambda: matching_set().ids)
        return MatchingSet([(pk,) for pk in ids])

    # The facets of the data alone, as shown (labels in this language, values selected), are
    # remembered for the data version (counts.py): the next reader of the same list reads no
    # counts and no terms. Those of action plans' measures follow what each reader may see of
    # the plans and are counted afresh.
    by_key = {}
    if kept_specs:
        names = ",".join(spec.key for spec in kept_specs)

        def raw_counts():
            if remembered_key is None:
                return count(kept_specs)  # kept per data version (counts.py)
            # A search by words: its counts are remembered, whatever the language.
            return search_piece(
                remembered_key,
                f"facets:{names}",
                lambda: count(kept_specs),
                kept_as=FACET_COUNTS,
            )

        shown = remembered(
            f"facets-shown:{get_language()}:{names}:{cache_key}",
            lambda: _facets_of(kept_specs, raw_counts(), filters),
        )
        by_key.update((facet.key, facet) for facet in shown)
    if measured:
        shown = _facets_of(measured, count_measured(measured), filters)
        by_key.update((facet.key, facet) for facet in shown)
    return [by_key[spec.key] for spec in specs]


def _count_specs(specs, filters, context, matching_set, read_matching, first=None):
    """Raw counts {facet key: {value: n}} of ``specs``: each group of facets that shares a
    filtered set (those whose own filter is set count without it) counted together."""
    groups = {}
    for spec in specs:
        excluded = spec.key if getattr(filters, spec.key) else None
        groups.setdefault(excluded, []).append(spec)
    raw_counts = {}
    for excluded, group in groups.items():
        scoped = filters.without(excluded) if excluded else filters
        queryset = recommendation_filter(
            context.visible, scoped, tag_statuses=context.tag_statuses, user=context.user
        )
        matching = matching_set() if excluded is None else None
        if matching is None and scoped.has_text() and first is not None:
            first_rows = queryset.order_by("id").values_list("id", *FACET_COLUMNS)[:first]
            matching = MatchingSet(list(first_rows))
        if matching is None and scoped.has_text():
            matching = read_matching(scoped) if read_matching else MatchingSet.read(queryset)
        bounded = read_matching or first is not None
        broad = None if bounded else context.broad_text_search(scoped, matching)
        if broad is not None:
            # Most of the list: every facet's counts are those of the whole list (kept) less
            # those of the few recommendations the words do not match.
            whole = context.counts(group, scoped.without("q"))
            rest = context.counts(group, scoped, matching_set=broad.rest, queryset=broad.queryset)
            raw_counts.update(_less(whole, rest))
        else:
            raw_counts.update(
                context.counts(group, scoped, matching_set=matching, queryset=queryset)
            )
    return raw_counts


def _facets_of(specs, raw_counts, filters):
    terms = _terms_for(specs, raw_counts, filters)
    result = []
    for spec in specs:
        selected = getattr(filters, spec.key)
        if spec.scheme:
            values = _term_values(spec, raw_counts[spec.key], terms, selected)
        else:
            values = _plain_values(spec, raw_counts[spec.key], selected)
        result.append(Facet(spec.key, str(spec.label), values))
    return result


def count_unfiltered_lists():
    """Count the unfiltered list and its facets for each kind of reader (the public, internal
    readers) and keep them for the current data version (counts.py), so that its first reader
    after a change reads them instead of counting (1-2 s at 250,000 recommendations). The
    facets of action plans' measures are counted by each reader."""
    keys = [
        key for key, spec in FACET_SPECS.items() if spec.kind not in (ADDRESSED, IMPLEMENTATION)
    ]
    filters = RecommendationFilters()
    for everything_visible, tag_statuses in (
        (False, PUBLIC_TAG_STATUSES),
        (True, INTERNAL_TAG_STATUSES),
    ):
        visible = Recommendation.objects.all()
        if not everything_visible:
            visible = visible.filter(is_published=True)
        count_facets(
            visible=visible,
            filters=filters,
            facets=keys,
            tag_statuses=tag_statuses,
            everything_visible=everything_visible,
        )
        key = list_key(filters, everything_visible=everything_visible, tag_statuses=tag_statuses)
        kept_count(key, visible.order_by().count, using=visible.db)


COUNT_JOB = "recommendations.count_lists"
COUNT_LABEL = gettext_lazy("Counting the recommendation list after a change")
# The job's work: prepared_searches.run_count, which also prepares the searches asked most.

# A count job waiting longer than this is not counted on to count a new change (its task may
# be lost): another is queued.
COUNT_JOB_WAITS = timedelta(minutes=10)


def start_count() -> None:
    """Queue the count of the unfiltered lists (count_ahead.py queues it after every committed
    write to what they count): the job already waiting, if any, counts this change too, so a
    burst of writes is counted once. It goes before the jobs already waiting: readers wait."""
    from rightstrack.jobs.services import job_start

    try:
        job_start(
            kind=COUNT_JOB,
            user=None,
            label=str(COUNT_LABEL),
            first=True,
            once=True,
            waiting_at_most=COUNT_JOB_WAITS,
        )
    except Exception:  # The write is done; the first reader counts.
        logger.exception("the count of the recommendation list could not be queued")
