"""Factories for progress reports and independent assessments.

ReportFactory(measure=measure, status="approved", status_assessment="implemented")
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from rightstrack.plans.models import Measure
from rightstrack.plans.tests.factories import MeasureFactory
from rightstrack.progress.models import (
    IndependentAssessment,
    ModerationStatus,
    ProgressReport,
    ReportStatus,
    StatusAssessment,
)
from rightstrack.progress.statuses import latest_approved_status


def _keep_measure_status(report, create, extracted, **kwargs):
    # As the approval service does: the measure's status follows its latest approved report.
    if create and report.status == ReportStatus.APPROVED:
        status = latest_approved_status(report.measure_id)
        Measure.objects.filter(pk=report.measure_id).update(status=status)
        report.measure.status = status


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport
        skip_postgeneration_save = True

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
    measure_status = factory.PostGeneration(_keep_measure_status)


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = IndependentAssessment

    measure = factory.SubFactory(MeasureFactory)
    organisation = "Belarusian Helsinki Committee"
    status_assessment = StatusAssessment.NOT_IMPLEMENTED
    narrative = "<p>Nothing changed.</p>"
    moderation = ModerationStatus.PUBLISHED
