"""Reads of progress reports, evidence, independent and mechanisms' assessments, scoped to the
user (see access.py). The derived statuses of measures and recommendations are in statuses.py."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from rightstrack.core.roles import can_read_internal
from rightstrack.core.types import AnyUser, Filters
from rightstrack.plans.access import focal_agency_id, visible_measures
from rightstrack.plans.models import ActionPlan, Measure
from rightstrack.recommendations.models import Recommendation
from rightstrack.taxonomy.models import Agency

from .access import may_moderate, may_review, visible_assessments, visible_reports
from .due import DEFAULT_HORIZON_DAYS, DueItem, due_items
from .filters import filter_assessments, filter_reports, sort_assessments, sort_reports
from .models import (
    Evidence,
    IndependentAssessment,
    IndicatorValue,
    MechanismAssessment,
    ModerationStatus,
    ProgressReport,
    ReportStatus,
)


def _with_listing_relations(reports: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return reports.select_related("measure", "measure__plan", "author", "agency", "reviewed_by")


def report_list(*, user: AnyUser, filters: Filters | None = None) -> QuerySet[ProgressReport]:
    filters = filters or {}
    reports = filter_reports(visible_reports(user), filters, user=user)
    return sort_reports(_with_listing_relations(reports), filters.get("sort"))


def review_queue(*, user: AnyUser, filters: Filters | None = None) -> QuerySet[ProgressReport]:
    """Submitted reports waiting for a coordinator, oldest submission first by default."""
    if not may_review(user):
        raise PermissionDenied(_("Only administrators and coordinators review reports."))
    filters = {"sort": "submitted", **(filters or {}), "status": ReportStatus.SUBMITTED}
    return report_list(user=user, filters=filters)


def returned_reports(*, user: AnyUser) -> QuerySet[ProgressReport]:
    """The reports of the focal point's agency (or the user's own) returned for changes."""
    return report_list(
        user=user, filters={"status": ReportStatus.RETURNED, "mine": "1", "sort": "-period"}
    )


def report_get(*, user: AnyUser, pk: int) -> ProgressReport:
    report = (
        _with_listing_relations(visible_reports(user))
        .select_related("measure__plan__state")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk")),
            Prefetch(
                "indicator_values",
                queryset=IndicatorValue.objects.select_related("indicator").order_by(
                    "indicator__position", "indicator__pk"
                ),
            ),
            Prefetch("measure__responsible_agencies", queryset=Agency.objects.order_by("name_en")),
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404(_("No such progress report."))
    return report


def measure_reports(*, user: AnyUser, measure: Measure) -> QuerySet[ProgressReport]:
    """The reports on a measure the user may see, latest period first (the timeline)."""
    return (
        visible_reports(user)
        .filter(measure=measure)
        .select_related("author", "agency", "reviewed_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("-period_end", "-pk")
    )


def evidence_for_download(*, user: AnyUser, pk: int) -> Evidence:
    """The evidence whose file the user may download; 404 otherwise (whether or not it exists)."""
    evidence = (
        Evidence.objects.filter(pk=pk, report__in=visible_reports(user).values("pk"))
        .exclude(file="")
        .first()
    )
    if evidence is None:
        raise Http404(_("No such file."))
    return evidence


def evidence_get(*, user: AnyUser, pk: int) -> Evidence:
    evidence = (
        Evidence.objects.filter(pk=pk, report__in=visible_reports(user).values("pk"))
        .select_related("report", "report__measure")
        .first()
    )
    if evidence is None:
        raise Http404(_("No such evidence."))
    return evidence


def assessments_for(
    *,
    user: AnyUser,
    measure: Measure | None = None,
    recommendation: Recommendation | None = None,
) -> QuerySet[IndependentAssessment]:
    assessments = visible_assessments(user).select_related("author")
    if measure is not None:
        assessments = assessments.filter(measure=measure)
    if recommendation is not None:
        assessments = assessments.filter(recommendation=recommendation)
    return assessments.order_by("-created_at", "-pk")


def visible_mechanism_assessments(user: AnyUser) -> QuerySet[MechanismAssessment]:
    """A mechanism's grades are public whenever the recommendation they grade is."""
    assessments = MechanismAssessment.objects.all()
    if not can_read_internal(user):
        assessments = assessments.filter(recommendation__is_published=True)
    return assessments


