"""Reads for the public portal: the States with published data and each State's home page.

The portal shows what the public sees, whoever reads it: every read here goes through the other
apps' selectors with an anonymous user (``PUBLIC``), so a signed-in coordinator sees the same
published-only page as anybody else. Counts are aggregated in the database (grouping queries and
the recommendation list's own facet counts), so a State with many thousands of recommendations
costs the same handful of queries as one with ten.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rightstrack.core.charts import BarChart, bar_chart
from rightstrack.plans.access import visible_measures, visible_plans
from rightstrack.plans.models import ActionPlan, MeasureStatus
from rightstrack.presences.models import Presence
from rightstrack.presences.selectors import visible_presences
from rightstrack.progress.access import visible_reports
from rightstrack.progress.models import ProgressReport
from rightstrack.recommendations.facets import Facet
from rightstrack.recommendations.filters import RecommendationFilters
from rightstrack.recommendations.selectors import recommendation_facets, visible_recommendations
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.selectors import prefetch_terms

# The reader every portal query is scoped to: the public.
PUBLIC = AnonymousUser()

# Bars a chart of themes shows; the table under it says how many more there are.
THEMES_SHOWN = 15
LATEST_REPORTS_SHOWN = 5
STATE_SORTS = ("name", "recommendations", "plans")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def state_slug(state: Term) -> str:
    """The State's address on the portal: its code in lower case ("blr"); the slugified English
    name for a code that cannot sit in an address."""
    if _SLUG.match(state.code or ""):
        return state.code.lower()
    return slugify(state.label_en)


def _counts_by(queryset: QuerySet[Model], column: str) -> dict[int, int]:
    return dict(
        queryset.order_by()
        .values_list(column)
        .annotate(total=Count("pk"))
        .values_list(column, "total")
    )


class StateListFilters(TypedDict, total=False):
    q: str
    sort: str


@dataclass
class PortalState:
    """A row of the portal's list of States: the State and how much is published about it."""

    state: Term
    recommendation_count: int
    plan_count: int
    presence_count: int
    portal_slug: str


def state_list(*, filters: StateListFilters | None = None) -> list[PortalState]:
    """States with anything published (recommendations made to them, action plans, field
    presences), each with ``recommendation_count``, ``plan_count``, ``presence_count`` and
    ``portal_slug``; ``filters``: ``q`` (a name or code) and ``sort`` (name, recommendations,
    plans). A list: one grouping query per kind of record and one for the States, however
    many records there are."""
    filters = filters or {}
    recommendations = _counts_by(visible_recommendations(PUBLIC), "state")
    plans = _counts_by(visible_plans(PUBLIC), "state")
    presences = _counts_by(visible_presences(user=PUBLIC).filter(country__isnull=False), "country")
    states = Term.objects.filter(
        scheme=Scheme.STATE, pk__in={*recommendations, *plans, *presences}
    ).select_related("parent")
    query = (filters.get("q") or "").strip()
    if query:
        states = states.filter(
            Q(label_en__icontains=query) | Q(label_ru__icontains=query) | Q(code__iexact=query)
        )
    rows = [
        PortalState(
            state=state,
            recommendation_count=recommendations.get(state.pk, 0),
            plan_count=plans.get(state.pk, 0),
            presence_count=presences.get(state.pk, 0),
            portal_slug=state_slug(state),
        )
        for state in states.order_by("label_en", "pk")
    ]
    sort = filters.get("sort")
    if sort == "recommendations":
        rows.sort(key=lambda row: -row.recommendation_count)
    elif sort == "plans":
        rows.sort(key=lambda row: (-row.plan_count, -row.recommendation_count))
    return rows


def state_get(*, slug: str | None) -> tuple[Term, str]:
    """(State term, canonical slug) for a portal address: its code (any case) or its slugified
    English name; Http404 for anything else. The caller redirects when the slug is not the
    canonical one."""
    address = (slug or "").strip()
    states = Term.objects.filter(scheme=Scheme.STATE)
    state = states.filter(code__iexact=address).first() if address else None
    if state is None and address:
        wanted = slugify(address)
        for candidate in states.only("code", "label_en"):
            if slugify(candidate.label_en) == wanted:
                state = Term.objects.get(pk=candidate.pk)
                break
    if state is None:
        raise Http404(_("No such State."))
    return state, state_slug(state)


