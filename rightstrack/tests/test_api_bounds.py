"""Numbers the database cannot hold answer 422 with a message on every endpoint, never 500."""

import json

import pytest

from rightstrack.taxonomy.models import Scheme
from rightstrack.taxonomy.tests.factories import TermFactory

pytestmark = pytest.mark.django_db

TOO_BIG = "1000000000000000000"
FAR_TOO_BIG = "10000000000000000000"
PAGE_NUMBER_LISTS = (
    "/api/v1/plans/",
    "/api/v1/measures/",
    "/api/v1/presences/",
    "/api/v1/activities/",
    "/api/v1/organizations/",
    "/api/v1/progress-reports/",
    "/api/v1/mechanism-assessments/",
    "/api/v1/vocabularies/state",
    "/api/v1/audit/",
    "/api/v1/intelligence/suggestions",
)
LIMIT_OFFSET_LISTS = ("/api/v1/recommendations", "/api/v1/recommendations/clusters")


def _refused(response, parameter):
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == parameter
    assert error["msg"].startswith("Input should be")


@pytest.mark.parametrize("url", PAGE_NUMBER_LISTS)
def test_it_refuses_a_page_beyond_any_list(api_client_for, url):
    client = api_client_for("administrator")
    _refused(client.get(url, {"page": TOO_BIG}), "page")
    _refused(client.get(url, {"page_size": FAR_TOO_BIG}), "page_size")


@pytest.mark.parametrize("url", LIMIT_OFFSET_LISTS)
def test_it_refuses_an_offset_or_limit_beyond_any_list(api_client_for, url):
    client = api_client_for("administrator")
    _refused(client.get(url, {"offset": FAR_TOO_BIG}), "offset")
    _refused(client.get(url, {"limit": FAR_TOO_BIG}), "limit")


@pytest.mark.parametrize(
    ("url", "payload", "parameter"),
    [
        ("/api/v1/measures/1/recommendations", {"add": [99999999999999999999]}, 0),
        ("/api/v1/measures/1/recommendations", {"remove": [0]}, 0),
        (
            "/api/v1/activities/",
            {"presence": "x", "type": "training", "title": "t", "partners": [10**20]},
            0,
        ),
        ("/api/v1/recommendations/clusters", {"name": "x", "recommendations": [10**20]}, 0),
        (
            "/api/v1/progress-reports/",
            {
                "measure": 1,
                "period_start": "2024-01-01",
                "period_end": "2024-06-30",
                "status_assessment": "on-track",
                "indicator_values": {str(10**20): "5"},
            },
            "[key]",
        ),
    ],
)
def test_it_refuses_ids_beyond_a_big_integer(api_client_for, url, payload, parameter):
    response = api_client_for("coordinator").post(
        url, json.dumps(payload), content_type="application/json"
    )
    _refused(response, parameter)


def test_it_refuses_a_report_filter_on_a_measure_id_beyond_a_big_integer(api_client_for):
    response = api_client_for("viewer").get("/api/v1/progress-reports/", {"measure": 10**20})
    _refused(response, "measure")


def test_it_still_pages_within_the_bounds(client):
    for position in range(5):
        TermFactory(scheme=Scheme.STATE, code=f"S{position}", position=position)

    second = client.get("/api/v1/vocabularies/state", {"page": 2, "page_size": 2}).json()
    beyond = client.get("/api/v1/vocabularies/state", {"page": 10_000_000}).json()

    assert [item["code"] for item in second["items"]] == ["S2", "S3"]
    assert second["count"] == 5
    assert beyond == {"items": [], "count": 5}
