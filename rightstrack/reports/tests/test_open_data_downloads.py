import csv
import io
import json
import re

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.recommendations.tests.factories import RecommendationFactory
from rightstrack.reports import opendata

from .portal_world import SECRET, build_world

pytestmark = pytest.mark.django_db

SLUGS = [dataset.slug for dataset in opendata.DATASETS]


@pytest.fixture
def world(db):
    return build_world()


def _body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def _csv_rows(client, slug):
    response = client.get(f"/open-data/{slug}.csv")
    assert response.status_code == 200
    body = _body(response)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))


def _json_rows(client, slug):
    response = client.get(f"/open-data/{slug}.json")
    assert response.status_code == 200
    return json.loads(_body(response))


@pytest.mark.parametrize("slug", SLUGS)
def test_it_writes_csv_with_exactly_the_dictionary_columns(client, world, slug):
    response = client.get(f"/open-data/{slug}.csv")
    body = _body(response)
    dataset = opendata.dataset_get(slug)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not body.startswith(b"\xef\xbb\xbf")
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    header = next(reader)
    rows = list(reader)
    assert header == dataset.column_names
    assert rows, f"{slug}: the world has published rows of every dataset"
    assert all(len(row) == len(header) for row in rows)
    # RFC 4180: every record ends with CRLF.
    assert body.endswith(b"\r\n")


@pytest.mark.parametrize("slug", SLUGS)
def test_it_writes_json_with_exactly_the_dictionary_columns(client, world, slug):
    rows = _json_rows(client, slug)

    assert isinstance(rows, list) and rows
    assert all(list(row) == opendata.dataset_get(slug).column_names for row in rows)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_it_never_lets_anything_unpublished_into_a_download(client, world, slug, fmt):
    response = client.get(f"/open-data/{slug}.{fmt}")

    assert SECRET not in _body(response).decode("utf-8").lower()


def test_it_names_the_file_after_the_dataset_and_the_day(client, world):
    response = client.get("/open-data/recommendations.csv")

    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="rightstrack-recommendations-{today}.csv"'
    )


def test_it_answers_404_for_an_unknown_dataset_or_format(client, world):
    assert client.get("/open-data/users.csv").status_code == 404
    assert client.get("/open-data/recommendations.xlsx").status_code == 404
    assert client.get("/open-data/recommendations.").status_code == 404


def test_it_exports_published_recommendations_with_their_accepted_themes(client, world):
    rows = {int(row["id"]): row for row in _csv_rows(client, "recommendations")}

    assert set(rows) == {world.recommendation.pk, world.noted.pk}
    row = rows[world.recommendation.pk]
    assert row["state"] == "BLR"
    assert row["mechanism"] == "UPR"
    assert row["document"] == "A/HRC/15/16"
    assert row["position"] == "supported"
    assert row["themes"] == "D25"
    # Quotes, commas and line breaks survive the round trip.
    assert row["text"] == world.recommendation.text
    assert row["url"] == f"http://testserver/recommendations/{world.recommendation.pk}/"


def test_it_exports_only_accepted_tags(client, world):
    tags = _json_rows(client, "recommendation-tags")

    assert [(tag["recommendation_id"], tag["term"]) for tag in tags] == [
        (world.recommendation.pk, "D25")
    ]
    assert tags[0]["vocabulary"] == "uhri-theme"
    assert tags[0]["source"] == "imported"


def test_it_exports_measures_of_published_plans_with_published_links_only(client, world):
    measures = _json_rows(client, "measures")

    assert [measure["id"] for measure in measures] == [world.measure.pk]
    measure = measures[0]
    assert measure["plan"] == "ihrp"
    assert measure["recommendation_ids"] == [world.recommendation.pk]
    assert measure["responsible_agencies"] == ["moj"]
    assert measure["budget_amount"] == "1500.50"
    assert measure["status"] == "implemented"
    assert measure["is_example"] is False


def test_it_exports_only_approved_reports_of_published_plans(client, world):
    reports = _json_rows(client, "progress-reports")

    assert [report["id"] for report in reports] == [world.report.pk]
    assert reports[0]["status_assessment"] == "implemented"
    assert reports[0]["period_start"] == "2024-01-01"
    assert reports[0]["agency"] == "moj"


def test_it_exports_published_activities_with_published_links_only(client, world):
    activities = _json_rows(client, "activities")

    assert [activity["title"] for activity in activities] == ["Training of lawyers"]
    activity = activities[0]
    assert activity["presence"] == "belarus"
    assert activity["recommendation_ids"] == [world.recommendation.pk]
    assert activity["measure_ids"] == [world.measure.pk]
    assert activity["partner_ids"] == [world.partner.pk]
    # Unknown stays unknown.
    assert activity["participants_total"] is None
    assert _csv_rows(client, "activities")[0]["participants_total"] == ""


def test_it_exports_only_what_published_records_refer_to(client, world):
    organizations = [row["name"] for row in _json_rows(client, "organizations")]
    agencies = [row["code"] for row in _json_rows(client, "agencies")]
    documents = [row["symbol"] for row in _json_rows(client, "documents")]
    presences = [row["slug"] for row in _json_rows(client, "presences")]
    indicators = [row["name"] for row in _json_rows(client, "indicators")]
    assessments = [row["document_symbol"] for row in _json_rows(client, "mechanism-assessments")]
    independent = [row["organisation"] for row in _json_rows(client, "independent-assessments")]

    assert organizations == ["Bar association of Minsk"]
    assert agencies == ["moj"]
    assert documents == ["A/HRC/15/16"]
    assert presences == ["belarus"]
    assert indicators == ["Judges trained"]
    assert assessments == ["CCPR/C/BLR/FU/1"]
    assert independent == ["Helsinki Committee"]


def test_it_writes_booleans_lists_and_unknowns_plainly(client, world):
    presence = _csv_rows(client, "presences")[0]
    terms = {row["code"]: row for row in _csv_rows(client, "terms")}

    assert presence["thematic_pillars"] == "accountability"
    assert presence["staff_count"] == ""
    assert terms["BLR"]["is_active"] == "true"
    assert terms["BLR"]["vocabulary"] == "state"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_gives_every_reader_the_same_published_data(client_for, world, role):
    for slug in ("recommendations", "measures", "progress-reports", "activities"):
        anonymous = _body(client_for("anonymous").get(f"/open-data/{slug}.json"))
        assert _body(client_for(role).get(f"/open-data/{slug}.json")) == anonymous


def test_it_reads_in_chunks_without_losing_or_repeating_rows(
    client, world, monkeypatch, django_assert_max_num_queries
):
    for _ in range(23):
        RecommendationFactory(state=world.state)
    monkeypatch.setattr(opendata.files, "CHUNK_SIZE", 5)

    response = client.get("/open-data/recommendations.json")
    # The queries run while the body streams: 1 for the rows, then per chunk one for the
    # recommending States and one for all the tags (split by vocabulary in memory).
    with django_assert_max_num_queries(1 + 2 * 6):
        rows = json.loads(_body(response))

    ids = [row["id"] for row in rows]
    assert len(ids) == 25
    assert ids == sorted(set(ids))


def test_it_streams_json_as_one_array(client, world):
    body = _body(client.get("/open-data/recommendations.json")).decode()

    assert body.startswith("[\n{")
    assert body.rstrip().endswith("}\n]")
    assert re.search(r'"text": "Ratify the Convention, \\"promptly\\"', body)
