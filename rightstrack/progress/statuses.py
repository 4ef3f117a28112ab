"""The status of a measure from its approved progress reports.

A measure's status is the status assessment of its latest approved report (latest period end,
then latest approval), or "no approved report yet". The approval service keeps it in
``Measure.status`` whenever a report is approved (approved reports never change); the statuses
derived from it for many measures and recommendations at once are in plans/statuses.py.
"""

from rightstrack.plans.models import MeasureStatus

from .models import ProgressReport, ReportStatus


def latest_approved_status(measure_id):
    """The status assessment of the measure's latest approved report, worked out from the
    reports (what ``Measure.status`` keeps)."""
    latest = (
        ProgressReport.objects.filter(measure_id=measure_id, status=ReportStatus.APPROVED)
        .order_by("-period_end", "-reviewed_at", "-pk")
        .values_list("status_assessment", flat=True)
        .first()
    )
    return latest or MeasureStatus.NO_REPORT
