"""The implementation status on the recommendation list: a column, two facets, two filters."""

import pytest

from rightstrack.plans.tests.factories import MeasureFactory, RecommendationFactory
from rightstrack.progress.models import ReportStatus
from rightstrack.recommendations.filters import parse_filters

from .factories import ReportFactory

LIST_URL = "/recommendations/"


@pytest.fixture
def recommendations(plan, unpublished_plan):
    done = RecommendationFactory(text="Done recommendation")
    started = RecommendationFactory(text="Started recommendation")
    hidden = RecommendationFactory(text="Hidden plan recommendation")
    RecommendationFactory(text="Forgotten recommendation")
    ReportFactory(
        measure=MeasureFactory(plan=plan, recommendations=[done]),
        status=ReportStatus.APPROVED,
        status_assessment="implemented",
    )
    ReportFactory(
        measure=MeasureFactory(plan=plan, recommendations=[started]),
        status=ReportStatus.APPROVED,
        status_assessment="in-progress",
    )
    MeasureFactory(plan=unpublished_plan, recommendations=[hidden])
    return {"done": done, "started": started, "hidden": hidden}


def facet_counts(response, key):
    facet = next(facet for facet in response.context["facets"] if facet.key == key)
    return {value.value: value.count for value in facet.values}


@pytest.mark.django_db
def test_it_counts_the_list_by_implementation_status_for_the_reader(client_for, recommendations):
    public = client_for("anonymous").get(LIST_URL)
    assert facet_counts(public, "implementation") == {
        "not-addressed": 2,
        "in-progress": 1,
        "implemented": 1,
    }
    assert facet_counts(public, "addressed") == {"yes": 2, "no": 2}
    assert "status-implemented" in public.text
    viewer = client_for("viewer").get(LIST_URL)
    assert facet_counts(viewer, "implementation")["not-started"] == 1
    assert facet_counts(viewer, "addressed") == {"yes": 3, "no": 1}


@pytest.mark.django_db
def test_it_filters_the_list_by_addressed_and_implementation_status(client, recommendations):
    not_addressed = client.get(LIST_URL, {"addressed": "no"}).text
    assert "Forgotten recommendation" in not_addressed
    assert "Hidden plan recommendation" in not_addressed
    assert "Done recommendation" not in not_addressed
    response = client.get(LIST_URL, {"implementation": ["implemented", "in-progress"]})
    assert "Done recommendation" in response.text and "Started recommendation" in response.text
    assert "Forgotten recommendation" not in response.text
    # Each facet counts over the list narrowed by the other filters only.
    assert facet_counts(response, "implementation")["not-addressed"] == 2
    assert facet_counts(response, "addressed") == {"yes": 2}


@pytest.mark.django_db
def test_it_filters_the_api_list_and_keeps_unknown_values_out(client, recommendations):
    body = client.get("/api/v1/recommendations", {"implementation": "implemented"}).json()
    texts = [row["text"] for row in body.get("results", body.get("items", []))]
    assert texts == ["Done recommendation"]
    filters = parse_filters({"addressed": ["YES", "maybe"], "implementation": ["done"]})
    assert (filters.addressed, filters.implementation) == (("yes",), ())


@pytest.mark.django_db
def test_it_shows_a_new_status_on_a_row_rendered_before(client, plan):
    recommendation = RecommendationFactory(text="Remembered row")
    assert "status-implemented" not in client.get(LIST_URL).text
    # Plans are not the list's data (no new data version): the row is rendered again for
    # its new status, not taken from memory.
    ReportFactory(
        measure=MeasureFactory(plan=plan, recommendations=[recommendation]),
        status=ReportStatus.APPROVED,
        status_assessment="implemented",
    )
    assert "status-implemented" in client.get(LIST_URL).text
