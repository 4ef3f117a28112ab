"""Factories for progress reports and independent assessments.

ReportFactory(measure=measure, status="approved", status_assessment="implemented")
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from rightstrack.plans.tests.factories import MeasureFactory
from rightstrack.progress.models import (
    IndependentAssessment,
    ModerationStatus,
    ProgressReport,
    ReportStatus,
    StatusAssessment,
)


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    measure = factory.SubFactory(MeasureFactory)
    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2024, 3, 31)
    status_assessment = StatusAssessment.IN_PROGRESS
    narrative = "<p>Work went on.</p>"
    status = ReportStatus.DRAFT
    submitted_at = factory.LazyAttribute(
        lambda report: None if report.status == ReportStatus.DRAFT else timezone.now()
    )
    reviewed_at = factory.LazyAttribute(
        lambda report: (
            timezone.now()
            if report.status in (ReportStatus.APPROVED, ReportStatus.RETURNED)
            else None
        )
    )


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = IndependentAssessment

    measure = factory.SubFactory(MeasureFactory)
    organisation = "Belarusian Helsinki Committee"
    status_assessment = StatusAssessment.NOT_IMPLEMENTED
    narrative = "<p>Nothing changed.</p>"
    moderation = ModerationStatus.PUBLISHED