def mechanism_assessments_for(
    *, user: AnyUser, recommendation: Recommendation
) -> QuerySet[MechanismAssessment]:
    return (
        visible_mechanism_assessments(user)
        .filter(recommendation=recommendation)
        .select_related("mechanism")
        .order_by("-year", "part", "pk")
    )


def mechanism_assessment_list(
    *, user: AnyUser, filters: Filters | None = None
) -> QuerySet[MechanismAssessment]:
    """Mechanism assessments, newest first; ``filters``: state, mechanism (term codes), grade,
    document (the graded recommendation's document symbol)."""
    filters = filters or {}
    assessments = visible_mechanism_assessments(user).select_related(
        "mechanism", "recommendation", "recommendation__state", "recommendation__document"
    )
    if filters.get("state"):
        assessments = assessments.filter(recommendation__state__code=filters["state"])
    if filters.get("mechanism"):
        assessments = assessments.filter(mechanism__code=filters["mechanism"])
    if filters.get("grade"):
        assessments = assessments.filter(grade=str(filters["grade"]).upper())
    if filters.get("document"):
        assessments = assessments.filter(recommendation__document__symbol=filters["document"])
    return assessments.order_by("-year", "recommendation__document__symbol", "pk")


def assessment_get(*, user: AnyUser, pk: int) -> IndependentAssessment:
    assessment = (
        visible_assessments(user)
        .select_related("measure", "measure__plan", "recommendation", "author")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404(_("No such assessment."))
    return assessment


def own_assessments(*, user: AnyUser) -> QuerySet[IndependentAssessment]:
    """The independent assessments the user wrote, newest first, whatever their moderation."""
    if not user.is_authenticated:
        return IndependentAssessment.objects.none()
    return (
        visible_assessments(user)
        .filter(author_id=user.pk)
        .select_related("measure", "measure__plan", "recommendation", "recommendation__document")
        .order_by("-created_at", "-pk")
    )


def moderation_queue(
    *, user: AnyUser, filters: Filters | None = None
) -> QuerySet[IndependentAssessment]:
    if not may_moderate(user):
        raise PermissionDenied(_("Only administrators and coordinators moderate assessments."))
    filters = {"moderation": ModerationStatus.PENDING, **(filters or {})}
    assessments = filter_assessments(visible_assessments(user), filters)
    assessments = assessments.select_related(
        "measure", "measure__plan", "recommendation", "recommendation__document", "author"
    )
    return sort_assessments(assessments, filters.get("sort"))


def due_for_user(
    *, user: AnyUser, today: datetime.date, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> list[DueItem]:
    """What the focal point's agency must report on soon or is late with."""
    agency_id = focal_agency_id(user)
    if not agency_id:
        return []
    measures = visible_measures(user).filter(responsible_agencies=agency_id)
    return due_items(measures=measures, today=today, horizon_days=horizon_days)


@dataclass(frozen=True)
class AgencyOverdue:
    agency: Agency
    overdue: int  # reports overdue on the measures the agency is responsible for
    oldest_due: datetime.date


def overdue_agencies(*, user: AnyUser, today: datetime.date) -> list[AgencyOverdue]:
    """Agencies late with reports on visible measures, the most overdue reports first; for
    internal readers only ([] otherwise). Four queries whatever the number of measures."""
    if not can_read_internal(user):
        return []
    measures = visible_measures(user).prefetch_related("responsible_agencies")
    rows: dict[int, AgencyOverdue] = {}
    for item in due_items(measures=measures, today=today, horizon_days=0):
        if not item.is_overdue:
            continue
        for agency in item.measure.responsible_agencies.all():
            row = rows.get(agency.pk)
            rows[agency.pk] = AgencyOverdue(
                agency=agency,
                overdue=(row.overdue if row else 0) + 1,
                oldest_due=min(row.oldest_due, item.due_date) if row else item.due_date,
            )
    return sorted(rows.values(), key=lambda row: (-row.overdue, row.oldest_due, row.agency.pk))


def due_for_plan(
    *, user: AnyUser, plan: ActionPlan, today: datetime.date, horizon_days: int = 0
) -> list[DueItem]:
    """The plan's overdue reports (and, with a horizon, those due soon) among visible measures."""
    if not (can_read_internal(user) or focal_agency_id(user)):
        return []
    measures = visible_measures(user).filter(plan=plan)
    return due_items(measures=measures, today=today, horizon_days=horizon_days)
