"""Statuses of measures and of the recommendations they address, for many rows at once.

- A measure's status is the status assessment of its latest approved progress report (latest
  period end, then latest approval), or "no approved report yet". The progress app keeps it in
  ``Measure.status`` whenever a report is approved (approved reports never change).
- A recommendation's implementation status comes from the statuses of the measures (visible to
  the reader) that address it:

  ==========================================  ==========================
  measures addressing it                       implementation status
  ==========================================  ==========================
  none                                         not addressed by a measure
  all implemented                              implemented
  any implemented or partially implemented     partially implemented
  otherwise any in progress                    in progress
  all not implemented                          not implemented
  otherwise (not started, no report yet)       not started
  ==========================================  ==========================
"""

import operator
from collections import Counter
from functools import reduce

from django.db import models
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from rightstrack.core.roles import can_read_internal
from rightstrack.recommendations.extensions import ImplementationStatusHooks
from rightstrack.recommendations.matching import IdIn
from rightstrack.recommendations.models import ImplementationStatus

from .access import visible_measures
from .models import Measure, MeasureStatus

NO_REPORT = MeasureStatus.NO_REPORT


# Each measure status as a bit; the set of statuses of a recommendation's measures (the SUM of the
# DISTINCT bits) decides the recommendation's status in one aggregate.
_BIT = {
    MeasureStatus.NOT_IMPLEMENTED: 1,
    MeasureStatus.NOT_STARTED: 2,
    MeasureStatus.NO_REPORT: 2,
    MeasureStatus.IN_PROGRESS: 4,
    MeasureStatus.PARTIALLY_IMPLEMENTED: 8,
    MeasureStatus.IMPLEMENTED: 16,
}


def annotate_measure_status(measures):
    """Measures with ``derived_status`` (a MeasureStatus value)."""
    return measures.annotate(derived_status=F("status"))


def measure_statuses(measure_ids):
    """{measure id: MeasureStatus value} in one query."""
    return dict(Measure.objects.filter(pk__in=list(measure_ids)).values_list("pk", "status"))


def _links_visible_to(user):
    links = Measure.recommendations.through.objects.all()
    if not can_read_internal(user):
        links = links.filter(measure_id__in=visible_measures(user).values("pk"))
    return links


# Read in order, the first that holds decides: (lookup on the sum of bits, value, status).
_RULES = (
    ("exact", 16, ImplementationStatus.IMPLEMENTED),
    ("gte", 8, ImplementationStatus.PARTIALLY_IMPLEMENTED),
    ("gte", 4, ImplementationStatus.IN_PROGRESS),
    ("exact", 1, ImplementationStatus.NOT_IMPLEMENTED),
)
_OTHERWISE = ImplementationStatus.NOT_STARTED


def status_from_measure_statuses(statuses):
    """The implementation status of a recommendation whose (visible) measures have these
    MeasureStatus values; the same rule as the database applies."""
    statuses = list(statuses)
    if not statuses:
        return ImplementationStatus.NOT_ADDRESSED
    return _status_from_bits(sum({_BIT.get(status, _BIT[NO_REPORT]) for status in statuses}))


def _status_from_bits(bits):
    for lookup, value, status in _RULES:
        if (lookup == "exact" and bits == value) or (lookup == "gte" and bits >= value):
            return status
    return _OTHERWISE


def _bit_of_measure():
    return Case(
        *(When(measure__status=status, then=Value(bit)) for status, bit in _BIT.items()),
        default=Value(_BIT[NO_REPORT]),
        output_field=IntegerField(),
    )


def _bits_per_recommendation(links):
    return (
        links.order_by()
        .values("recommendation_id")
        .annotate(bits=Sum(_bit_of_measure(), distinct=True))
    )


def _bits_of(links):
    """{recommendation id: bits} of ``links``, as ``_bits_per_recommendation`` sums them: the
    (recommendation, measure status) pairs read and their bits combined here (the statuses are
    powers of two, so the sum of the distinct bits is their OR). The database's SUM(DISTINCT)
    of a CASE per recommendation took twice as long as reading the pairs."""
    bits_of: dict[int, int] = {}
    other = _BIT[NO_REPORT]
    for recommendation_id, status in links.order_by().values_list(
        "recommendation_id", "measure__status"
    ):
        bits_of[recommendation_id] = bits_of.get(recommendation_id, 0) | _BIT.get(status, other)
    return bits_of


def _implementation_status(user):
    """Subquery: the implementation status of the recommendation the outer query is on."""
    statuses = (
        _bits_per_recommendation(_links_visible_to(user).filter(recommendation_id=OuterRef("pk")))
        .annotate(
            status=Case(
                *(
                    When(**{f"bits__{lookup}": value}, then=Value(status))
                    for lookup, value, status in _RULES
                ),
                default=Value(_OTHERWISE),
                output_field=models.CharField(),
            )
        )
        .values("status")[:1]
    )
    return Coalesce(
        Subquery(statuses, output_field=models.CharField()),
        Value(ImplementationStatus.NOT_ADDRESSED),
    )


