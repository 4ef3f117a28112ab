import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.core.tests.html_text import html_to_text
from rightstrack.plans.tests.factories import MeasureFactory, PlanFactory
from rightstrack.presences.tests.factories import PresenceFactory
from rightstrack.progress.models import ReportStatus, StatusAssessment
from rightstrack.progress.tests.factories import ReportFactory
from rightstrack.recommendations.models import Position
from rightstrack.recommendations.tests.factories import RecommendationFactory, TagFactory, term
from rightstrack.taxonomy.models import Scheme

from .portal_world import SECRET, build_world

pytestmark = pytest.mark.django_db

STATE_URL = "/states/blr/"


@pytest.fixture
def world(db):
    return build_world()


def _main(response):
    """The page's <main>: the header differs between readers (who is signed in), the rest
    must not."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _table_after(html, caption):
    """The rows of the table with this caption, as lists of cell texts."""
    start = html.index(f"<caption>{caption}</caption>")
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    return [
        [html_to_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def _links_of(html, caption):
    start = html.index(f"<caption>{caption}</caption>")
    table = html[start : html.index("</table>", start)]
    return {
        html_to_text(text): href.replace("&amp;", "&")
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', table)
    }


def test_it_lists_the_states_with_published_data_and_their_counts(client, world):
    # A State with only unpublished things is not listed; one with only a presence is.
    secret_state = term(Scheme.STATE, "SEC", "Secretland")
    RecommendationFactory(state=secret_state, is_published=False)
    PlanFactory(state=secret_state, is_published=False)
    PresenceFactory(slug="x", country=secret_state, is_published=False)
    presence_state = term(Scheme.STATE, "UKR", "Ukraine")
    PresenceFactory(slug="ukraine", title="UN Human Rights in Ukraine", country=presence_state)

    response = client.get(reverse("portal:state_list"))

    assert response.status_code == 200
    html = response.content.decode()
    rows = _table_after(html, "2 States")
    assert rows[1:] == [["Belarus", "", "2", "1", "1"], ["Ukraine", "", "0", "0", "1"]]
    assert 'href="/states/blr/"' in html
    assert "Secretland" not in html


def test_it_filters_and_sorts_the_states(client, world):
    RecommendationFactory(state=world.other_state)
    for _ in range(2):
        RecommendationFactory(state=term(Scheme.STATE, "DEU", "Germany"))

    by_name = html_to_text(client.get("/states/?q=germ").content.decode())
    by_count = client.get("/states/?sort=recommendations").content.decode()

    assert "Germany" in by_name and "France" not in by_name and "Belarus" not in by_name
    names = [row[0] for row in _table_after(by_count, "3 States")[1:]]
    assert names == ["Belarus", "Germany", "France"]


def test_it_answers_404_for_an_unknown_state(client, world):
    assert client.get("/states/nowhere/").status_code == 404
    assert client.get("/states/xyz/").status_code == 404


def test_it_redirects_a_state_name_or_an_upper_case_code_to_the_state_address(client, world):
    for address in ("/states/belarus/", "/states/BLR/"):
        response = client.get(address)
        assert response.status_code == 301
        assert response["Location"] == STATE_URL


def test_it_shows_the_state_figures(client, world):
    text = html_to_text(_main(client.get(STATE_URL)))

    assert "Belarus" in text
    figures = text[text.index("In figures") :]
    assert figures.startswith(
        "In figures Recommendations 2 Action plans 1 Measures 1 Approved progress reports 1 "
        "Field presences 1"
    )


def test_it_charts_recommendations_by_mechanism_position_and_theme_with_data_tables(client, world):
    html = _main(client.get(STATE_URL))

    # Mechanisms in the vocabulary's order.
    assert _table_after(html, "Data: Recommendations by mechanism")[1:] == [
        ["Human Rights Committee", "1"],
        ["Universal Periodic Review", "1"],
    ]
    assert _table_after(html, "Data: Recommendations by position")[1:] == [
        ["Supported", "1"],
        ["Noted", "1"],
    ]
    assert _table_after(html, "Data: Recommendations by theme")[1:] == [
        ["Prohibition of torture", "1"],
    ]
    # Each chart is an SVG image named by its title, with the same figures as its table.
    assert (
        'role="img" aria-labelledby="chart-mechanism-wide-title chart-mechanism-wide-desc"' in html
    )
    assert '<desc id="chart-position-wide-desc">Supported: 1; Noted: 1</desc>' in html


def test_it_links_each_chart_row_to_the_filtered_recommendation_list(client, world):
    html = _main(client.get(STATE_URL))

    links = {
        **_links_of(html, "Data: Recommendations by mechanism"),
        **_links_of(html, "Data: Recommendations by position"),
        **_links_of(html, "Data: Recommendations by theme"),
        **_links_of(html, "Data: Implementation status"),
    }
    queries = {label: parse_qs(urlparse(href).query) for label, href in links.items()}
    assert all(urlparse(href).path == "/recommendations/" for href in links.values())
    assert queries["Human Rights Committee"] == {"state": ["BLR"], "mechanism": ["CCPR"]}
    assert queries["Noted"] == {"state": ["BLR"], "position": ["noted"]}
    assert queries["Prohibition of torture"] == {"state": ["BLR"], "theme": ["D25"]}
    assert queries["Implemented"] == {"state": ["BLR"], "implementation": ["implemented"]}


def test_it_never_counts_machine_suggestions_as_themes(client, world):
    html = _main(client.get(STATE_URL))

    assert "Members of minorities" not in html


def test_it_shows_implementation_status_from_published_plans_only(client, world):
    # The published measure is implemented and answers the supported recommendation; the noted
    # one is answered only by a measure of an unpublished plan, so it is not addressed.
    html = _main(client.get(STATE_URL))

    assert _table_after(html, "Data: Implementation status")[1:] == [
        ["Not addressed by a measure", "1"],
        ["Implemented", "1"],
    ]


def test_it_shows_published_plans_with_their_measures_by_status(client, world):
    html = _main(client.get(STATE_URL))

    rows = _table_after(html, "Published action plans of Belarus and their measures by status")
    assert rows[0] == [
        "Plan",
        "Period",
        "Measures",
        "No approved report yet",
        "Not started",
        "In progress",
        "Partially implemented",
        "Implemented",
        "Not implemented",
    ]
    assert rows[1:] == [
        ["Interagency Human Rights Plan", "2021–2025", "1", "0", "0", "0", "0", "1", "0"]
    ]
    assert _table_after(html, "Data: Measures by status")[5] == ["Implemented", "1"]


def test_it_shows_the_latest_approved_progress_reports(client, world):
    html = _main(client.get(STATE_URL))

    rows = _table_after(html, "The latest approved progress report")
    assert rows[1][0] == "1 Train judges"
    assert rows[1][1:3] == ["Interagency Human Rights Plan", "Ministry of Justice"]
    assert rows[1][4] == "Implemented"
    assert f'href="{world.report.get_absolute_url()}"' in html


def test_it_shows_only_the_five_latest_reports_but_counts_them_all(client, world):
    for month in range(1, 8):
        ReportFactory(
            measure=world.measure,
            status=ReportStatus.APPROVED,
            status_assessment=StatusAssessment.IN_PROGRESS,
            period_start=f"2025-{month:02d}-01",
            period_end=f"2025-{month:02d}-28",
        )

    html = _main(client.get(STATE_URL))

    rows = _table_after(html, "The 5 latest approved progress reports")
    assert len(rows) == 6
    assert rows[1][3] == "1 Jul 2025 – 28 Jul 2025"
    assert "Approved progress reports 8" in html_to_text(html)


def test_it_shows_the_presence_profile_summary(client, world):
    html = _main(client.get(STATE_URL))
    text = html_to_text(html)

    assert "UN Human Rights in Belarus" in text
    assert "Type of engagement Country/stand-alone office" in text
    assert "Thematic pillars Accountability" in text
    assert "works with the UN Country Team" in text
    assert 'href="/presences/belarus/"' in html


def test_it_shows_nothing_unpublished(client, world):
    html = _main(client.get(STATE_URL)).lower()

    assert SECRET not in html


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_shows_every_reader_the_same_published_page(client_for, world, role):
    anonymous = _main(client_for("anonymous").get(STATE_URL))

    page = _main(client_for(role).get(STATE_URL))

    assert page == anonymous
    assert SECRET not in page.lower()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lists_the_same_states_for_every_reader(client_for, world, role):
    term(Scheme.STATE, "SEC", "Secretland")
    RecommendationFactory(state=term(Scheme.STATE, "SEC"), is_published=False)

    page = _main(client_for(role).get("/states/"))

    assert page == _main(client_for("anonymous").get("/states/"))
    assert "Secretland" not in page


def test_it_shows_an_empty_state_page_for_a_state_with_nothing_published(client, world):
    response = client.get("/states/fra/")

    assert response.status_code == 200
    text = html_to_text(_main(response))
    assert "No recommendation made to France has been published yet." in text
    assert "No action plan of France has been published yet." in text


def test_it_keeps_the_state_page_to_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    themes = [term(Scheme.UHRI_THEME, f"T{n}", f"Theme {n}") for n in range(20)]
    mechanisms = [term(Scheme.MECHANISM, code) for code in ("CAT", "CRC", "CEDAW")]
    positions = [Position.SUPPORTED, Position.NOTED, Position.SUPPORTED_IN_PART, ""]
    recommendations = []
    for n in range(60):
        recommendation = RecommendationFactory(
            state=world.state, mechanism=mechanisms[n % 3], position=positions[n % 4]
        )
        TagFactory(recommendation=recommendation, term=themes[n % 20])
        recommendations.append(recommendation)
    for n in range(4):
        plan = PlanFactory(state=world.state, name=f"Plan {n}")
        for m in range(3):
            measure = MeasureFactory(plan=plan, recommendations=recommendations[m::7])
            ReportFactory(measure=measure, status=ReportStatus.APPROVED)
        PresenceFactory(slug=f"office-{n}", country=world.state, thematic_pillars=[world.pillar])

    # The first reader after a change also keeps the State's counts (recommendations/counts.py:
    # its facets and its length, six statements each)...
    with django_assert_max_num_queries(30):
        client.get(STATE_URL)
    # ...which the readers after it read.
    with django_assert_max_num_queries(18):
        response = client.get(STATE_URL)

    assert response.status_code == 200
    text = html_to_text(_main(response))
    assert "In figures Recommendations 62 Action plans 5 Measures 13" in text
    assert "6 more values are not shown" in text


def test_it_keeps_the_state_list_to_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(30):
        RecommendationFactory(state=term(Scheme.STATE, f"S{n:02d}", f"State {n:02d}"))

    with django_assert_max_num_queries(4):
        response = client.get("/states/")

    assert response.status_code == 200
    assert "31 States" in response.content.decode()
