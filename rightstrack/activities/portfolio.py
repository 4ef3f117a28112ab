"""A presence's portfolio: its recorded activities summed up for the presence page.

Sums are over known values only; every figure says how many activities did not report it, so an
unknown number is never counted as zero. Counts come as charts (core.charts) ready to draw.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from rightstrack.core.charts import Bar, BarChart, value_text
from rightstrack.plans.statuses import recommendation_implementation_statuses
from rightstrack.recommendations.models import ImplementationStatus
from rightstrack.taxonomy.models import Scheme

from .models import ActivityType

PARTICIPANT_ROWS = (
    ("participants_total", _("All participants")),
    ("participants_women", _("Women")),
    ("participants_men", _("Men")),
    ("participants_with_disabilities", _("Persons with disabilities")),
)


@dataclass(frozen=True)
class ParticipantFigure:
    label: str
    known_sum: int
    reported_by: int  # activities that gave this figure
    not_reported_by: int  # activities that did not


@dataclass(frozen=True)
class TakingPart:
    organization: object
    activities: list


@dataclass(frozen=True)
class OtherCurrencyCost:
    currency: str
    amount: Decimal
    activity_count: int


@dataclass(frozen=True)
class Budget:
    needs: Decimal | None
    currency: str
    recorded_cost: Decimal  # known costs in the budget's currency
    costed_count: int
    not_costed_count: int
    other_currencies: list
    percent_of_needs: int | None  # None when the needs are unknown or zero


@dataclass(frozen=True)
class Supported:
    """A recommendation or measure the presence's activities support, with its status."""

    item: object
    status: str
    status_label: str
    activities: list


@dataclass(frozen=True)
class PresencePortfolio:
    presence: object
    activities: list
    by_type: BarChart
    by_pillar: BarChart
    by_target_group: BarChart  # the vocabulary of each group in the bar's extra cell
    participants: list
    participants_chart: BarChart
    without_pillar: int = 0
    without_target_group: int = 0
    partners: list = field(default_factory=list)
    donors: list = field(default_factory=list)
    budget: Budget | None = None
    recommendations: list = field(default_factory=list)
    measures: list = field(default_factory=list)

    @property
    def activity_count(self):
        return len(self.activities)

    @property
    def unpublished_count(self):
        return sum(1 for activity in self.activities if not activity.is_published)


def _percent(part, whole):
    if not whole:
        return 0
    return round(100 * part / whole)


def _list_url(presence, **filters):
    return f"{reverse('activities:list')}?{urlencode({'presence': presence.slug, **filters})}"


def _term_bars(counted, *, presence, filter_key, group=""):
    """counted: {term: count}; bars longest first, then in vocabulary order."""
    rows = sorted(counted.items(), key=lambda item: (-item[1], item[0].position, item[0].code))
    return [
        Bar(
            label=term.label,
            value=count,
            value_text=value_text(count),
            href=_list_url(presence, **{filter_key: term.code}),
            extra=(group,) if group else (),
        )
        for term, count in rows
    ]


def _count_terms(activities, relation):
    counted = defaultdict(int)
    for activity in activities:
        for term in getattr(activity, relation).all():
            counted[term] += 1
    return counted


def _type_bars(activities, presence):
    counted = defaultdict(int)
    for activity in activities:
        counted[activity.type] += 1
    return [
        Bar(
            label=str(label),
            value=counted[value],
            value_text=value_text(counted[value]),
            href=_list_url(presence, type=value),
        )
        for value, label in ActivityType.choices
        if counted[value]
    ]


def _participants(activities):
    figures = []
    for name, label in PARTICIPANT_ROWS:
        known = [getattr(a, name) for a in activities if getattr(a, name) is not None]
        figures.append(
            ParticipantFigure(
                label=str(label),
                known_sum=sum(known),
                reported_by=len(known),
                not_reported_by=len(activities) - len(known),
            )
        )
    return figures


def _participants_chart(figures):
    return BarChart(
        id="portfolio-participants",
        title=gettext("Participants"),
        description=gettext(
            "Each number is the sum over the activities that reported it; activities that did "
            "not report a number are not counted as zero."
        ),
        label_heading=gettext("Participants"),
        value_heading=gettext("Reported number"),
        extra_headings=(gettext("Activities reporting it"), gettext("Activities not reporting it")),
        bars=[
            Bar(
                label=figure.label,
                value=figure.known_sum if figure.reported_by else None,
                value_text=value_text(figure.known_sum)
                if figure.reported_by
                else gettext("not reported"),
                extra=(value_text(figure.reported_by), value_text(figure.not_reported_by)),
            )
            for figure in figures
        ],
    )


def _taking_part(activities, relation):
    by_organization = {}
    for activity in activities:
        for organization in getattr(activity, relation).all():
            by_organization.setdefault(organization.pk, (organization, []))[1].append(activity)
    return [
        TakingPart(organization=organization, activities=taken)
        for organization, taken in sorted(
            by_organization.values(), key=lambda item: (item[0].name.lower(), item[0].pk)
        )
    ]