def annotate_implementation_status(recommendations, *, user):
    """Recommendations with ``implementation_status`` (an ImplementationStatus value), from the
    measures the user may see."""
    return recommendations.annotate(implementation_status=_implementation_status(user))


def recommendation_implementation_statuses(recommendation_ids, *, user):
    """{recommendation id: ImplementationStatus value} in one query: the links of those
    recommendations grouped as the counts group them, the rules applied here (building the
    annotation's expression cost more than the query, on every list page)."""
    ids = list(recommendation_ids)
    if not ids:
        return {}
    bits_of = _bits_of(_links_visible_to(user).filter(recommendation_id__in=ids))
    return {
        pk: _status_from_bits(bits_of[pk]) if pk in bits_of else ImplementationStatus.NOT_ADDRESSED
        for pk in ids
    }


def _bits_condition(wanted):
    """Q on ``bits`` (of a grouped link query) that holds for the bits meaning ``wanted``: its
    rule holds and no earlier rule does."""
    condition = Q()
    for lookup, value, status in _RULES:
        holds = Q(**{f"bits__{lookup}": value})
        if status == wanted:
            return condition & holds
        condition &= ~holds
    return condition


def filter_by_implementation_status(recommendations, statuses, *, user):
    """Only the recommendations whose implementation status is one of ``statuses``.

    Like the counts, this follows the links: the recommendations with a wanted status are
    found among those some visible measure addresses, in one subquery.
    """
    statuses = {status for status in statuses if status in ImplementationStatus.values}
    if not statuses:
        return recommendations
    conditions = []
    addressed_statuses = statuses - {ImplementationStatus.NOT_ADDRESSED}
    if addressed_statuses:
        having = reduce(operator.or_, (_bits_condition(status) for status in addressed_statuses))
        with_status = (
            _bits_per_recommendation(_links_visible_to(user))
            .filter(having)
            .values("recommendation_id")
        )
        conditions.append(Q(pk__in=with_status))
    if ImplementationStatus.NOT_ADDRESSED in statuses:
        linked = _links_visible_to(user).filter(recommendation_id=OuterRef("pk"))
        conditions.append(~Exists(linked))
    return recommendations.filter(reduce(operator.or_, conditions))


def implementation_status_counts(recommendations, *, user, total=None, ids=None):
    """{ImplementationStatus value: number of recommendations} for a facet.

    The work follows the links to measures, not the recommendations, so a long list that few
    measures address is counted quickly: the statuses of every recommendation a visible measure
    addresses (one query over the links), which of those the list holds (one query by their
    ids, none when no measure addresses any or when the caller gives the list's ``ids``), and
    one count of the list unless ``total`` (its
    length) is given. Restricting the links to the list instead read the whole list (0.6 s at
    250,000 recommendations, with no measure at all).
    """
    bits_of = _bits_of(_links_visible_to(user))
    inside = []
    if bits_of and not recommendations.query.where:
        inside = list(bits_of)  # the whole table: every linked recommendation is in it
    elif bits_of and ids is not None:
        # The list's ids are at hand (a search's matches): intersected here. Asking the
        # database for "id in the list's ids and in the linked ids" made PostgreSQL test each
        # row against a 20,000-element array (2 s for a common word).
        listed = ids if isinstance(ids, set | frozenset) else set(ids)
        inside = [pk for pk in bits_of if pk in listed]
    elif bits_of:
        inside = (
            recommendations.order_by()
            .filter(IdIn("pk", list(bits_of)))
            .values_list("pk", flat=True)
        )
    counts = Counter(_status_from_bits(bits_of[pk]) for pk in inside)
    if total is None:
        total = recommendations.order_by().count()
    counts[ImplementationStatus.NOT_ADDRESSED] = total - sum(counts.values())
    return {status: count for status, count in counts.items() if count}


def recommendations_addressed_filter(recommendations, addressed, *, user):
    """Only the recommendations addressed (True) or not addressed (False) by at least one measure
    the user may see."""
    linked = Exists(_links_visible_to(user).filter(recommendation_id=OuterRef("pk")))
    return recommendations.filter(linked if addressed else ~linked)


# What the recommendations app asks (see its extensions.py); registered by PlansConfig.ready().
IMPLEMENTATION_STATUS_HOOKS = ImplementationStatusHooks(
    annotate=annotate_implementation_status,
    filter=filter_by_implementation_status,
    filter_addressed=recommendations_addressed_filter,
    counts=implementation_status_counts,
    statuses=recommendation_implementation_statuses,
)
