import datetime

import pytest
from django.utils import timezone

from rightstrack.plans.statuses import (
    annotate_implementation_status,
    filter_by_implementation_status,
    implementation_status_counts,
    measure_statuses,
    recommendation_implementation_statuses,
    recommendations_addressed_filter,
)
from rightstrack.plans.tests.factories import MeasureFactory, RecommendationFactory
from rightstrack.progress.models import ReportStatus
from rightstrack.recommendations.models import ImplementationStatus, Recommendation

from .factories import ReportFactory


def approved(measure, assessment, *, period_end=datetime.date(2024, 3, 31), **kwargs):
    return ReportFactory(
        measure=measure,
        status=ReportStatus.APPROVED,
        status_assessment=assessment,
        period_start=period_end - datetime.timedelta(days=30),
        period_end=period_end,
        **kwargs,
    )


@pytest.mark.django_db
def test_it_takes_a_measures_status_from_its_latest_approved_report(plan):
    measure, unreported = MeasureFactory(plan=plan), MeasureFactory(plan=plan)
    approved(measure, "in-progress", period_end=datetime.date(2024, 3, 31))
    approved(measure, "implemented", period_end=datetime.date(2024, 6, 30))
    approved(measure, "not-started", period_end=datetime.date(2023, 12, 31))
    ReportFactory(
        measure=measure,
        status=ReportStatus.SUBMITTED,
        status_assessment="not-implemented",
        period_start=datetime.date(2024, 7, 1),
        period_end=datetime.date(2024, 9, 30),
    )
    assert measure_statuses([measure.pk, unreported.pk]) == {
        measure.pk: "implemented",
        unreported.pk: "no-report",
    }


@pytest.mark.django_db
def test_it_breaks_ties_on_the_period_by_the_latest_approval(plan):
    measure = MeasureFactory(plan=plan)
    approved(measure, "implemented", reviewed_at=timezone.now() - datetime.timedelta(days=1))
    approved(measure, "partially-implemented", reviewed_at=timezone.now())
    assert measure_statuses([measure.pk]) == {measure.pk: "partially-implemented"}


CASES = [
    ([], ImplementationStatus.NOT_ADDRESSED),
    (["implemented", "implemented"], ImplementationStatus.IMPLEMENTED),
    (["implemented", None], ImplementationStatus.PARTIALLY_IMPLEMENTED),
    (["partially-implemented", "not-implemented"], ImplementationStatus.PARTIALLY_IMPLEMENTED),
    (["in-progress", "not-started"], ImplementationStatus.IN_PROGRESS),
    (["not-implemented", "not-implemented"], ImplementationStatus.NOT_IMPLEMENTED),
    (["not-implemented", None], ImplementationStatus.NOT_STARTED),
    ([None], ImplementationStatus.NOT_STARTED),
]


def _answered_by_measures(plan, assessments):
    """A recommendation with one measure per assessment (None: a measure with no approved
    report)."""
    recommendation = RecommendationFactory()
    for assessment in assessments:
        measure = MeasureFactory(plan=plan, recommendations=[recommendation])
        if assessment:
            approved(measure, assessment)
    return recommendation


@pytest.mark.django_db
@pytest.mark.parametrize(("measure_statuses_", "expected"), CASES)
def test_it_derives_a_recommendations_status_from_its_measures(plan, measure_statuses_, expected):
    recommendation = _answered_by_measures(plan, measure_statuses_)
    statuses = recommendation_implementation_statuses([recommendation.pk], user=None)
    assert statuses == {recommendation.pk: expected}


@pytest.mark.django_db
def test_it_counts_only_measures_the_reader_may_see(users, plan, unpublished_plan, agency):
    recommendation = RecommendationFactory()
    hidden = MeasureFactory(
        plan=unpublished_plan, recommendations=[recommendation], agencies=[agency]
    )
    approved(hidden, "implemented")
    coordinator = users["coordinator"]
    assert recommendation_implementation_statuses([recommendation.pk], user=None) == {
        recommendation.pk: ImplementationStatus.NOT_ADDRESSED
    }
    assert recommendation_implementation_statuses([recommendation.pk], user=coordinator) == {
        recommendation.pk: ImplementationStatus.IMPLEMENTED
    }
    assert recommendation_implementation_statuses(
        [recommendation.pk], user=users["focal_point"]
    ) == {recommendation.pk: ImplementationStatus.IMPLEMENTED}
    everything = Recommendation.objects.all()
    assert not recommendations_addressed_filter(everything, True, user=None).exists()
    assert (
        recommendations_addressed_filter(everything, True, user=coordinator).get() == recommendation
    )
    assert recommendations_addressed_filter(everything, False, user=users["outsider"]).exists()


