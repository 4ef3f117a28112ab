"""The activity list: filters, sort orders, pages, HTMX, and a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from rightstrack.activities.filters import filter_activities
from rightstrack.activities.models import Activity, ActivityType
from rightstrack.activities.selectors import activity_list
from rightstrack.core.tests.html_text import html_to_text
from rightstrack.core.tests.htmx import results_fragment

from .factories import (
    ActivityFactory,
    MeasureFactory,
    OrganizationFactory,
    PresenceFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("activities:list")


@pytest.fixture
def portfolio(terms, presence):
    """Four activities of two presences that differ in every filterable way."""
    other = PresenceFactory(slug="armenia", title="UN Human Rights in Armenia")
    bar = OrganizationFactory(name="Bar association")
    fund = OrganizationFactory(name="Human Rights Fund")
    return {
        "training": ActivityFactory(
            presence=presence,
            title="Training of judges",
            type=ActivityType.TRAINING,
            thematic_pillars=[terms["pillar:non-discrimination"]],
            target_populations=[terms["population:women"]],
            partners=[bar],
            start_date=datetime.date(2019, 11, 1),
            end_date=datetime.date(2020, 2, 1),
            participants_total=40,
            cost_amount=900,
        ),
        "dialogue": ActivityFactory(
            presence=presence,
            title="Dialogue with journalists",
            type=ActivityType.DIALOGUE,
            description="Safety of media workers.",
            thematic_pillars=[terms["pillar:participation"]],
            target_affected_persons=[terms["affected:media"]],
            donors=[fund],
            start_date=datetime.date(2021, 6, 1),
            participants_total=None,
            cost_amount=None,
        ),
        "undated": ActivityFactory(
            presence=presence,
            title="Assessment of drug policy",
            type=ActivityType.ASSESSMENT,
            thematic_pillars=[terms["pillar:accountability"]],
            start_date=None,
            participants_total=5,
            cost_amount=20000,
        ),
        "elsewhere": ActivityFactory(
            presence=other,
            title="Advocacy for a national institution",
            type=ActivityType.ADVOCACY,
            partners=[bar],
            donors=[fund],
            start_date=datetime.date(2020, 5, 5),
            participants_total=12,
            cost_amount=300,
        ),
        "bar": bar,
        "fund": fund,
    }


def _titles(filters):
    return sorted(a.title for a in activity_list(user=None, filters=filters))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"presence": "armenia"}, ["Advocacy for a national institution"]),
        ({"type": "dialogue"}, ["Dialogue with journalists"]),
        ({"pillar": "accountability"}, ["Assessment of drug policy"]),
        ({"population": "women"}, ["Training of judges"]),
        ({"affected": "media"}, ["Dialogue with journalists"]),
        ({"q": "MEDIA workers"}, ["Dialogue with journalists"]),
        ({"q": "judges"}, ["Training of judges"]),
        # Under way in the year: spans count in every year they touch; undated never matches.
        ({"year": 2020}, ["Advocacy for a national institution", "Training of judges"]),
        ({"year": 2019}, ["Training of judges"]),
        ({"year": 2021}, ["Dialogue with journalists"]),
        ({"year": 2018}, []),
        ({"presence": "belarus", "pillar": "participation"}, ["Dialogue with journalists"]),
        ({"pillar": "women"}, []),
        ({"presence": "nowhere"}, []),
    ],
)
def test_it_filters_by_every_filter(portfolio, filters, expected):
    assert _titles(filters) == expected


def test_it_filters_by_partner_and_by_donor(portfolio):
    bar, fund = portfolio["bar"], portfolio["fund"]

    assert _titles({"partner": bar.pk}) == [
        "Advocacy for a national institution",
        "Training of judges",
    ]
    assert _titles({"donor": fund.pk}) == [
        "Advocacy for a national institution",
        "Dialogue with journalists",
    ]
    assert _titles({"partner": fund.pk}) == []
    assert _titles({"partner": "not a number"}) == []


def test_it_filters_publication_state_for_internal_readers(client_for, portfolio):
    ActivityFactory(presence=portfolio["training"].presence, title="Draft", is_published=False)

    coordinator = client_for("coordinator").get(LIST_URL, {"published": "no"})
    anonymous = client_for("anonymous").get(LIST_URL, {"published": "no"})

    assert "1 activity match the filters." in html_to_text(coordinator.content.decode())
    # The public sees published activities only, and has no such filter.
    assert "4 activities" in html_to_text(anonymous.content.decode())
    assert 'name="published"' not in anonymous.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, ["Dialogue", "Advocacy", "Training", "Assessment"]),
        ("start", ["Training", "Advocacy", "Dialogue", "Assessment"]),
        ("title", ["Advocacy", "Assessment", "Dialogue", "Training"]),
        ("-title", ["Training", "Dialogue", "Assessment", "Advocacy"]),
        ("presence", ["Advocacy", "Assessment", "Dialogue", "Training"]),
        ("-participants", ["Training", "Advocacy", "Assessment", "Dialogue"]),
        ("participants", ["Assessment", "Advocacy", "Training", "Dialogue"]),
        ("-cost", ["Assessment", "Training", "Advocacy", "Dialogue"]),
        ("cost", ["Advocacy", "Training", "Assessment", "Dialogue"]),
        ("id; DROP TABLE", ["Dialogue", "Advocacy", "Training", "Assessment"]),
    ],
)
def test_it_sorts_by_whitelisted_orders_only_with_unknowns_last(portfolio, sort, expected):
    activities = activity_list(user=None, filters={"sort": sort} if sort else {})

    assert [activity.title.split()[0] for activity in activities] == expected


def test_it_paginates_and_keeps_the_filters_in_the_page_links(client, presence, terms):
    for number in range(30):
        ActivityFactory(presence=presence, title=f"Session {number:02}", type="training")

    first = client.get(LIST_URL, {"type": "training", "sort": "title"}).content.decode()
    second = client.get(LIST_URL, {"type": "training", "sort": "title", "page": 2}).content.decode()

    assert "Session 00" in first and "Session 25" not in first
    assert "Session 25" in second and "Session 00" not in second
    assert 'href="?type=training&amp;sort=title&amp;page=2"' in first
    assert "Page 2 of 2" in second


def test_it_answers_htmx_with_the_results_only(client, portfolio):
    html = results_fragment(client, LIST_URL, {"type": "training"})

    assert "Training of judges" in html
    assert "Dialogue with journalists" not in html


def test_it_works_without_javascript_as_a_plain_get_form(client, portfolio):
    html = client.get(LIST_URL).content.decode()

    assert '<form method="get" action="/activities/"' in html
    assert '<label for="id_pillar">Thematic pillar</label>' in html
    assert 'name="partner"' in html and "Bar association</option>" in html
    assert 'href="/activities/export.csv?"' in html


def test_it_ignores_invalid_filter_values(client, portfolio):
    response = client.get(LIST_URL, {"year": "soon", "type": "party", "partner": "x"})

    assert response.status_code == 200
    assert "4 activities" in html_to_text(response.content.decode())


def test_filter_activities_is_the_one_definition_shared_by_every_list(portfolio):
    filters = {"pillar": "non-discrimination", "year": 2020}

    direct = filter_activities(Activity.objects.all(), filters)

    assert [a.title for a in direct] == _titles(filters)


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_in_a_fixed_number_of_queries(
    client_for, presence, terms, count, django_assert_max_num_queries
):
    partner = OrganizationFactory()
    measure = MeasureFactory()
    recommendation = RecommendationFactory()
    for _number in range(count):
        ActivityFactory(
            presence=presence,
            partners=[partner],
            donors=[partner],
            thematic_pillars=[terms["pillar:mechanisms"]],
            target_populations=[terms["population:women"]],
            target_affected_persons=[terms["affected:media"]],
            recommendations=[recommendation],
            measures=[measure],
        )
    client = client_for("coordinator")

    # session, user, filter options (presences, terms, organizations), count, page, pillars,
    # the menu's counts of what waits for the user
    with django_assert_max_num_queries(9):
        assert client.get(LIST_URL).status_code == 200
    # session, user, count, page, 7 prefetches
    with django_assert_max_num_queries(11):
        assert client.get("/api/v1/activities/").status_code == 200
    # session, user, rows, 7 prefetches
    with django_assert_max_num_queries(10):
        assert client.get("/activities/export.csv").status_code == 200
