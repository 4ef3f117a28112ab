"""Who may see and change progress reports, evidence and independent assessments.

- Reports: internal readers see all; a focal point sees the reports on their agency's measures
  (drafts only when their own agency wrote them) and the approved reports of published plans;
  everybody else sees approved reports of published plans only.
- A report is written by a focal point of a responsible agency (or by a manager); while it is a
  draft or returned, the focal points of the agency that wrote it (and its author) may edit and
  submit it. Managers approve or return submitted reports.
- Independent assessments are written by civil society contributors (and administrators). They
  appear publicly once a coordinator has published them (moderation protects against abuse and
  mistakes); their authors and internal readers see them at once, marked as awaiting moderation.
"""

from django.db.models import Exists, OuterRef, Q

from rightstrack.core.roles import (
    Role,
    can_manage,
    can_read_internal,
    is_administrator,
    role_of,
)
from rightstrack.plans.access import focal_agency_id, may_report_on
from rightstrack.plans.models import Measure

from .models import IndependentAssessment, ModerationStatus, ProgressReport, ReportStatus


def visible_reports(user):
    reports = ProgressReport.objects.all()
    if can_read_internal(user):
        return reports
    public = Q(status=ReportStatus.APPROVED, measure__plan__is_published=True)
    agency_id = focal_agency_id(user)
    if agency_id:
        responsible = Exists(
            Measure.responsible_agencies.through.objects.filter(
                measure_id=OuterRef("measure_id"), agency_id=agency_id
            )
        )
        public |= responsible & (~Q(status=ReportStatus.DRAFT) | Q(agency_id=agency_id))
    return reports.filter(public)


def may_edit_report(user, report):
    """May change, add evidence to and submit the report (while it is a draft or returned)."""
    if not report.is_editable_state:
        return False
    if is_administrator(user):
        return True
    if not may_report_on(user, report.measure):
        return False
    if report.author_id and report.author_id == getattr(user, "pk", None):
        return True
    agency_id = focal_agency_id(user)
    return bool(agency_id) and report.agency_id == agency_id


def may_review(user):
    return can_manage(user)


def may_assess(user):
    """May write independent assessments."""
    return role_of(user) in {Role.CIVIL_SOCIETY, Role.ADMINISTRATOR}


def may_moderate(user):
    return can_manage(user)


def visible_assessments(user):
    assessments = IndependentAssessment.objects.all()
    if can_read_internal(user):
        return assessments
    public = Q(moderation=ModerationStatus.PUBLISHED) & (
        Q(measure__plan__is_published=True) | Q(recommendation__is_published=True)
    )
    if user is not None and user.is_authenticated:
        public |= Q(author_id=user.pk)
    return assessments.filter(public)
