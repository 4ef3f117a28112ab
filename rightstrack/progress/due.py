"""Which progress reports are due or overdue, from each indicator's reporting frequency (the
rules are in plans.schedule)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, OuterRef, Prefetch, Subquery

from rightstrack.plans.models import Indicator, Measure
from rightstrack.plans.schedule import next_due_date

from .models import ProgressReport, ReportStatus

DEFAULT_HORIZON_DAYS = 30
# Reports that count towards a due date: sent for review or accepted.
COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


@dataclass(frozen=True)
class DueItem:
    measure: Measure
    indicator: Indicator
    due_date: date
    today: date

    @property
    def is_overdue(self):
        return self.due_date < self.today

    @property
    def days_overdue(self):
        return max(0, (self.today - self.due_date).days)


def reported_until():
    """Subquery: the latest period end of the measure's submitted or approved reports."""
    return Subquery(
        ProgressReport.objects.filter(measure_id=OuterRef("pk"), status__in=COUNTED_STATUSES)
        .order_by()
        .values("measure_id")
        .annotate(until=Max("period_end"))
        .values("until")
    )


def due_items(*, measures, today, horizon_days=DEFAULT_HORIZON_DAYS):
    """For each indicator of these measures, its earliest unmet due date when that is overdue or
    within ``horizon_days``; soonest first. Three queries whatever the number of measures."""
    horizon = today + timedelta(days=horizon_days)
    measures = (
        measures.annotate(last_reported_until=reported_until())
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.exclude(first_due_date=None).order_by("position", "pk"),
            )
        )
    )
    items = []
    for measure in measures:
        for indicator in measure.indicators.all():
            due = next_due_date(
                first_due_date=indicator.first_due_date,
                frequency=indicator.reporting_frequency,
                measure_due_date=measure.due_date,
                last_reported_until=measure.last_reported_until,
            )
            if due is not None and due <= horizon:
                items.append(
                    DueItem(measure=measure, indicator=indicator, due_date=due, today=today)
                )
    items.sort(key=lambda item: (item.due_date, item.measure.number, item.indicator.pk))
    return items
