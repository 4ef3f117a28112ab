"""A presence's portfolio: its recorded activities summed up for the presence page.

Sums are over known values only; every figure says how many activities did not report it, so an
unknown number is never counted as zero.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
class Bar:
    """One row of a bar chart and of the table beside it."""

    label: str
    count: int
    percent: int  # of the longest bar, for drawing only
    url: str = ""
    group: str = ""


@dataclass(frozen=True)
class ParticipantFigure:
    label: str
    known_sum: int
    reported_by: int  # activities that gave this figure
    not_reported_by: int  # activities that did not
    percent: int  # of the largest sum, for drawing only


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
    by_type: list = field(default_factory=list)
    by_pillar: list = field(default_factory=list)
    by_target_group: list = field(default_factory=list)
    without_pillar: int = 0
    without_target_group: int = 0
    participants: list = field(default_factory=list)
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


def _bars(counted, *, presence, filter_key, group=""):
    """counted: {term: count}; bars longest first, then in vocabulary order."""
    rows = sorted(counted.items(), key=lambda item: (-item[1], item[0].position, item[0].code))
    longest = max(counted.values(), default=0)
    return [
        Bar(
            label=term.label,
            count=count,
            percent=_percent(count, longest),
            url=_list_url(presence, **{filter_key: term.code}),
            group=group,
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
    longest = max(counted.values(), default=0)
    return [
        Bar(
            label=str(label),
            count=counted[value],
            percent=_percent(counted[value], longest),
            url=_list_url(presence, type=value),
        )
        for value, label in ActivityType.choices
        if counted[value]
    ]


def _participants(activities):
    sums = {}
    for name, label in PARTICIPANT_ROWS:
        known = [getattr(a, name) for a in activities if getattr(a, name) is not None]
        sums[name] = (label, sum(known), len(known), len(activities) - len(known))
    largest = max((known_sum for _label, known_sum, _r, _n in sums.values()), default=0)
    return [
        ParticipantFigure(
            label=str(label),
            known_sum=known_sum,
            reported_by=reported,
            not_reported_by=not_reported,
            percent=_percent(known_sum, largest),
        )
        for label, known_sum, reported, not_reported in sums.values()
    ]


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
    populations = _bars(
        _count_terms(activities, "target_populations"),
        presence=presence,
        filter_key="population",
        group=str(Scheme.SPOTLIGHT_POPULATION.label),
    )
    affected = _bars(
        _count_terms(activities, "target_affected_persons"),
        presence=presence,
        filter_key="affected",
        group=str(Scheme.AFFECTED_PERSONS.label),
    )
    longest_group = max((bar.count for bar in [*populations, *affected]), default=0)
    # One chart for both vocabularies: bars are redrawn against the longest of either.
    target_groups = [
        Bar(
            label=bar.label,
            count=bar.count,
            percent=_percent(bar.count, longest_group),
            url=bar.url,
            group=bar.group,
        )
        for bar in [*populations, *affected]
    ]
    return PresencePortfolio(
        presence=presence,
        activities=activities,
        by_type=_type_bars(activities, presence),
        by_pillar=_bars(
            _count_terms(activities, "thematic_pillars"), presence=presence, filter_key="pillar"
        ),
        by_target_group=target_groups,
        without_pillar=sum(1 for a in activities if not a.thematic_pillars.all()),
        without_target_group=sum(
            1
            for a in activities
            if not a.target_populations.all() and not a.target_affected_persons.all()
        ),
        participants=_participants(activities),
        partners=_taking_part(activities, "partners"),
        donors=_taking_part(activities, "donors"),
        budget=_budget(presence, activities),
        recommendations=_recommendations(activities, user),
        measures=_measures(activities),
    )
