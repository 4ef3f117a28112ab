"""Statuses derived from approved progress reports, for many rows at once.

- A measure's status is the status assessment of its latest approved report (latest period end,
  then latest approval), or "no approved report yet". It is kept in ``Measure.status`` by
  the approval service whenever a report is approved (approved reports never change).
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

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from rightstrack.accounts.roles import can_read_internal
from rightstrack.plans.access import visible_measures
from rightstrack.plans.models import Measure, MeasureStatus

from .models import ProgressReport, ReportStatus

NO_REPORT = MeasureStatus.NO_REPORT


class ImplementationStatus(models.TextChoices):
    NOT_ADDRESSED = "not-addressed", _("Not addressed by a measure")
    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially-implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not-implemented", _("Not implemented")


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


def latest_approved_status(measure_id):
    """The status assessment of the measure's latest approved report, worked out from the
    reports (what ``Measure.status`` keeps)."""
    latest = (
        ProgressReport.objects.filter(measure_id=measure_id, status=ReportStatus.APPROVED)
        .order_by("-period_end", "-reviewed_at", "-pk")
        .values_list("status_assessment", flat=True)
        .first()
    )
    return latest or NO_REPORT


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


def _implementation_status(user):
    """Subquery: the implementation status of the recommendation the outer query is on."""
    bit = Case(
        *(When(measure__status=status, then=Value(bit)) for status, bit in _BIT.items()),
        default=Value(_BIT[NO_REPORT]),
        output_field=IntegerField(),
    )
    statuses = (
        _links_visible_to(user)
        .filter(recommendation_id=OuterRef("pk"))
        .order_by()
        .values("recommendation_id")
        .annotate(bits=Sum(bit, distinct=True))
        .annotate(
            status=Case(
                When(bits=16, then=Value(ImplementationStatus.IMPLEMENTED)),
                When(bits__gte=8, then=Value(ImplementationStatus.PARTIALLY_IMPLEMENTED)),
                When(bits__gte=4, then=Value(ImplementationStatus.IN_PROGRESS)),
                When(bits=1, then=Value(ImplementationStatus.NOT_IMPLEMENTED)),
                default=Value(ImplementationStatus.NOT_STARTED),
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
    """{recommendation id: ImplementationStatus value} in one query."""
    from rightstrack.recommendations.models import Recommendation

    recommendations = annotate_implementation_status(
        Recommendation.objects.filter(pk__in=list(recommendation_ids)), user=user
    )
    return dict(recommendations.values_list("pk", "implementation_status"))


def filter_by_implementation_status(recommendations, statuses, *, user):
    """Only the recommendations whose implementation status is one of ``statuses``."""
    statuses = {status for status in statuses if status in ImplementationStatus.values}
    if not statuses:
        return recommendations
    if statuses == {ImplementationStatus.NOT_ADDRESSED}:
        return recommendations_addressed_filter(recommendations, False, user=user)
    if "implementation_status" not in recommendations.query.annotations:
        recommendations = annotate_implementation_status(recommendations, user=user)
    return recommendations.filter(implementation_status__in=statuses)


def implementation_status_counts(recommendations, *, user):
    """{ImplementationStatus value: number of recommendations} for a facet, in one query."""
    rows = (
        annotate_implementation_status(recommendations.order_by(), user=user)
        .values("implementation_status")
        .annotate(total=Count("pk"))
    )
    return {row["implementation_status"]: row["total"] for row in rows}


def recommendations_addressed_filter(recommendations, addressed, *, user):
    """Only the recommendations addressed (True) or not addressed (False) by at least one measure
    the user may see."""
    linked = Exists(_links_visible_to(user).filter(recommendation_id=OuterRef("pk")))
    return recommendations.filter(linked if addressed else ~linked)
