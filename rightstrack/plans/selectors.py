"""Reads of plans and measures, always scoped to what the user may see (see access.py)."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from rightstrack.core.listing import resolve_sort
from rightstrack.core.roles import can_read_internal
from rightstrack.core.rows import rows_in
from rightstrack.core.types import AnyUser, Filters
from rightstrack.recommendations.models import (
    Cluster,
    Position,
    Recommendation,
    RecommendationTag,
    TagStatus,
)
from rightstrack.recommendations.selectors import visible_recommendations
from rightstrack.taxonomy.models import Agency, Term

from .access import focal_agency_id, visible_measures, visible_plans
from .filters import (
    THEME_SCHEMES,
    UNCOVERED_SORTS,
    filter_measures,
    filter_plans,
    sort_measures,
    sort_plans,
)
from .models import ActionPlan, Indicator, Measure
from .services import INDICATOR_FIELDS, MEASURE_FIELDS
from .statuses import (
    annotate_implementation_status,
    annotate_measure_status,
    recommendations_addressed_filter,
)

# Positions that count as "supported" when asking which recommendations a plan still leaves out.
SUPPORTED_POSITIONS = (Position.SUPPORTED, Position.SUPPORTED_IN_PART)
LINK_SEARCH_LIMIT = 30


def _visible_measure_count(user: AnyUser) -> Coalesce:
    counted = (
        visible_measures(user)
        .filter(plan_id=OuterRef("pk"))
        .order_by()
        .values("plan_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted), Value(0))


def plan_list(*, user: AnyUser, filters: Filters | None = None) -> QuerySet[ActionPlan]:
    filters = filters or {}
    plans = filter_plans(visible_plans(user), filters).select_related("state")
    plans = plans.annotate(measure_count=_visible_measure_count(user))
    return sort_plans(plans, filters.get("sort"))


def plan_get(*, user: AnyUser, slug: str) -> ActionPlan:
    plan = (
        visible_plans(user)
        .select_related("state")
        .annotate(measure_count=_visible_measure_count(user))
        .filter(slug=slug)
        .first()
    )
    if plan is None:
        raise Http404(_("No such action plan."))
    return plan


def _agencies_in_order() -> QuerySet[Agency]:
    return Agency.objects.order_by("name_en", "pk")


# The prefetched agencies as a list on each measure (``to_attr``) rather than in its related
# manager: for a manager Django makes each row its own filtered queryset.
AGENCY_LIST = "agency_list"


def _measures(user: AnyUser, filters: Filters) -> QuerySet[Measure]:
    measures = annotate_measure_status(visible_measures(user))
    measures = filter_measures(measures, filters, user=user)
    return sort_measures(measures, filters.get("sort"))


def measure_list(*, user: AnyUser, filters: Filters | None = None) -> QuerySet[Measure]:
    """Visible measures with ``derived_status``, their plan and agencies (``agency_list``, in
    name order), filtered and sorted; a fixed number of queries whatever the number of rows."""
    return (
        _measures(user, filters or {})
        .select_related("plan")
        .prefetch_related(
            Prefetch("responsible_agencies", queryset=_agencies_in_order(), to_attr=AGENCY_LIST)
        )
    )


def measure_get(*, user: AnyUser, pk: int) -> Measure:
    measure = (
        annotate_measure_status(visible_measures(user))
        .select_related("plan", "plan__state")
        .prefetch_related(
            Prefetch("responsible_agencies", queryset=_agencies_in_order()),
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk")),
        )
        .filter(pk=pk)
        .first()
    )
    if measure is None:
        raise Http404(_("No such measure."))
    return measure


# A measure as the API shows it is a dict (plans.schemas.MeasureOut): values() rows, and for a
# page of them the other tables' values looked up by their ids. Model instances of the measures,
# their plans, indicators and recommendations were three quarters of the time of a page of 50.
MEASURE_RECORD_FIELDS = (
    "id",
    *(name for name in MEASURE_FIELDS if name != "responsible_agencies"),
    "version",
    "is_example",
)
INDICATOR_RECORD_FIELDS = ("id", *(name for name in INDICATOR_FIELDS if name != "position"))


def measure_records(*, user: AnyUser, filters: Filters | None = None) -> QuerySet[Any]:
    """The measures of ``measure_list`` as rows (dicts) of their own fields with ``plan__slug``
    and ``derived_status``; ``with_linked_records`` makes a page of them what the API shows."""
    return _measures(user, filters or {}).values(
        *MEASURE_RECORD_FIELDS, "plan__slug", "derived_status"
    )


def _grouped(pairs: Iterable[tuple[int, Any]]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


def with_linked_records(rows: list[dict[str, Any]], *, user: AnyUser) -> list[dict[str, Any]]:
    """Rows of ``measure_records`` as the API shows them: ``plan`` (its slug), ``status``,
    ``responsible_agencies`` (codes, in name order), ``indicators`` (dicts, in order) and
    ``recommendations`` (the ids of those the user may see); three queries for any number of
    rows (none for none)."""
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    agencies = _grouped(
        Measure.responsible_agencies.through.objects.filter(measure_id__in=ids)
        .order_by("agency__name_en", "agency_id")
        .values_list("measure_id", "agency__code")
    )
    indicators = _grouped(
        (indicator.pop("measure_id"), indicator)
        for indicator in rows_in(
            Indicator,
            ("measure_id", *INDICATOR_RECORD_FIELDS),
            key="measure_id",
            values=ids,
            order_by=("position", "id"),
        )
    )
    links = Measure.recommendations.through.objects.filter(measure_id__in=ids)
    if not can_read_internal(user):
        links = links.filter(recommendation__is_published=True)
    recommendations = _grouped(
        links.order_by("recommendation_id").values_list("measure_id", "recommendation_id")
    )
    return [
        {
            **{name: row[name] for name in MEASURE_RECORD_FIELDS},
            "plan": row["plan__slug"],
            "status": row["derived_status"],
            "responsible_agencies": agencies[row["id"]],
            "indicators": indicators[row["id"]],
            "recommendations": recommendations[row["id"]],
        }
        for row in rows
    ]


def measure_record(*, user: AnyUser, pk: int) -> dict[str, Any]:
    """One measure as the API shows it (see ``with_linked_records``); 404 when it does not
    exist or the user may not see it."""
    row = measure_records(user=user).filter(pk=pk).first()
    if row is None:
        raise Http404(_("No such measure."))
    return with_linked_records([row], user=user)[0]


def indicator_get(*, user: AnyUser, pk: int) -> Indicator:
    indicator = Indicator.objects.filter(
        pk=pk, measure__in=visible_measures(user).values("pk")
    ).first()
    if indicator is None:
        raise Http404(_("No such indicator."))
    return indicator


def measure_recommendations(*, user: AnyUser, measure: Measure) -> QuerySet[Recommendation]:
    """The recommendations a measure answers, each with its implementation status."""
    recommendations = measure.recommendations.select_related("document", "mechanism")
    if not can_read_internal(user):
        recommendations = recommendations.filter(is_published=True)
    recommendations = annotate_implementation_status(recommendations, user=user)
    return recommendations.order_by("document__symbol", "number", "pk")


def _recommendations_of_state(user: AnyUser, state_id: int) -> QuerySet[Recommendation]:
    return visible_recommendations(user).filter(state_id=state_id)


def recommendations_to_link(
    *, user: AnyUser, measure: Measure, query: str | None, position: str | None = None
) -> QuerySet[Recommendation]:
    """Recommendations made to the plan's state, not linked yet, matching a text or a number
    and the State's position on them (supported, noted...), for picking."""
    wanted = (query or "").strip()
    position = position if position in Position.values else None
    if not wanted and not position:
        return Recommendation.objects.none()
    recommendations = _recommendations_of_state(user, measure.plan.state_id)
    if wanted:
        recommendations = recommendations.filter(
            Q(number__iexact=wanted)
            | Q(number__istartswith=f"{wanted}.")
            | Q(document__symbol__iexact=wanted)
            | Q(text__icontains=wanted)
        )
    if position:
        recommendations = recommendations.filter(position=position)
    linked = measure.recommendations.values("pk")
    return (
        recommendations.exclude(pk__in=linked)
        .select_related("document", "mechanism")
        .order_by("document__symbol", "number", "pk")[:LINK_SEARCH_LIMIT]
    )