def _recommendation_list_urls(state: Term) -> Callable[..., str]:
    """``url(**params)``: the address of the recommendation list of the State's recommendations
    and ``params``, the list's path reversed once (not once for each bar of the charts)."""
    path = reverse("recommendations:list")

    def url(**params: str) -> str:
        query = [("state", state.code), *params.items()]
        return f"{path}?{urlencode(query)}"

    return url


@dataclass
class PlanSummary:
    plan: ActionPlan
    measure_count: int
    #: (status value, status label, number of measures) for every measure status, in order.
    by_status: list[tuple[str, Any, int]] = field(default_factory=list)


@dataclass
class StateHome:
    state: Term
    slug: str
    recommendation_count: int
    recommendation_list_url: str
    charts: list[BarChart]
    implementation: BarChart
    plans: list[PlanSummary]
    measure_count: int
    measure_status_chart: BarChart
    latest_reports: list[ProgressReport]
    approved_report_count: int
    presences: list[Presence]

    @property
    def plan_count(self) -> int:
        return len(self.plans)

    @property
    def has_anything(self) -> bool:
        return bool(self.recommendation_count or self.plans or self.presences)


@dataclass(frozen=True)
class FacetChart:
    """A chart of a State's published recommendations counted by one facet of the recommendation
    list (its id ``chart-<facet>``), each bar linked to the list filtered by its value."""

    facet: str
    title: Promise
    description: Promise
    label_heading: Promise
    # Bars shown at most; a footnote says how many more values there are.
    limit: int | None = None


def _facet_chart(list_url: Callable[..., str], facet: Facet, chart: FacetChart) -> BarChart:
    values = list(facet.values)
    hidden = 0
    if chart.limit is not None and len(values) > chart.limit:
        hidden = len(values) - chart.limit
        values = values[: chart.limit]
    rows = [(value.label, value.count, list_url(**{facet.key: value.value})) for value in values]
    footnote = ""
    if hidden:
        footnote = ngettext(
            "%(counter)s more value is not shown; the list of recommendations counts them all.",
            "%(counter)s more values are not shown; the list of recommendations counts them all.",
            hidden,
        ) % {"counter": hidden}
    return bar_chart(
        id=f"chart-{chart.facet}",
        title=str(chart.title),
        description=str(chart.description),
        label_heading=str(chart.label_heading),
        value_heading=_("Recommendations"),
        rows=rows,
        footnote=footnote,
    )


# The charts of a State's recommendations on its page, in order.
STATE_CHARTS = (
    FacetChart(
        "mechanism",
        gettext_lazy("Recommendations by mechanism"),
        gettext_lazy("Number of published recommendations made by each mechanism or body."),
        gettext_lazy("Mechanism or body"),
    ),
    FacetChart(
        "position",
        gettext_lazy("Recommendations by position"),
        gettext_lazy("Number of published recommendations by the State's position on them."),
        gettext_lazy("Position"),
    ),
    FacetChart(
        "theme",
        gettext_lazy("Recommendations by theme"),
        gettext_lazy(
            "Number of published recommendations tagged with each UHRI theme; a "
            "recommendation with several themes counts for each. Only accepted tags count."
        ),
        gettext_lazy("Theme"),
        limit=THEMES_SHOWN,
    ),
    FacetChart(
        "issue",
        gettext_lazy("Recommendations by UPR Info issue"),
        gettext_lazy(
            "Number of published recommendations under each issue of UPR Info's database; "
            "a recommendation under several issues counts for each."
        ),
        gettext_lazy("Issue"),
        limit=THEMES_SHOWN,
    ),
)
# Shown apart, with the State's plans.
IMPLEMENTATION_CHART = FacetChart(
    "implementation",
    gettext_lazy("Implementation status"),
    gettext_lazy(
        "Number of published recommendations by implementation status, worked out from the "
        "latest approved progress reports on the measures of published plans that address "
        "them."
    ),
    gettext_lazy("Implementation status"),
)
# The facets counted: the charts' (the total is the sum of the positions' counts).
STATE_FACETS = tuple(chart.facet for chart in (*STATE_CHARTS, IMPLEMENTATION_CHART))


def _recommendation_charts(state: Term) -> tuple[int, list[BarChart], BarChart]:
    """Charts of the published recommendations made to the State, from the recommendation list's
    facet counts (accepted tags only: the public never sees machine suggestions)."""
    facets = {
        facet.key: facet
        for facet in recommendation_facets(
            user=PUBLIC, filters=RecommendationFilters(state=(state.code,)), facets=STATE_FACETS
        )
    }
    total = sum(value.count for value in facets["position"].values)
    list_url = _recommendation_list_urls(state)
    charts = [_facet_chart(list_url, facets[chart.facet], chart) for chart in STATE_CHARTS]
    implementation = _facet_chart(
        list_url, facets[IMPLEMENTATION_CHART.facet], IMPLEMENTATION_CHART
    )
    return total, charts, implementation


