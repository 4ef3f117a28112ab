"""Statuses derived from approved progress reports, computed in the database for many rows at once.

- A measure's status is the status assessment of its latest approved report (latest period end,
  then latest approval), or "no approved report yet".
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
    IntegerField,
    Max,
    Min,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from rightstrack.accounts.roles import can_read_internal
from rightstrack.plans.access import visible_measures
from rightstrack.plans.models import Measure

from .models import ProgressReport, ReportStatus, StatusAssessment

NO_REPORT = "no-report"


class MeasureStatus(models.TextChoices):
    NO_REPORT = NO_REPORT, _("No approved report yet")
    NOT_STARTED = StatusAssessment.NOT_STARTED.value, StatusAssessment.NOT_STARTED.label
    IN_PROGRESS = StatusAssessment.IN_PROGRESS.value, StatusAssessment.IN_PROGRESS.label
    PARTIALLY_IMPLEMENTED = (
        StatusAssessment.PARTIALLY_IMPLEMENTED.value,
        StatusAssessment.PARTIALLY_IMPLEMENTED.label,
    )
    IMPLEMENTED = StatusAssessment.IMPLEMENTED.value, StatusAssessment.IMPLEMENTED.label
    NOT_IMPLEMENTED = StatusAssessment.NOT_IMPLEMENTED.value, StatusAssessment.NOT_IMPLEMENTED.label


class ImplementationStatus(models.TextChoices):
    NOT_ADDRESSED = "not-addressed", _("Not addressed by a measure")
    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially-implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not-implemented", _("Not implemented")


# How far along each measure status is; a recommendation's status is read from the highest and
# lowest rank among its measures, stored together as highest * 10 + lowest.
_RANK = {
    MeasureStatus.NOT_IMPLEMENTED: 0,
    MeasureStatus.NOT_STARTED: 1,
    MeasureStatus.NO_REPORT: 1,
    MeasureStatus.IN_PROGRESS: 2,
    MeasureStatus.PARTIALLY_IMPLEMENTED: 3,
    MeasureStatus.IMPLEMENTED: 4,
}


def latest_approved_status(measure_ref="pk"):
    """Subquery: the status assessment of the latest approved report of the measure whose id
    the outer query has at ``measure_ref``."""
    return Subquery(
        ProgressReport.objects.filter(
            measure_id=OuterRef(measure_ref), status=ReportStatus.APPROVED
        )
        .order_by("-period_end", "-reviewed_at", "-pk")
        .values("status_assessment")[:1]
    )


def annotate_measure_status(measures):
    """Measures with ``derived_status`` (a MeasureStatus value)."""
    return measures.annotate(derived_status=Coalesce(latest_approved_status(), Value(NO_REPORT)))


def measure_statuses(measure_ids):
    """{measure id: MeasureStatus value} in one query."""
    measures = annotate_measure_status(Measure.objects.filter(pk__in=list(measure_ids)))
    return dict(measures.values_list("pk", "derived_status"))


def _links_visible_to(user):
    links = Measure.recommendations.through.objects.all()
    if not can_read_internal(user):
        links = links.filter(measure_id__in=visible_measures(user).values("pk"))
    return links


def _implementation_code(user):
    ranked = (
        _links_visible_to(user)
        .filter(recommendation_id=OuterRef("pk"))
        .annotate(latest=Coalesce(latest_approved_status("measure_id"), Value(NO_REPORT)))
        .annotate(
            rank=Case(
                *(When(latest=status, then=Value(rank)) for status, rank in _RANK.items()),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by()
        .values("recommendation_id")
        .annotate(code=Max("rank") * 10 + Min("rank"))
        .values("code")[:1]
    )
    return Subquery(ranked, output_field=IntegerField())


def annotate_implementation_status(recommendations, *, user):
    """Recommendations with ``implementation_status`` (an ImplementationStatus value), from the
    measures the user may see."""
    return recommendations.annotate(implementation_code=_implementation_code(user)).annotate(
        implementation_status=Case(
            When(implementation_code__isnull=True, then=Value(ImplementationStatus.NOT_ADDRESSED)),
            When(implementation_code=44, then=Value(ImplementationStatus.IMPLEMENTED)),
            When(
                implementation_code__gte=30,
                then=Value(ImplementationStatus.PARTIALLY_IMPLEMENTED),
            ),
            When(implementation_code__gte=20, then=Value(ImplementationStatus.IN_PROGRESS)),
            When(implementation_code__gte=10, then=Value(ImplementationStatus.NOT_STARTED)),
            default=Value(ImplementationStatus.NOT_IMPLEMENTED),
            output_field=models.CharField(),
        )
    )


def recommendation_implementation_statuses(recommendation_ids, *, user):
    """{recommendation id: ImplementationStatus value} in one query."""
    from rightstrack.recommendations.models import Recommendation

    recommendations = annotate_implementation_status(
        Recommendation.objects.filter(pk__in=list(recommendation_ids)), user=user
    )
    return dict(recommendations.values_list("pk", "implementation_status"))


def filter_by_implementation_status(recommendations, statuses, *, user):
    """Only the recommendations whose implementation status is one of ``statuses``."""
    statuses = [status for status in statuses if status in ImplementationStatus.values]
    if not statuses:
        return recommendations
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
