"""Plan and measure pages with the progress reports, assessments and statuses on them."""

import datetime

import pytest

from rightstrack.plans.tests.factories import (
    IndicatorFactory,
    MeasureFactory,
    RecommendationFactory,
)
from rightstrack.progress.models import ReportStatus

from .factories import AssessmentFactory, ReportFactory


@pytest.mark.django_db
def test_it_shows_the_plan_page_in_a_bounded_number_of_queries(
    client_for, plan, agency, django_assert_max_num_queries
):
    recommendation = RecommendationFactory()
    for _ in range(20):
        measure = MeasureFactory(plan=plan, agencies=[agency], recommendations=[recommendation])
        IndicatorFactory(measure=measure, first_due_date=datetime.date(2020, 1, 1))
        ReportFactory(measure=measure, status=ReportStatus.APPROVED)
    coordinator = client_for("coordinator")
    with django_assert_max_num_queries(19):
        response = coordinator.get(plan.get_absolute_url())
    assert response.status_code == 200
    assert "Overdue reports" in response.text


@pytest.mark.django_db
def test_it_filters_the_measures_of_a_plan(client, plan, measure, other_measure, agency):
    approved = ReportFactory(
        measure=other_measure, status=ReportStatus.APPROVED, status_assessment="implemented"
    )
    assert approved.pk
    by_agency = client.get(plan.get_absolute_url(), {"agency": agency.code}).text
    assert measure.title in by_agency and other_measure.title not in by_agency
    by_status = client.get(
        plan.get_absolute_url(), {"status": "implemented"}, headers={"HX-Request": "true"}
    ).text
    assert other_measure.title in by_status and measure.title not in by_status


@pytest.mark.django_db
def test_it_shows_only_approved_reports_and_published_assessments_to_the_public(
    client, measure, users
):
    approved = ReportFactory(
        measure=measure, status=ReportStatus.APPROVED, narrative="<p>Approved words</p>"
    )
    ReportFactory(measure=measure, status=ReportStatus.RETURNED, narrative="<p>Returned words</p>")
    ReportFactory(measure=measure, status=ReportStatus.DRAFT, narrative="<p>Draft words</p>")
    AssessmentFactory(measure=measure, organisation="Visible NGO")
    AssessmentFactory(measure=measure, organisation="Waiting NGO", moderation="pending")
    text = client.get(measure.get_absolute_url()).text
    assert approved.get_absolute_url() in text
    assert text.count("/progress/reports/") == 1
    assert "Visible NGO" in text and "Waiting NGO" not in text
    assert "Independent" in text


@pytest.mark.django_db
def test_it_shows_the_measure_with_linked_recommendations_and_statuses(client, measure, indicator):
    recommendation = RecommendationFactory(text="Abolish the death penalty", number="98.16")
    measure.recommendations.add(recommendation)
    ReportFactory(measure=measure, status=ReportStatus.APPROVED, status_assessment="implemented")
    text = client.get(measure.get_absolute_url()).text
    assert "Abolish the death penalty" in text
    assert "status-implemented" in text
    assert indicator.name in text


@pytest.mark.django_db
def test_it_shows_a_measure_in_a_bounded_number_of_queries(
    client_for, measure, indicator, agency, django_assert_max_num_queries
):
    for number in range(15):
        measure.recommendations.add(RecommendationFactory(number=f"97.{number}"))
        ReportFactory(measure=measure, status=ReportStatus.APPROVED)
        AssessmentFactory(measure=measure)
    coordinator = client_for("coordinator")
    with django_assert_max_num_queries(16):
        response = coordinator.get(measure.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count("badge-independent") == 15
