"""The figures of a plan's dashboard, over the plan's measures the user may see.

A measure with several responsible agencies counts (with its whole budget) for each of them; a
measure's themes are the themes (UHRI themes, or UPR Info issues for recommendations imported
from UPR Info) accepted on the recommendations it answers. Budgets in different currencies are
never added up: each currency has its own chart.
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from rightstrack.core.charts import bar_chart
from rightstrack.recommendations.models import RecommendationTag, TagStatus
from rightstrack.taxonomy.models import Term, in_current_language

from .access import visible_measures
from .extensions import registered
from .filters import THEME_SCHEMES
from .models import Measure, MeasureStatus
from .selectors import supported_recommendations
from .statuses import annotate_measure_status

THEMES_SHOWN = 15


@dataclass(frozen=True)
class Coverage:
    supported: int
    covered: int

    @property
    def share(self):
        """Percentage of supported recommendations covered, None when there are none."""
        if not self.supported:
            return None
        return round(100 * self.covered / self.supported)


def _status_counts(measures):
    """{derived status: (measures, example measures among them)}, in one query: the chart by
    status, the number of measures and whether any is an example, read from the same rows."""
    return {
        status: (total, examples)
        for status, total, examples in annotate_measure_status(measures)
        .order_by()
        .values_list("derived_status")
        .annotate(total=Count("pk"), examples=Count("pk", filter=Q(is_example=True)))
    }


def _by_status(counts):
    return [(label, counts.get(value, (0, 0))[0]) for value, label in MeasureStatus.choices]


def _by_agency(measures):
    # One query: the measures left-joined to their agencies, so the measures without one are the
    # group without an agency (said last).
    rows = (
        measures.order_by()
        .values(
            "responsible_agencies__name_en",
            "responsible_agencies__name_ru",
            "responsible_agencies__code",
        )
        .annotate(total=Count("pk", distinct=True))
        .order_by("-total", "responsible_agencies__name_en")
    )
    result, unassigned = [], 0
    for row in rows:
        if row["responsible_agencies__code"] is None:
            unassigned = row["total"]
        else:
            result.append((_agency_name(row, "responsible_agencies"), row["total"]))
    if unassigned:
        result.append((_("No agency assigned"), unassigned))
    return result


def _agency_name(row, path="agency"):
    return in_current_language(row[f"{path}__name_en"], row[f"{path}__name_ru"])


def _by_theme(measures):
    """(chart rows, the themes counted): the themes are Terms in the order of their English
    labels, as the theme filter offers them."""
    rows = _theme_counts(measures)
    themes = list(
        Term.objects.filter(pk__in=[term_id for term_id, _total in rows])
        .only("code", "label_en", "label_ru")
        .order_by("label_en", "pk")
    )
    terms = {term.pk: term for term in themes}
    shown = [(terms[term_id].label, total) for term_id, total in rows[:THEMES_SHOWN]]
    if len(rows) > THEMES_SHOWN:
        shown.append((_("Other themes"), sum(total for _term_id, total in rows[THEMES_SHOWN:])))
    return shown, themes


def _theme_counts(measures):
    """[(theme's term id, measures answering a recommendation it is accepted on)], the most
    measures first.

    Written in SQL because the ORM reaches a recommendation's tags from a measure's links only
    through the recommendation's own row, a join that reads nothing: without it the query is a
    quarter quicker on SQLite (4.8 -> 3.5 ms at 1,000 measures) and PostgreSQL skips a look-up
    of every linked recommendation. The measures stay the queryset given (the reader's own).
    """
    measure_ids, params = measures.values("pk").query.sql_with_params()
    links = Measure.recommendations.through._meta.db_table
    tags = RecommendationTag._meta.db_table
    terms = Term._meta.db_table
    schemes = ", ".join(["%s"] * len(THEME_SCHEMES))
    with connections[measures.db].cursor() as cursor:
        cursor.execute(
            f"SELECT tag.term_id, COUNT(DISTINCT link.measure_id) FROM {links} link "  # noqa: S608 - table names from the models
            f"JOIN {tags} tag ON tag.recommendation_id = link.recommendation_id "
            f"JOIN {terms} term ON term.id = tag.term_id "
            f"WHERE link.measure_id IN ({measure_ids}) AND tag.status = %s "
            f"AND term.scheme IN ({schemes}) GROUP BY tag.term_id ORDER BY 2 DESC, 1",
            [*params, str(TagStatus.ACCEPTED), *map(str, THEME_SCHEMES)],
        )
        return cursor.fetchall()


def _budget_by_agency(measures):
    """{currency: [(agency, total)]}, largest first."""
    rows = (
        Measure.responsible_agencies.through.objects.filter(
            measure__in=measures.filter(budget_amount__isnull=False).values("pk")
        )
        .order_by()
        .values("agency__name_en", "agency__name_ru", "measure__budget_currency")
        .annotate(total=Sum("measure__budget_amount"))
        .order_by("measure__budget_currency", "-total", "agency__name_en")
    )
    by_currency = {}
    for row in rows:
        by_currency.setdefault(row["measure__budget_currency"], []).append(
            (_agency_name(row), row["total"])
        )
    return by_currency


def coverage(*, user, plan):
    supported = supported_recommendations(user=user, plan=plan)
    covered = supported.filter(
        pk__in=Measure.recommendations.through.objects.filter(
            measure__in=visible_measures(user).filter(plan=plan).values("pk")
        ).values("recommendation_id")
    )
    # Two counts: one with both (COUNT ... FILTER) was slower on SQLite, which then tests every
    # supported recommendation against the answered ones instead of starting from those.
    return Coverage(supported=supported.count(), covered=covered.count())


def plan_dashboard(*, user, plan, today):
    measures = visible_measures(user).filter(plan=plan)
    statuses = _status_counts(measures)
    by_theme, themes = _by_theme(measures)
    measure_heading = _("Measures")
    charts = [
        bar_chart(
            id="chart-status",
            title=_("Measures by status"),
            description=_("Number of measures by the status of their latest approved report."),
            label_heading=_("Status"),
            value_heading=measure_heading,
            rows=_by_status(statuses),
        ),
        bar_chart(
            id="chart-agency",
            title=_("Measures by responsible agency"),
            description=_(
                "Number of measures each agency is responsible for; a measure shared by "
                "several agencies counts for each."
            ),
            label_heading=_("Agency"),
            value_heading=measure_heading,
            rows=_by_agency(measures),
        ),
        bar_chart(
            id="chart-theme",
            title=_("Measures by theme"),
            description=_(
                "Number of measures answering recommendations of each theme; a measure counts "
                "once per theme."
            ),
            label_heading=_("Theme"),
            value_heading=measure_heading,
            rows=by_theme,
        ),
    ]
    budgets = _budget_by_agency(measures) or {"": []}
    for currency, rows in budgets.items():
        charts.append(
            bar_chart(
                id=f"chart-budget-{currency.lower() or 'none'}",
                title=_("Budget planned per agency (%(currency)s)") % {"currency": currency}
                if currency
                else _("Budget planned per agency"),
                description=_(
                    "Sum of the budgets in %(currency)s of the measures each agency is "
                    "responsible for."
                )
                % {"currency": currency},
                label_heading=_("Agency"),
                value_heading=_("Budget (%(currency)s)") % {"currency": currency},
                rows=rows,
            )
        )
    follow_up = registered.follow_up
    due = follow_up.due_for_plan(user=user, plan=plan, today=today) if follow_up else []
    overdue = [item for item in due if item.is_overdue]
    return {
        "charts": charts,
        # The themes counted, for the theme filter (selectors.themes_of_measures: the same).
        "themes": themes,
        "coverage": coverage(user=user, plan=plan),
        "overdue": overdue,
        "measure_count": sum(total for total, _examples in statuses.values()),
        "has_examples": plan.is_example or any(examples for _total, examples in statuses.values()),
    }
