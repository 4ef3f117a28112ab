"""The directory: filters, sorting, pagination, HTMX, visibility, and its query count, on the
page and in the API (both use the same filter function)."""

import re

import pytest
from django.urls import reverse

from rightstrack.core.tests.htmx import results_fragment
from rightstrack.presences.models import EngagementType, Region
from rightstrack.presences.selectors import presence_list
from rightstrack.presences.services import presence_update

from .factories import FeatureStoryFactory, PresenceFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("presences:list")
API_LIST_URL = "/api/v1/presences/"


@pytest.fixture
def presences(vocabulary):
    v = vocabulary
    return {
        "belarus": PresenceFactory(
            slug="belarus",
            title="UN Human Rights in Belarus",
            country=v["BLR"],
            engagement_type=EngagementType.HUMAN_RIGHTS_ADVISER,
            region=Region.EUROPE_CENTRAL_ASIA,
            deployment_start_year=2018,
            deployment_end_year=2021,
            budget_amount=823000,
            thematic_pillars=[v["mechanisms"], v["accountability"]],
            spotlight_populations=[v["persons-with-disabilities"]],
        ),
        "ukraine": PresenceFactory(
            slug="ukraine",
            title="Human Rights Monitoring Mission in Ukraine",
            country=v["UKR"],
            engagement_type=EngagementType.COUNTRY_OFFICE,
            region=Region.EUROPE_CENTRAL_ASIA,
            deployment_start_year=2014,
            deployment_end_year=None,
            budget_amount=5_000_000,
            thematic_pillars=[v["accountability"]],
            spotlight_populations=[v["women"]],
        ),
        "armenia": PresenceFactory(
            slug="armenia",
            title="A Human Rights Adviser in Armenia",
            country=v["ARM"],
            engagement_type=EngagementType.HUMAN_RIGHTS_ADVISER,
            region=Region.ASIA_PACIFIC,
            deployment_start_year=2010,
            deployment_end_year=2016,
            budget_amount=None,
            thematic_pillars=[v["participation"]],
            spotlight_populations=[v["youth"]],
        ),
        "draft": PresenceFactory(
            slug="draft",
            title="Draft presence",
            engagement_type=EngagementType.OTHER,
            deployment_start_year=2019,
            is_published=False,
            thematic_pillars=[v["mechanisms"]],
        ),
    }


def _slugs(filters, user=None):
    from django.contrib.auth.models import AnonymousUser

    return [p.slug for p in presence_list(user=user or AnonymousUser(), filters=filters)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["armenia", "belarus", "ukraine"]),
        ({"engagement_type": "human-rights-adviser"}, ["armenia", "belarus"]),
        ({"engagement_type": "regional-office"}, []),
        ({"region": "asia-pacific"}, ["armenia"]),
        ({"pillar": "accountability"}, ["belarus", "ukraine"]),
        ({"pillar": "mechanisms"}, ["belarus"]),
        ({"population": "women"}, ["ukraine"]),
        ({"active_in": 2015}, ["armenia", "ukraine"]),
        ({"active_in": 2018}, ["belarus", "ukraine"]),
        ({"active_in": 2021}, ["belarus", "ukraine"]),
        ({"active_in": 2030}, ["ukraine"]),
        ({"active_in": 2009}, []),
        ({"q": "belarus"}, ["belarus"]),
        ({"q": "Ukraine"}, ["ukraine"]),
        ({"q": "ARM"}, ["armenia"]),
        ({"q": "adviser"}, ["armenia"]),
        (
            {"pillar": "accountability", "active_in": 2020, "region": "europe-central-asia"},
            ["belarus", "ukraine"],
        ),
    ],
)
def test_it_filters_the_directory(presences, filters, expected):
    assert sorted(_slugs(filters)) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["armenia", "ukraine", "belarus"]),
        ("-title", ["belarus", "ukraine", "armenia"]),
        ("country", ["armenia", "belarus", "ukraine"]),
        ("-country", ["ukraine", "belarus", "armenia"]),
        ("start_year", ["armenia", "ukraine", "belarus"]),
        ("-start_year", ["belarus", "ukraine", "armenia"]),
        # Presences without a budget come last either way.
        ("budget", ["belarus", "ukraine", "armenia"]),
        ("-budget", ["ukraine", "belarus", "armenia"]),
        ("no-such-order", ["armenia", "ukraine", "belarus"]),
    ],
)
def test_it_sorts_the_directory(presences, sort, expected):
    assert _slugs({"sort": sort}) == expected


def test_it_shows_drafts_to_internal_readers_only(presences, users):
    for role in ("administrator", "coordinator", "viewer"):
        assert "draft" in _slugs({}, users[role])
    for role in ("focal_point", "civil_society", "outsider"):
        assert "draft" not in _slugs({}, users[role])