# At most this many recommendations are taken to the "link to a measure" page at once.
LINK_CHOSEN_LIMIT = 200


def chosen_recommendations(*, user: AnyUser, ids: list[int]) -> list[Recommendation]:
    """The recommendations with these ids the user may see (at most LINK_CHOSEN_LIMIT), in
    document and number order, for the page that links them to a measure."""
    if not ids:
        return []
    return list(
        visible_recommendations(user)
        .filter(pk__in=ids[:LINK_CHOSEN_LIMIT])
        .select_related("document", "state", "mechanism")
        .order_by("document__symbol", "number", "pk")
    )


def measures_to_link(
    *,
    user: AnyUser,
    recommendations: list[Recommendation],
    query: str | None = None,
    plan: str | None = None,
) -> QuerySet[Measure]:
    """Measures that may answer these recommendations: of plans for the State they were made
    to (all one State), matching a number or words of the title and a plan, for picking."""
    states = {recommendation.state_id for recommendation in recommendations}
    if len(states) != 1:
        return Measure.objects.none()
    measures = visible_measures(user).filter(plan__state_id=states.pop())
    wanted = (query or "").strip()
    if wanted:
        measures = measures.filter(
            Q(number__iexact=wanted)
            | Q(number__istartswith=f"{wanted}.")
            | Q(title__icontains=wanted)
        )
    if plan:
        measures = measures.filter(plan__slug=plan)
    return measures.select_related("plan").order_by("plan__name", "number", "pk")[
        :LINK_SEARCH_LIMIT
    ]


