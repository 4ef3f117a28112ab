"""A measure linked to a recommendation follows it when it is merged, and comes back on undo."""

import pytest

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.core.roles import Role
from rightstrack.recommendations import services
from rightstrack.recommendations.models import ImplementationStatus, Recommendation
from rightstrack.recommendations.sources import ensure_sources

from .factories import MeasureFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def status_of(recommendation, user):
    from rightstrack.plans.statuses import annotate_implementation_status

    found = annotate_implementation_status(
        Recommendation.objects.filter(pk=recommendation.pk), user=user
    ).get()
    return found.implementation_status


def test_it_moves_a_linked_measure_on_merge_and_back_on_undo():
    coordinator = UserFactory(role=Role.COORDINATOR)
    report_entry = RecommendationFactory(number="98.16", text="Declare a moratorium")
    copy = RecommendationFactory(number="", document=None, text="Declare a moratorium (row)")
    ensure_sources([report_entry.pk, copy.pk])
    measure = MeasureFactory(recommendations=[copy])
    other = MeasureFactory(recommendations=[report_entry, copy])
    assert status_of(report_entry, coordinator) != ImplementationStatus.NOT_ADDRESSED

    merge = services.recommendations_merge(actor=coordinator, target=report_entry, merged=copy)

    assert list(measure.recommendations.all()) == [report_entry]
    assert list(other.recommendations.all()) == [report_entry]
    assert not Recommendation.objects.filter(pk=copy.pk).exists()
    assert report_entry.sources.count() == 2

    restored = services.merge_undo(actor=coordinator, merge=merge)

    assert restored.pk == copy.pk
    assert list(measure.recommendations.all()) == [restored]
    assert set(other.recommendations.all()) == {report_entry, restored}
    assert report_entry.sources.count() == restored.sources.count() == 1
    assert status_of(restored, coordinator) != ImplementationStatus.NOT_ADDRESSED
