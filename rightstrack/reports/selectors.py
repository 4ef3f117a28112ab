"""Reads for generated documents, always scoped to the reader.

Visibility is never decided here: every query starts from the other apps' scoped reads
(``visible_plans``, ``visible_measures``, ``visible_reports``, ``visible_recommendations``,
``visible_presences``, ``activity_list``), so a document holds only what its reader may see on the
pages.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from rightstrack.activities.models import Activity
from rightstrack.activities.selectors import ActivityFilters, activity_list, visible_activities
from rightstrack.core.filtering import as_id
from rightstrack.core.types import AnyUser
from rightstrack.plans.access import visible_measures, visible_plans
from rightstrack.plans.filters import THEME_SCHEMES
from rightstrack.plans.models import ActionPlan, Indicator, Measure
from rightstrack.plans.selectors import measure_list
from rightstrack.plans.statuses import annotate_implementation_status
from rightstrack.presences.models import Presence
from rightstrack.presences.selectors import visible_presences, with_profile_terms
from rightstrack.progress.access import visible_reports
from rightstrack.progress.models import Evidence, ProgressReport, ReportStatus
from rightstrack.progress.selectors import visible_mechanism_assessments
from rightstrack.recommendations.models import (
    Cluster,
    Document,
    Recommendation,
    RecommendationTag,
    TagStatus,
)
from rightstrack.recommendations.selectors import visible_recommendations
from rightstrack.taxonomy.models import Scheme, Term

UPR_CODE = "UPR"


# Action plans


def plan_choices(*, user: AnyUser) -> QuerySet[ActionPlan]:
    """The plans the reader may see, by name (the page's choices)."""
    return visible_plans(user).select_related("state").order_by("name", "pk")


def plan_find(*, user: AnyUser, key: str | int | None) -> ActionPlan | None:
    """The visible plan whose address (slug) or id is ``key``, else None."""
    address = str(key or "").strip()
    plans = plan_choices(user=user)
    plan = plans.filter(slug=address).first()
    pk = as_id(address)
    if plan is None and pk is not None:
        plan = plans.filter(pk=pk).first()
    return plan


def first_published_plan(*, user: AnyUser) -> ActionPlan | None:
    return plan_choices(user=user).filter(is_published=True).first()


def _theme_tags() -> Prefetch:
    tags = (
        RecommendationTag.objects.filter(status=TagStatus.ACCEPTED, term__scheme__in=THEME_SCHEMES)
        .select_related("term")
        .order_by("term__scheme", "term__position", "term__code")
    )
    return Prefetch("tags", queryset=tags, to_attr="theme_tags")


def plan_measures(*, user: AnyUser, plan: ActionPlan) -> list[Measure]:
    """The plan's measures the reader may see, in number order, each with its agencies,
    indicators and the visible recommendations it answers (with their accepted themes)."""
    recommendations = (
        visible_recommendations(user)
        .select_related("document", "mechanism")
        .prefetch_related(_theme_tags())
        .order_by("document__symbol", "number", "pk")
    )
    return list(
        measure_list(user=user, filters={"plan": plan.slug}).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk")),
            Prefetch("recommendations", queryset=recommendations),
        )
    )


def approved_reports_by_measure(
    *, user: AnyUser, measure_ids: Iterable[int]
) -> defaultdict[int, list[ProgressReport]]:
    """{measure id: [approved progress reports the reader may see, latest first]}, each report
    with its evidence and reporting agency."""
    reports = (
        visible_reports(user)
        .filter(status=ReportStatus.APPROVED, measure_id__in=list(measure_ids))
        .select_related("agency")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("-period_end", "-reviewed_at", "-pk")
    )
    by_measure: defaultdict[int, list[ProgressReport]] = defaultdict(list)
    for report in reports:
        by_measure[report.measure_id].append(report)
    return by_measure


# Recommendations (UPR and Treaty Bodies)


def upr_mechanism() -> Term | None:
    return Term.objects.filter(scheme=Scheme.MECHANISM, code=UPR_CODE).first()


def _upr_recommendations(user: AnyUser) -> QuerySet[Recommendation]:
    return visible_recommendations(user).filter(
        mechanism__scheme=Scheme.MECHANISM, mechanism__code=UPR_CODE
    )


def upr_states(*, user: AnyUser) -> QuerySet[Term]:
    """The States with UPR recommendations the reader may see, by name."""
    return (
        Term.objects.filter(scheme=Scheme.STATE)
        .filter(Exists(_upr_recommendations(user).filter(state_id=OuterRef("pk"))))
        .order_by("label_en", "pk")
    )


def upr_cycles(*, user: AnyUser, state: Term) -> list[int]:
    """The UPR cycles of the State's visible recommendations, in order (unknown cycles left
    out)."""
    cycles = (
        _upr_recommendations(user)
        .filter(state=state, cycle__isnull=False)
        .order_by("cycle")
        .values_list("cycle", flat=True)
        .distinct()
    )
    return [cycle for cycle in cycles if cycle is not None]


