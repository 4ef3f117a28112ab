import datetime
import json
import re

import pytest
from django.utils import timezone

from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.core.tests.html_text import html_to_text
from rightstrack.plans.models import ActionPlan
from rightstrack.reports import opendata

from .portal_world import SECRET, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def _main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _dataset_rows(html):
    start = html.index("<caption>Published datasets")
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]


def test_it_lists_every_dataset_with_its_published_rows_and_downloads(client, world):
    html = _main(client.get("/open-data/"))

    rows = _dataset_rows(html)
    assert len(rows) == len(opendata.DATASETS)
    counts = {
        dataset.slug: int(html_to_text(row[1]))
        for dataset, row in zip(opendata.DATASETS, rows, strict=True)
    }
    assert counts["recommendations"] == 2
    assert counts["recommendation-tags"] == 1
    assert counts["action-plans"] == 1
    assert counts["measures"] == 1
    assert counts["progress-reports"] == 1
    assert counts["activities"] == 1
    assert counts["presences"] == 1
    for dataset in opendata.DATASETS:
        for fmt in ("csv", "json"):
            assert f'href="/open-data/{dataset.slug}.{fmt}"' in html


def test_it_counts_what_the_downloads_contain(client, world):
    html = _main(client.get("/open-data/"))

    for dataset, row in zip(opendata.DATASETS, _dataset_rows(html), strict=True):
        response = client.get(f"/open-data/{dataset.slug}.json")
        rows = json.loads(b"".join(response.streaming_content))
        assert int(html_to_text(row[1])) == len(rows), dataset.slug


def test_it_dates_each_dataset_by_its_latest_published_change(client, world):
    ActionPlan.objects.filter(pk=world.plan.pk).update(
        updated_at=timezone.make_aware(datetime.datetime(2021, 5, 4, 12))
    )
    # An unpublished plan's later change does not date the published ones.
    ActionPlan.objects.filter(pk=world.secret_plan.pk).update(
        updated_at=timezone.make_aware(datetime.datetime(2023, 1, 2, 12))
    )

    html = _main(client.get("/open-data/"))

    plans_row = _dataset_rows(html)[list(opendata.DATASETS_BY_SLUG).index("action-plans")]
    assert '<time datetime="2021-05-04T12:00:00+00:00">' in plans_row[2]
    assert "Last updated:" in html_to_text(html)


def test_it_describes_every_column_of_every_dataset(client, world):
    html = _main(client.get("/open-data/"))

    for dataset in opendata.DATASETS:
        start = html.index(f'<h3 id="dictionary-{dataset.slug}">')
        end = html.index("</table>", start)
        names = re.findall(r'<th scope="row"><code>([^<]+)</code></th>', html[start:end])
        assert names == dataset.column_names
    text = html_to_text(html)
    assert "position code The State's position; empty when not stated." in text
    assert "supported (Supported)" in text
    assert "label_ru text Label in Russian. yes" in text


def test_it_states_the_licence_the_sources_and_how_to_use_the_api(client, world):
    text = html_to_text(_main(client.get("/open-data/")))

    assert "Creative Commons Attribution 4.0 International licence (CC BY 4.0)" in text
    assert "United Nations documents" in text
    assert "cite UPR Info as their source" in text
    assert "http://testserver/api/v1/" in text
    assert "curl 'http://testserver/api/v1/recommendations?state=BLR&limit=10'" in text
    assert "Authorization: Bearer TOKEN" in text


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_shows_every_reader_the_same_page(client_for, world, role):
    page = _main(client_for(role).get("/open-data/"))

    assert page == _main(client_for("anonymous").get("/open-data/"))
    assert SECRET not in page.lower()


def test_it_keeps_the_page_to_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    # Two per dataset at most: its count and latest change, and the audit trail for those
    # without dates of their own.
    with django_assert_max_num_queries(2 * len(opendata.DATASETS) + 2):
        response = client.get("/open-data/")

    assert response.status_code == 200


def test_it_describes_the_downloads_as_a_data_package(client, world):
    package = client.get("/open-data/datapackage.json").json()

    resources = {resource["name"]: resource for resource in package["resources"]}
    assert list(resources) == [dataset.slug for dataset in opendata.DATASETS]
    recommendations = resources["recommendations"]
    assert recommendations["path"] == "http://testserver/open-data/recommendations.csv"
    fields = recommendations["schema"]["fields"]
    assert [field["name"] for field in fields] == opendata.dataset_get(
        "recommendations"
    ).column_names
    position = next(field for field in fields if field["name"] == "position")
    assert position["constraints"]["enum"] == ["supported", "supported-in-part", "noted", "pending"]
