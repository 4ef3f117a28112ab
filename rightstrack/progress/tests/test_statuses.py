import pytest

from rightstrack.plans.tests.factories import MeasureFactory, PlanFactory, RecommendationFactory
from rightstrack.progress.models import ReportStatus, StatusAssessment
from rightstrack.progress.statuses import (
    ImplementationStatus,
    MeasureStatus,
    implementation_status_counts,
    measure_statuses,
    recommendation_implementation_statuses,
    recommendations_addressed_filter,
)
from rightstrack.recommendations.models import Recommendation

from .factories import ReportFactory


@pytest.mark.django_db
def test_it_smoke(users):
    rec = RecommendationFactory()
    rec2 = RecommendationFactory()
    m = MeasureFactory(recommendations=[rec])
    ReportFactory(measure=m, status=ReportStatus.APPROVED, status_assessment=StatusAssessment.IMPLEMENTED)
    print(measure_statuses([m.pk]))
    print(recommendation_implementation_statuses([rec.pk, rec2.pk], user=None))
    print(implementation_status_counts(Recommendation.objects.all(), user=None))
    print(list(recommendations_addressed_filter(Recommendation.objects.all(), True, user=users["outsider"])))
