"""/api/v1/progress-reports: the same rules as the pages (approved reports of published plans for
everyone; focal points write and submit reports on their agency's measures; managers review)."""

from ninja import File, Form
from ninja.files import UploadedFile

from rightstrack.core.api.endpoints import Router, list_endpoint
from rightstrack.core.api_auth import read_auth, write_auth
from rightstrack.plans.selectors import measure_get

from . import services
from .schemas import (
    EvidenceOut,
    MechanismAssessmentFiltersIn,
    MechanismAssessmentOut,
    ReportCreateIn,
    ReportFiltersIn,
    ReportOut,
    ReportUpdateIn,
    ReviewIn,
)
from .selectors import mechanism_assessment_list, report_get, report_list

router = Router(tags=["progress reports"])
mechanism_assessments_router = Router(tags=["mechanism assessments"])


def _fresh(request, report):
    return report_get(user=request.user, pk=report.pk)


@list_endpoint(router, ReportOut, ReportFiltersIn)
def list_reports(user, filters):
    """List progress reports

    Anonymous callers see the approved reports of published plans only. Filters: `plan`
    (slug), `measure` (id), `agency` (code), `status`, `assessment`, `mine`, `q`.
    """
    reports = report_list(user=user, filters=filters)
    return reports.prefetch_related("evidence", "indicator_values", "measure__responsible_agencies")


@router.get("/{report_id}", response=ReportOut, auth=read_auth)
def get_report(request, report_id: int):
    """One progress report"""
    return report_get(user=request.user, pk=report_id)


@router.post("/", response={201: ReportOut}, auth=write_auth)
def create_report(request, payload: ReportCreateIn):
    """Start a draft report on a measure (focal points of the responsible agencies)"""
    measure = measure_get(user=request.user, pk=payload.measure)
    report = services.report_create(
        actor=request.user, measure=measure, data=payload.model_dump(exclude={"measure"})
    )
    return 201, _fresh(request, report)


@router.patch("/{report_id}", response=ReportOut, auth=write_auth)
def update_report(request, report_id: int, payload: ReportUpdateIn):
    """Change a draft or returned report"""
    report = report_get(user=request.user, pk=report_id)
    services.report_update(
        actor=request.user, report=report, data=payload.model_dump(exclude_unset=True)
    )
    return _fresh(request, report)


@router.post("/{report_id}/evidence", response={201: EvidenceOut}, auth=write_auth)
def add_evidence(
    request,
    report_id: int,
    title: Form[str] = "",
    url: Form[str] = "",
    file: File[UploadedFile] = None,
):
    """Attach a link or a file (multipart) to a draft or returned report"""
    report = report_get(user=request.user, pk=report_id)
    evidence = services.evidence_add(
        actor=request.user, report=report, title=title, url=url, upload=file
    )
    return 201, evidence


@router.post("/{report_id}/submit", response=ReportOut, auth=write_auth)
def submit_report(request, report_id: int):
    """Submit"""
    report = report_get(user=request.user, pk=report_id)
    services.report_submit(actor=request.user, report=report)
    return _fresh(request, report)


@router.post("/{report_id}/approve", response=ReportOut, auth=write_auth)
def approve_report(request, report_id: int, payload: ReviewIn):
    """Approve a submitted report (administrators and coordinators)"""
    report = report_get(user=request.user, pk=report_id)
    services.report_approve(actor=request.user, report=report, comment=payload.comment)
    return _fresh(request, report)


@router.post("/{report_id}/return", response=ReportOut, auth=write_auth)
def return_report(request, report_id: int, payload: ReviewIn):
    """Return a submitted report with a comment (administrators and coordinators)"""
    report = report_get(user=request.user, pk=report_id)
    services.report_return(actor=request.user, report=report, comment=payload.comment)
    return _fresh(request, report)


@list_endpoint(mechanism_assessments_router, MechanismAssessmentOut, MechanismAssessmentFiltersIn)
def list_mechanism_assessments(user, filters):
    """List the mechanisms' own follow-up grades (A–E)

    Grades of published recommendations are public. Filters: `state` and `mechanism` (codes),
    `grade`, `document` (the concluding observations' symbol).
    """
    return mechanism_assessment_list(user=user, filters=filters)