def _budget(presence, activities):
    currency = presence.budget_currency or "USD"
    recorded = Decimal("0")
    costed = 0
    others = defaultdict(lambda: [Decimal("0"), 0])
    for activity in activities:
        if activity.cost_amount is None:
            continue
        if activity.cost_currency == currency:
            recorded += activity.cost_amount
            costed += 1
        else:
            others[activity.cost_currency][0] += activity.cost_amount
            others[activity.cost_currency][1] += 1
    other_count = sum(count for _amount, count in others.values())
    needs = presence.budget_amount
    return Budget(
        needs=needs,
        currency=currency,
        recorded_cost=recorded,
        costed_count=costed,
        not_costed_count=len(activities) - costed - other_count,
        other_currencies=[
            OtherCurrencyCost(currency=code, amount=amount, activity_count=count)
            for code, (amount, count) in sorted(others.items())
        ],
        percent_of_needs=_percent(recorded, needs) if needs else None,
    )


def _supported(activities, relation):
    by_item = {}
    for activity in activities:
        for item in getattr(activity, relation).all():
            by_item.setdefault(item.pk, (item, []))[1].append(activity)
    return by_item


def _recommendation_order(recommendation):
    symbol = recommendation.document.symbol if recommendation.document_id else ""
    return (symbol, recommendation.number, recommendation.pk)


def _recommendations(activities, user):
    by_item = _supported(activities, "recommendations")
    statuses = recommendation_implementation_statuses(by_item, user=user) if by_item else {}
    labels = dict(ImplementationStatus.choices)
    return [
        Supported(
            item=item,
            status=statuses.get(pk, ImplementationStatus.NOT_ADDRESSED),
            status_label=str(labels[statuses.get(pk, ImplementationStatus.NOT_ADDRESSED)]),
            activities=supporting,
        )
        for pk, (item, supporting) in sorted(
            by_item.items(), key=lambda entry: _recommendation_order(entry[1][0])
        )
    ]


def _measures(activities):
    # A measure keeps its own status (that of its latest approved progress report).
    by_item = _supported(activities, "measures")
    return [
        Supported(
            item=item,
            status=item.status,
            status_label=str(item.get_status_display()),
            activities=supporting,
        )
        for item, supporting in sorted(
            by_item.values(), key=lambda entry: (entry[0].plan.name, entry[0].number)
        )
    ]


def build_portfolio(*, presence, activities, user):
    """The portfolio of ``activities`` (already visible to the user, relations prefetched)."""
    # One chart for both vocabularies of target groups, each bar saying which it is from.
    target_groups = [
        *_term_bars(
            _count_terms(activities, "target_populations"),
            presence=presence,
            filter_key="population",
            group=str(Scheme.SPOTLIGHT_POPULATION.label),
        ),
        *_term_bars(
            _count_terms(activities, "target_affected_persons"),
            presence=presence,
            filter_key="affected",
            group=str(Scheme.AFFECTED_PERSONS.label),
        ),
    ]
    without_pillar = sum(1 for a in activities if not a.thematic_pillars.all())
    without_target_group = sum(
        1
        for a in activities
        if not a.target_populations.all() and not a.target_affected_persons.all()
    )
    activities_heading = gettext("Activities")
    participants = _participants(activities)
    return PresencePortfolio(
        presence=presence,
        activities=activities,
        by_type=BarChart(
            id="portfolio-by-type",
            title=gettext("Activities by type"),
            label_heading=gettext("Type"),
            value_heading=activities_heading,
            bars=_type_bars(activities, presence),
        ),
        by_pillar=BarChart(
            id="portfolio-by-pillar",
            title=gettext("Activities by thematic pillar"),
            label_heading=gettext("Thematic pillar"),
            value_heading=activities_heading,
            bars=_term_bars(
                _count_terms(activities, "thematic_pillars"), presence=presence, filter_key="pillar"
            ),
            footnote=ngettext(
                "%(counter)s activity has no thematic pillar recorded.",
                "%(counter)s activities have no thematic pillar recorded.",
                without_pillar,
            )
            % {"counter": without_pillar}
            if without_pillar
            else "",
        ),
        by_target_group=BarChart(
            id="portfolio-by-target-group",
            title=gettext("Activities by target group"),
            label_heading=gettext("Target group"),
            value_heading=activities_heading,
            extra_headings=(gettext("Vocabulary"),),
            bars=target_groups,
            footnote=ngettext(
                "%(counter)s activity has no target group recorded.",
                "%(counter)s activities have no target group recorded.",
                without_target_group,
            )
            % {"counter": without_target_group}
            if without_target_group
            else "",
        ),
        without_pillar=without_pillar,
        without_target_group=without_target_group,
        participants=participants,
        participants_chart=_participants_chart(participants),
        partners=_taking_part(activities, "partners"),
        donors=_taking_part(activities, "donors"),
        budget=_budget(presence, activities),
        recommendations=_recommendations(activities, user),
        measures=_measures(activities),
    )
