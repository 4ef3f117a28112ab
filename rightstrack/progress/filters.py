"""What each filter and sort order of the report and assessment lists means: one definition for
the pages, the API and any export."""

from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filtering import Equals, Words, apply_filters, as_id
from rightstrack.core.listing import SortOption, resolve_sort
from rightstrack.core.values import a_flag
from rightstrack.plans.access import focal_agency_id
from rightstrack.plans.models import Measure

from .models import ModerationStatus, ReportStatus, StatusAssessment

REPORT_SORTS = (
    SortOption("-period", _("Period (latest first)"), ("-period_end", "-pk")),
    SortOption("period", _("Period (earliest first)"), ("period_end", "pk")),
    SortOption(
        "submitted",
        _("Submitted (oldest first)"),
        (F("submitted_at").asc(nulls_last=True), "pk"),
    ),
    SortOption(
        "-submitted",
        _("Submitted (newest first)"),
        (F("submitted_at").desc(nulls_last=True), "-pk"),
    ),
    SortOption("measure", _("Measure"), ("measure__plan__name", "measure__number", "-period_end")),
)
DEFAULT_REPORT_SORT = "-period"

ASSESSMENT_SORTS = (
    SortOption("-created", _("Newest first"), ("-created_at", "-pk")),
    SortOption("created", _("Oldest first"), ("created_at", "pk")),
)
DEFAULT_ASSESSMENT_SORT = "-created"


REPORT_FILTERS = {
    "q": Words("measure__title__icontains", "measure__number__iexact", "narrative__icontains"),
    "plan": Equals("measure__plan__slug"),
    "status": Equals("status", choices=ReportStatus.values),
    "assessment": Equals("status_assessment", choices=StatusAssessment.values),
}


def filter_reports(reports, filters, *, user):
    reports = apply_filters(reports, filters, REPORT_FILTERS)
    if filters.get("measure"):
        measure_id = as_id(filters["measure"])
        reports = reports.filter(measure_id=measure_id) if measure_id else reports.none()
    if filters.get("agency"):
        reports = reports.filter(
            Exists(
                Measure.responsible_agencies.through.objects.filter(
                    measure_id=OuterRef("measure_id"), agency__code=filters["agency"]
                )
            )
        )
    if a_flag(filters.get("mine")):
        agency_id = focal_agency_id(user)
        if agency_id:
            reports = reports.filter(agency_id=agency_id)
        elif user is not None and user.is_authenticated:
            reports = reports.filter(author_id=user.pk)
        else:
            reports = reports.none()
    return reports


def sort_reports(reports, key):
    return reports.order_by(*resolve_sort(key, REPORT_SORTS, DEFAULT_REPORT_SORT).order_by)


ASSESSMENT_FILTERS = {
    "moderation": Equals("moderation", choices=ModerationStatus.values),
    "assessment": Equals("status_assessment", choices=StatusAssessment.values),
}


def filter_assessments(assessments, filters):
    return apply_filters(assessments, filters, ASSESSMENT_FILTERS)


def sort_assessments(assessments, key):
    return assessments.order_by(
        *resolve_sort(key, ASSESSMENT_SORTS, DEFAULT_ASSESSMENT_SORT).order_by
    )