@pytest.mark.django_db
def test_it_filters_and_counts_by_implementation_status_in_few_queries(
    plan, django_assert_max_num_queries
):
    done, started, untouched = (RecommendationFactory() for _ in range(3))
    approved(MeasureFactory(plan=plan, recommendations=[done]), "implemented")
    approved(MeasureFactory(plan=plan, recommendations=[started]), "in-progress")
    everything = Recommendation.objects.all()
    # The statuses of every linked recommendation, which of them the list holds, its length.
    with django_assert_max_num_queries(3):
        assert implementation_status_counts(everything, user=None) == {
            "implemented": 1,
            "in-progress": 1,
            "not-addressed": 1,
        }
    with django_assert_max_num_queries(1):
        rows = list(
            filter_by_implementation_status(everything, ["implemented", "bogus"], user=None)
        )
    assert rows == [done]
    with django_assert_max_num_queries(1):
        annotated = {
            rec.pk: rec.implementation_status
            for rec in annotate_implementation_status(everything, user=None)
        }
    assert annotated[untouched.pk] == "not-addressed"


@pytest.mark.django_db
@pytest.mark.parametrize(("measure_statuses_", "expected"), CASES)
def test_it_derives_the_same_status_in_python(measure_statuses_, expected):
    from rightstrack.plans.statuses import status_from_measure_statuses

    statuses = [status or "no-report" for status in measure_statuses_]
    assert status_from_measure_statuses(statuses) == expected


@pytest.mark.django_db
def test_it_counts_a_filtered_list_and_takes_a_known_total(plan, django_assert_max_num_queries):
    done = RecommendationFactory(text="done")
    RecommendationFactory(text="other")
    approved(MeasureFactory(plan=plan, recommendations=[done]), "implemented")
    narrowed = Recommendation.objects.filter(text="done")
    assert implementation_status_counts(narrowed, user=None) == {"implemented": 1}
    with django_assert_max_num_queries(1):
        counts = implementation_status_counts(Recommendation.objects.all(), user=None, total=2)
    assert counts == {"implemented": 1, "not-addressed": 1}


@pytest.mark.django_db
def test_it_counts_a_list_whose_ids_are_given_without_asking_which_it_holds(
    plan, django_assert_max_num_queries
):
    """A search's matches are read already: the linked recommendations are intersected with
    them in memory (PostgreSQL tested each row against an array of 20,000 ids: 2 s)."""
    done, other, outside = (RecommendationFactory(text=text) for text in ("a", "b", "c"))
    approved(MeasureFactory(plan=plan, recommendations=[done, outside]), "implemented")
    listed = Recommendation.objects.filter(pk__in=[done.pk, other.pk])

    with django_assert_max_num_queries(1):  # the links only
        counts = implementation_status_counts(listed, user=None, total=2, ids=[done.pk, other.pk])

    assert counts == {"implemented": 1, "not-addressed": 1}
    assert counts == implementation_status_counts(listed, user=None, total=2)


@pytest.mark.django_db
@pytest.mark.parametrize(("measure_statuses_", "expected"), CASES)
def test_it_filters_each_status_to_exactly_its_recommendations(plan, measure_statuses_, expected):
    recommendation = _answered_by_measures(plan, measure_statuses_)
    everything = Recommendation.objects.all()
    for status in ImplementationStatus.values:
        found = filter_by_implementation_status(everything, [status], user=None)
        assert list(found) == ([recommendation] if status == expected else []), status
    either = filter_by_implementation_status(everything, [expected, "not-addressed"], user=None)
    assert list(either) == [recommendation]