def _plans(state: Term) -> tuple[list[PlanSummary], int, BarChart]:
    plans = list(
        visible_plans(PUBLIC)
        .filter(state=state)
        .only("name", "slug", "period_start_year", "period_end_year", "status", "is_example")
        .order_by("-period_start_year", "name", "pk")
    )
    counts = (
        visible_measures(PUBLIC)
        .filter(plan__state=state)
        .order_by()
        .values_list("plan_id", "status")
        .annotate(total=Count("pk"))
    )
    by_plan: dict[int, dict[str, int]] = {}
    for plan_id, status, total in counts:
        by_plan.setdefault(plan_id, {})[status] = total
    summaries: list[PlanSummary] = []
    for plan in plans:
        statuses = by_plan.get(plan.pk, {})
        summaries.append(
            PlanSummary(
                plan=plan,
                measure_count=sum(statuses.values()),
                by_status=[
                    (value, label, statuses.get(value, 0)) for value, label in MeasureStatus.choices
                ],
            )
        )
    overall = [
        (label, sum(summary.by_status[index][2] for summary in summaries))
        for index, (_value, label) in enumerate(MeasureStatus.choices)
    ]
    chart = bar_chart(
        id="chart-measure-status",
        title=_("Measures by status"),
        description=_(
            "Number of measures of the published plans by the status of their latest approved "
            "progress report."
        ),
        label_heading=_("Status"),
        value_heading=_("Measures"),
        rows=overall if any(total for _label, total in overall) else [],
    )
    return summaries, sum(summary.measure_count for summary in summaries), chart


def _latest_reports(state: Term) -> list[ProgressReport]:
    reports = (
        visible_reports(PUBLIC)
        .filter(measure__plan__state=state)
        .select_related("measure", "measure__plan", "agency")
        .order_by("-period_end", "-reviewed_at", "-pk")
    )
    return list(reports[:LATEST_REPORTS_SHOWN])


def _presences(state: Term) -> list[Presence]:
    return list(
        visible_presences(user=PUBLIC)
        .filter(country=state)
        .prefetch_related(*prefetch_terms("thematic_pillars"))
        .order_by("title", "pk")
    )


def state_home(*, state: Term) -> StateHome:
    """Everything the State's home page shows, published data only (see the module)."""
    total, charts, implementation = _recommendation_charts(state)
    plans, measure_count, measure_chart = _plans(state)
    latest = _latest_reports(state)
    approved = (
        len(latest)
        if len(latest) < LATEST_REPORTS_SHOWN
        else visible_reports(PUBLIC).filter(measure__plan__state=state).count()
    )
    return StateHome(
        state=state,
        slug=state_slug(state),
        recommendation_count=total,
        recommendation_list_url=_recommendation_list_urls(state)(),
        charts=charts,
        implementation=implementation,
        plans=plans,
        measure_count=measure_count,
        measure_status_chart=measure_chart,
        latest_reports=latest,
        approved_report_count=approved,
        presences=_presences(state),
    )


@dataclass(frozen=True)
class KeyFigure:
    """A number the home page shows the public, with the page that lists what it counts."""

    key: str
    label: str
    value: int
    url: str


def key_figures() -> list[KeyFigure]:
    """What is published, counted as the public sees it: recommendations and the States they
    were made to, action plans and their measures, approved progress reports, field presences.
    One query each."""
    recommendations = visible_recommendations(PUBLIC)
    return [
        KeyFigure(
            "recommendations",
            _("recommendations"),
            recommendations.count(),
            reverse("recommendations:list"),
        ),
        KeyFigure(
            "states",
            _("States"),
            recommendations.values("state_id").order_by().distinct().count(),
            reverse("portal:state_list"),
        ),
        KeyFigure("plans", _("action plans"), visible_plans(PUBLIC).count(), reverse("plans:list")),
        KeyFigure(
            "measures", _("measures"), visible_measures(PUBLIC).count(), reverse("plans:list")
        ),
        KeyFigure(
            "reports",
            _("approved progress reports"),
            visible_reports(PUBLIC).count(),
            reverse("progress:list"),
        ),
        KeyFigure(
            "presences",
            _("field presences"),
            visible_presences(user=PUBLIC).count(),
            reverse("presences:list"),
        ),
    ]