def _row_titles(html):
    return re.findall(r'<th scope="row"><a href="/presences/([\w-]+)/">', html)


def test_it_applies_the_filters_of_the_page(client, presences):
    response = client.get(
        LIST_URL, {"engagement_type": "human-rights-adviser", "pillar": "accountability"}
    )

    assert response.status_code == 200
    assert _row_titles(response.content.decode()) == ["belarus"]
    assert "1 field presence" in response.content.decode()


def test_it_ignores_an_invalid_filter_value_and_says_so(client, presences):
    response = client.get(LIST_URL, {"active_in": "soon", "region": "asia-pacific"})

    html = response.content.decode()
    assert response.status_code == 200
    assert _row_titles(html) == ["armenia"]
    assert "Enter a whole number." in html


def test_it_labels_every_filter_and_counts_each_option(client, presences):
    html = client.get(LIST_URL).content.decode()

    for name in ("q", "engagement_type", "region", "pillar", "population", "active_in"):
        assert f'<label for="id_{name}">' in html
    assert "Human Rights Adviser (2)" in html
    assert "Accountability (2)" in html


def test_it_links_sort_orders_keeping_the_filters(client, presences):
    html = client.get(
        LIST_URL, {"region": "europe-central-asia", "sort": "budget"}
    ).content.decode()

    assert _row_titles(html) == ["belarus", "ukraine"]
    assert 'aria-sort="ascending"' in html
    assert "?region=europe-central-asia&amp;sort=-budget" in html
    assert "?region=europe-central-asia&amp;sort=title" in html


def test_it_returns_only_the_results_to_htmx(client, presences):
    html = results_fragment(client, LIST_URL, {"region": "asia-pacific"})

    assert 'id="presence-filters"' not in html
    assert _row_titles(html) == ["armenia"]


def test_it_paginates_the_page_and_the_api(client, vocabulary):
    for number in range(30):
        PresenceFactory(title=f"Presence {number:02d}")

    first = client.get(LIST_URL).content.decode()
    second = client.get(LIST_URL, {"page": 2}).content.decode()
    api = client.get(API_LIST_URL, {"page": 2, "page_size": 10}).json()

    assert len(_row_titles(first)) == 25
    assert len(_row_titles(second)) == 5
    assert "Page 1 of 2" in first
    assert "?page=2" in first
    assert api["count"] == 30
    assert [item["title"] for item in api["items"]] == [
        f"Presence {number:02d}" for number in range(10, 20)
    ]


def test_it_filters_and_sorts_the_api_like_the_page(client, presences):
    response = client.get(API_LIST_URL, {"pillar": "accountability", "sort": "-budget"})

    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["items"]] == ["ukraine", "belarus"]
    belarus = response.json()["items"][1]
    assert belarus["country"] == {"code": "BLR", "label": "Belarus"}
    assert belarus["engagement_type"] == "human-rights-adviser"
    # Terms come in their vocabulary's order.
    assert belarus["thematic_pillars"] == [
        {"code": "mechanisms", "label": "Mechanisms"},
        {"code": "accountability", "label": "Accountability"},
    ]


@pytest.mark.parametrize("count", [3, 40])
def test_it_lists_in_a_fixed_number_of_queries(
    client_for, vocabulary, count, django_assert_max_num_queries
):
    v = vocabulary
    for _number in range(count):
        PresenceFactory(
            country=v["BLR"],
            thematic_pillars=[v["mechanisms"], v["participation"]],
            spotlight_populations=[v["women"]],
        )
    client = client_for("coordinator")

    # session, user, four facets, terms for the filters, count, page, two prefetches
    # The page's and one for the menu's counts of what waits for the user.
    with django_assert_max_num_queries(12):
        assert client.get(LIST_URL).status_code == 200
    # session, user, count, page, two prefetches
    with django_assert_max_num_queries(6):
        assert client.get(API_LIST_URL).status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_it_shows_a_profile_in_a_fixed_number_of_queries(
    client_for, users, vocabulary, count, django_assert_max_num_queries
):
    v = vocabulary
    presence = PresenceFactory(
        country=v["BLR"],
        thematic_pillars=[v["mechanisms"], v["participation"]],
        shifts=[v["inequalities"]],
        spotlight_populations=[v["women"]],
    )
    FeatureStoryFactory.create_batch(count, presence=presence)
    for number in range(count):
        presence_update(
            actor=users["coordinator"], presence=presence, data={"staff_count": number + 1}
        )
    client = client_for("coordinator")

    # session, user, presence, three term prefetches, stories, history (content type, entries),
    # the activities portfolio
    # The page's and one for the menu's counts of what waits for the user.
    with django_assert_max_num_queries(10):
        assert client.get(presence.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(f"/api/v1/presences/{presence.slug}").status_code == 200