def upr_state_cycles(*, user: AnyUser) -> list[tuple[Term, list[int]]]:
    """[(state, [cycles])] for every State with visible UPR recommendations, in one query."""
    rows = (
        _upr_recommendations(user)
        .filter(cycle__isnull=False)
        .order_by()
        .values_list("state_id", "cycle")
        .distinct()
    )
    cycles: defaultdict[int, set[int]] = defaultdict(set)
    for state_id, cycle in rows:
        if cycle is not None:
            cycles[state_id].add(cycle)
    return [(state, sorted(cycles.get(state.pk, ()))) for state in upr_states(user=user)]


def upr_recommendations(
    *, user: AnyUser, state: Term, cycle: int | None
) -> QuerySet[Recommendation]:
    """The State's visible UPR recommendations of a cycle (of every cycle when None)."""
    recommendations = _upr_recommendations(user).filter(state=state)
    if cycle is not None:
        recommendations = recommendations.filter(cycle=cycle)
    return recommendations


def documents_with_recommendations(*, user: AnyUser) -> QuerySet[Document]:
    """Source documents with recommendations the reader may see, by symbol, with how many."""
    visible = visible_recommendations(user).values("pk")
    return (
        Document.objects.filter(recommendations__in=visible)
        .select_related("mechanism", "state")
        .annotate(size=Count("recommendations", filter=Q(recommendations__in=visible)))
        .order_by("symbol", "pk")
    )


def document_find(*, user: AnyUser, symbol: str | None) -> Document | None:
    """The document with that symbol (any case) holding recommendations the reader may see."""
    wanted = str(symbol or "").strip()
    if not wanted:
        return None
    return documents_with_recommendations(user=user).filter(symbol__iexact=wanted).first()


def document_recommendations(*, user: AnyUser, document: Document) -> QuerySet[Recommendation]:
    return visible_recommendations(user).filter(document=document)


def latest_document_of(*, user: AnyUser, state: Term, mechanism: Term) -> Document | None:
    """The latest source document (by date, then symbol) of a mechanism's visible
    recommendations to a State, else None."""
    return (
        Document.objects.filter(
            Exists(
                visible_recommendations(user).filter(
                    document_id=OuterRef("pk"), state=state, mechanism=mechanism
                )
            )
        )
        .select_related("mechanism", "state")
        .order_by("-date", "-symbol")
        .first()
    )


def mechanism_recommendations(
    *, user: AnyUser, state: Term, mechanism: Term
) -> QuerySet[Recommendation]:
    return visible_recommendations(user).filter(state=state, mechanism=mechanism)


def matrix_rows(
    *, user: AnyUser, recommendations: QuerySet[Recommendation]
) -> list[Recommendation]:
    """The recommendations of a mid-term matrix, in document and number order, each with: its
    implementation status (from the measures the reader may see), recommending States, accepted
    themes (``theme_tags``), clusters, the visible measures answering it (``visible_measures``,
    with their plan) and the mechanism's own grades (``grades``)."""
    measures = visible_measures(user).select_related("plan").order_by("plan__name", "number", "pk")
    grades = (
        visible_mechanism_assessments(user)
        .select_related("mechanism")
        .order_by("-year", "part", "pk")
    )
    rows = (
        annotate_implementation_status(recommendations, user=user)
        .select_related("document", "mechanism", "state")
        .prefetch_related(
            Prefetch("recommending_states", queryset=Term.objects.order_by("label_en", "pk")),
            _theme_tags(),
            Prefetch("clusters", queryset=Cluster.objects.order_by("name", "pk")),
            Prefetch("measures", queryset=measures, to_attr="visible_measures"),
            Prefetch("mechanism_assessments", queryset=grades, to_attr="grades"),
        )
        .order_by("document__symbol", "session", "number", "pk")
    )
    return list(rows)


# Field presences and their activities


def presence_choices(*, user: AnyUser) -> QuerySet[Presence]:
    return visible_presences(user=user).select_related("country").order_by("title", "pk")


def presence_find(*, user: AnyUser, slug: str | None) -> Presence | None:
    address = str(slug or "").strip()
    if not address:
        return None
    return with_profile_terms(visible_presences(user=user)).filter(slug=address).first()


def first_published_presence(*, user: AnyUser) -> Presence | None:
    return presence_choices(user=user).filter(is_published=True).first()


def activity_years(*, user: AnyUser, presence: Presence | None = None) -> list[int]:
    """The years in which visible activities (of the presence) took place, latest first."""
    activities = visible_activities(user=user)
    if presence is not None:
        activities = activities.filter(presence=presence)
    years: set[int] = set()
    rows = (
        activities.order_by()
        .annotate(start_year=ExtractYear("start_date"), end_year=ExtractYear("end_date"))
        .values_list("start_year", "end_year")
        .distinct()
    )
    for start, end in rows:
        start, end = start or end, end or start
        if start:
            years.update(range(start, end + 1))
    return sorted(years, reverse=True)


def presence_activities(
    *, user: AnyUser, presence: Presence, year: int | None = None
) -> list[Activity]:
    """The presence's visible activities (of the year, when given) with every relation."""
    filters: ActivityFilters = {"presence": presence.slug}
    if year is not None:
        filters["year"] = year
    return list(activity_list(user=user, filters=filters))


def undated_activity_count(*, user: AnyUser, presence: Presence) -> int:
    return (
        visible_activities(user=user)
        .filter(presence=presence, start_date__isnull=True, end_date__isnull=True)
        .count()
    )
