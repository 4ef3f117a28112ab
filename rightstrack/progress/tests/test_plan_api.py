"""The measures API with statuses from approved progress reports."""

import pytest

from rightstrack.plans.tests.factories import IndicatorFactory, RecommendationFactory
from rightstrack.progress.models import ReportStatus

from .factories import ReportFactory


@pytest.mark.django_db
def test_it_lists_measures_with_status_indicators_and_recommendations(
    api_client_for, measure, other_measure, hidden_measure, agency, django_assert_max_num_queries
):
    recommendation = RecommendationFactory()
    unpublished_recommendation = RecommendationFactory(is_published=False)
    measure.recommendations.add(recommendation, unpublished_recommendation)
    IndicatorFactory(measure=measure, name="Judges trained")
    ReportFactory(measure=measure, status=ReportStatus.APPROVED, status_assessment="implemented")
    client = api_client_for("anonymous")
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/measures/").json()
    by_number = {item["number"]: item for item in body["items"]}
    assert set(by_number) == {measure.number, other_measure.number}
    item = by_number[measure.number]
    assert item["status"] == "implemented"
    assert item["recommendations"] == [recommendation.pk]
    assert item["indicators"][0]["name"] == "Judges trained"
    assert item["responsible_agencies"] == [agency.code]
    assert item["version"] == 1
    implemented = client.get("/api/v1/measures/", {"status": "implemented"}).json()
    assert [item["number"] for item in implemented["items"]] == [measure.number]
    mine = api_client_for("focal_point").get("/api/v1/measures/", {"mine": True}).json()
    assert {item["number"] for item in mine["items"]} == {measure.number, hidden_measure.number}
    assert client.get(f"/api/v1/measures/{hidden_measure.pk}").status_code == 404
