"""The JSON shapes of progress reports in the API."""

from datetime import date, datetime

from django.urls import reverse
from ninja import Field, Schema

from rightstrack.core.api.inputs import Id
from rightstrack.core.api.schemas import partial_schema
from rightstrack.core.roles import can_read_internal
from rightstrack.plans.access import may_report_on


class EvidenceOut(Schema):
    id: int
    title: str
    url: str
    file_name: str = Field(..., alias="original_name")
    size: int | None
    download_url: str | None

    @staticmethod
    def resolve_download_url(evidence):
        if not evidence.file:
            return None
        return reverse("progress:evidence-download", kwargs={"pk": evidence.pk})


class IndicatorValueOut(Schema):
    indicator: int = Field(..., alias="indicator_id")
    value: str


class ReportOut(Schema):
    id: int
    measure: int = Field(..., alias="measure_id")
    plan: str = Field(..., alias="measure.plan.slug")
    period_start: date
    period_end: date
    status_assessment: str
    narrative: str
    status: str
    agency: str | None
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_comment: str | None
    evidence: list[EvidenceOut]
    indicator_values: list[IndicatorValueOut]
    is_example: bool

    @staticmethod
    def resolve_agency(report):
        return report.agency.code if report.agency_id else None

    @staticmethod
    def resolve_review_comment(report, context):
        # The reviewer's words are for staff and the reporting agencies, not the public.
        user = context["request"].user
        if can_read_internal(user) or may_report_on(user, report.measure):
            return report.review_comment
        return None


class ReportCreateIn(Schema):
    measure: int
    period_start: date
    period_end: date
    status_assessment: str
    narrative: str = ""
    indicator_values: dict[Id, str] = {}


class ReportUpdateIn(partial_schema(ReportCreateIn, exclude={"measure"})):
    pass


class ReviewIn(Schema):
    comment: str = ""


class ReportFiltersIn(Schema):
    q: str | None = None
    plan: str | None = None
    measure: Id | None = None
    agency: str | None = None
    status: str | None = None
    assessment: str | None = None
    mine: bool | None = None
    sort: str | None = None


class EvidenceLinkIn(Schema):
    title: str = ""
    url: str


class MechanismAssessmentOut(Schema):
    id: int
    recommendation: int = Field(..., alias="recommendation_id")
    state: str = Field(..., alias="recommendation.state.code")
    document: str | None = Field(None, alias="recommendation.document.symbol")
    paragraph: str = Field(..., alias="recommendation.number")
    mechanism: str = Field(..., alias="mechanism.code")
    assessment_document: str = Field(..., alias="document_symbol")
    year: int
    part: str
    grade: str
    grade_meaning: str

    @staticmethod
    def resolve_grade_meaning(assessment):
        return str(assessment.get_grade_display())


class MechanismAssessmentFiltersIn(Schema):
    state: str | None = None
    mechanism: str | None = None
    grade: str | None = None
    document: str | None = None