def plans_to_link(*, user: AnyUser, recommendations: list[Recommendation]) -> QuerySet[ActionPlan]:
    """The plans for the State of these recommendations, to narrow the measures by."""
    states = {recommendation.state_id for recommendation in recommendations}
    return visible_plans(user).filter(state_id__in=states).order_by("name")


def clusters_to_link(*, measure: Measure) -> QuerySet[Cluster]:
    return (
        Cluster.objects.filter(
            Q(state_id=measure.plan.state_id) | Q(state__isnull=True),
            recommendations__state_id=measure.plan.state_id,
        )
        .distinct()
        .order_by("name")
    )


def supported_recommendations(*, user: AnyUser, plan: ActionPlan) -> QuerySet[Recommendation]:
    """The supported (fully or in part) recommendations made to the plan's state."""
    return _recommendations_of_state(user, plan.state_id).filter(position__in=SUPPORTED_POSITIONS)


def uncovered_recommendations(
    *,
    user: AnyUser,
    plan: ActionPlan,
    scope: str = "plan",
    query: str | None = "",
    sort: str | None = "number",
) -> QuerySet[Recommendation]:
    """Supported recommendations no measure addresses yet: no measure of this plan
    (``scope="plan"``) or of any plan the user may see (``scope="all"``); each with its
    implementation status (addressed by other plans, when the scope is this plan)."""
    recommendations = supported_recommendations(user=user, plan=plan)
    if scope == "all":
        recommendations = recommendations_addressed_filter(recommendations, False, user=user)
    else:
        plan_measures = visible_measures(user).filter(plan=plan).values("pk")
        recommendations = recommendations.exclude(
            pk__in=Measure.recommendations.through.objects.filter(measure__in=plan_measures).values(
                "recommendation_id"
            )
        )
    wanted = (query or "").strip()
    if wanted:
        recommendations = recommendations.filter(
            Q(text__icontains=wanted)
            | Q(number__iexact=wanted)
            | Q(document__symbol__iexact=wanted)
        )
    recommendations = annotate_implementation_status(
        recommendations.select_related("document", "mechanism"), user=user
    )
    return recommendations.order_by(*resolve_sort(sort, UNCOVERED_SORTS, "number").order_by)


def agencies_with_measures(*, user: AnyUser, plan: ActionPlan | None = None) -> QuerySet[Agency]:
    """Agencies responsible for at least one visible measure (of the plan), for filters."""
    measures = visible_measures(user)
    if plan is not None:
        measures = measures.filter(plan=plan)
    return _agencies_in_order().filter(measures__in=measures.values("pk")).distinct()


def user_agency(user: AnyUser) -> Agency | None:
    agency_id = focal_agency_id(user)
    return Agency.objects.filter(pk=agency_id).first() if agency_id else None


def themes_of_measures(*, measures: QuerySet[Measure]) -> QuerySet[Term]:
    """The themes accepted on the recommendations these measures answer, for filters."""
    # The terms' ids in a subquery rather than DISTINCT over the joined rows: PostgreSQL sorted
    # every (term, tag) row, each a whole term, to drop the repeats (50 ms for 1,000 measures).
    answered = Measure.recommendations.through.objects.filter(
        measure__in=measures.values("pk")
    ).values("recommendation_id")
    accepted = RecommendationTag.objects.filter(
        status=TagStatus.ACCEPTED, recommendation_id__in=answered
    ).values("term_id")
    # Only what a choice shows (a term row also holds its descriptions and search text).
    return (
        Term.objects.filter(scheme__in=THEME_SCHEMES, pk__in=accepted)
        .only("code", "label_en", "label_ru")
        .order_by("label_en", "pk")
    )


def measures_for_recommendation(
    *, user: AnyUser, recommendation: Recommendation
) -> QuerySet[Measure]:
    """The visible measures answering a recommendation, with their status and plan."""
    measures = annotate_measure_status(visible_measures(user)).filter(
        recommendations=recommendation
    )
    return measures.select_related("plan").order_by("plan__name", "number", "pk")
