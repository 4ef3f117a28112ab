import re

import pytest
from django.urls import reverse

from rightstrack.recommendations.models import TagSource
from rightstrack.taxonomy.models import Scheme

from .factories import ClusterFactory, RecommendationFactory, TagFactory, term

LIST_URL = "/recommendations/"


def numbers_on(response):
    return re.findall(r'id="recommendation-(\d+)-title"', response.content.decode())


@pytest.mark.django_db
def test_it_tells_how_to_import_when_there_is_nothing(client):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert b"rightstrack import upr-info" in response.content
    assert reverse("recommendations:import").encode() not in response.content


def test_it_links_coordinators_to_the_upload_page_when_there_is_nothing(client_for):
    response = client_for("coordinator").get(LIST_URL)
    assert f'href="{reverse("recommendations:import")}"'.encode() in response.content


@pytest.mark.django_db
def test_it_lists_searches_and_highlights(client):
    RecommendationFactory(text="Investigate all allegations of torture.")
    RecommendationFactory(text="Protect journalists.")
    response = client.get(LIST_URL, {"q": "torture"})
    content = response.content.decode()
    assert "1 recommendation" in content
    assert "<mark>torture</mark>" in content
    assert "Protect journalists" not in content
    assert 'value="torture"' in content


@pytest.mark.django_db
def test_it_shows_text_escaped_even_when_highlighted(client):
    recommendation = RecommendationFactory(text='Stop torture; <script>alert("torture")</script>')
    content = client.get(LIST_URL, {"q": "torture"}).content.decode()
    assert "<script>alert" not in content
    assert (
        "Stop <mark>torture</mark>; &lt;script&gt;alert(&quot;<mark>torture</mark>&quot;)"
        "&lt;/script&gt;"
    ) in content
    detail = client.get(recommendation.get_absolute_url()).content.decode()
    assert "<script>alert" not in detail
    assert "&lt;script&gt;alert(&quot;torture&quot;)&lt;/script&gt;" in detail


@pytest.mark.django_db
def test_it_shows_facets_with_counts_and_keeps_the_filters_in_the_url(client):
    ukraine = term(Scheme.STATE, "UKR", "Ukraine")
    RecommendationFactory(text="One.")
    RecommendationFactory(text="Two.", state=ukraine)
    response = client.get(LIST_URL, {"state": "UKR"})
    content = response.content.decode()
    assert numbers_on(response) == [str(ukraine.recommendations_received.get().pk)]
    assert re.search(r'name="state" value="UKR" id="[^"]+" checked>', content)
    assert re.search(r"Belarus <span class=\"facet-count\">\(1\)</span>", content)
    assert re.search(r"Ukraine <span class=\"facet-count\">\(1\)</span>", content)
    assert "/recommendations/export.csv?state=UKR" in content


@pytest.mark.django_db
def test_it_escapes_the_facets_labels(client):
    RecommendationFactory(tags=[term(Scheme.UHRI_THEME, "odd", '<b>"Odd" & rare</b>')])
    content = client.get(LIST_URL).content.decode()
    assert (
        '<li><input type="checkbox" name="theme" value="odd" id="facet-theme-1">'
        '<label for="facet-theme-1">&lt;b&gt;&quot;Odd&quot; &amp; rare&lt;/b&gt; '
        '<span class="facet-count">(1)</span></label></li>'
    ) in content


@pytest.mark.django_db
def test_it_answers_htmx_with_the_results_region_only(client):
    RecommendationFactory(text="Some text.")
    response = client.get(LIST_URL, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="facets-heading"' in content
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        LIST_URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


@pytest.mark.django_db
def test_it_works_without_javascript(client):
    RecommendationFactory(text="Some text.")
    content = client.get(LIST_URL).content.decode()
    assert '<form method="get" action="/recommendations/" id="recommendation-filters"' in content
    assert 'hx-get="/recommendations/"' in content
    assert 'hx-push-url="true"' in content


@pytest.mark.django_db
def test_it_paginates_and_sorts(client):
    for number in range(30):
        RecommendationFactory(number=f"{number:02d}", text=f"Text {number}.")
    first = client.get(LIST_URL, {"sort": "number"})
    second = client.get(LIST_URL, {"sort": "number", "page": "2"})
    assert len(numbers_on(first)) == 25
    assert len(numbers_on(second)) == 5
    assert not set(numbers_on(first)) & set(numbers_on(second))
    assert "sort=number&amp;page=2" in first.content.decode()
    assert client.get(LIST_URL, {"page": "999"}).status_code == 200


@pytest.mark.django_db
def test_it_hides_unpublished_recommendations_from_the_public(client, client_for):
    hidden = RecommendationFactory(text="Secret draft.", is_published=False)
    assert "Secret draft" not in client.get(LIST_URL).content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client_for("civil_society").get(hidden.get_absolute_url()).status_code == 404
    viewer = client_for("viewer")
    assert "Secret draft" in viewer.get(LIST_URL).content.decode()
    assert viewer.get(hidden.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_it_never_shows_machine_suggestions_publicly(client, client_for):
    recommendation = RecommendationFactory(text="Some text.")
    TagFactory(
        recommendation=recommendation,
        term=term(Scheme.UHRI_THEME, "secret-theme", "Suggested theme"),
        machine_suggestion=True,
        confidence=0.61,
    )
    for url in (LIST_URL, recommendation.get_absolute_url()):
        assert "Suggested theme" not in client.get(url).content.decode()
    detail = client_for("viewer").get(recommendation.get_absolute_url()).content.decode()
    assert "Suggested theme" in detail
    assert "confidence 0.61" in detail


@pytest.mark.django_db
def test_it_shows_everything_about_one_recommendation(client_for, users):
    france = term(Scheme.STATE, "FRA", "France")
    recommendation = RecommendationFactory(
        text="Abolish the death penalty.",
        recommending_states=[france],
        wordings=[{"text": "Abolish it.", "states": ["FRA"]}],
        action_category=term(Scheme.ACTION_CATEGORY, "5", "Specific action"),
        position_source="A/HRC/15/16/Add.1",
    )
    TagFactory(
        recommendation=recommendation,
        term=term(Scheme.UHRI_THEME, "death-penalty", "Death penalty"),
        source=TagSource.HUMAN,
        decided_by=users["coordinator"],
    )
    ClusterFactory(name="Death penalty", recommendations=[recommendation])
    content = client_for("viewer").get(recommendation.get_absolute_url()).content.decode()
    for expected in (
        recommendation.document.symbol,
        "France",
        "Abolish it.",
        "Specific action",
        "A/HRC/15/16/Add.1",
        "Added by a person",
        "coordinator",
        'href="/recommendations/clusters/death-penalty/"',
        'id="history-heading"',
    ):
        assert expected in content, expected


@pytest.mark.django_db
def test_it_reads_the_list_in_few_queries(client, thirty_on_torture, django_assert_max_num_queries):
    # 15, plus the read of what the count job prepared of the search (nothing here), and the
    # search noted as asked (counts.note_asked: once in ten minutes per process, in a
    # transaction of its own with its lock wait set and reset; the searches asked long ago
    # forgotten in it).
    with django_assert_max_num_queries(22):
        response = client.get(LIST_URL, {"q": "torture", "theme": "torture"})
    assert len(numbers_on(response)) == 25


@pytest.mark.django_db
def test_it_reads_a_recommendation_in_few_queries(client_for, django_assert_max_num_queries):
    theme = term(Scheme.UHRI_THEME, "torture", "Torture")
    recommendation = RecommendationFactory(tags=[theme])
    viewer = client_for("viewer")
    # Once before, so that the content type of its history is cached, as after any earlier
    # request of the process (run alone, the test counted that look-up too).
    viewer.get(recommendation.get_absolute_url())
    # 8, plus the measures addressing it and the independent assessments of it, plus the
    # menu's counts (unread notifications), plus its sources.
    with django_assert_max_num_queries(12):
        assert viewer.get(recommendation.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("q", ['"', "AND (", "NEAR(", "*", "-", "col:x"])
def test_it_never_fails_on_odd_searches(client, q):
    RecommendationFactory(text="Some text.")
    for sort in ("", "relevance", "state"):
        assert client.get(LIST_URL, {"q": q, "sort": sort}).status_code == 200


def _results_of(response):
    """The results and facets of a list page (without the page's CSRF token)."""
    return response.text.split('id="recommendation-results"')[1].split("</form>")[0]


@pytest.mark.django_db
def test_it_answers_the_list_again_from_memory_until_the_data_change(
    client, django_assert_max_num_queries
):
    theme = term(Scheme.UHRI_THEME, "torture", "Torture")
    first = RecommendationFactory(text="Investigate torture.", tags=[theme])
    RecommendationFactory(text="Protect journalists.")
    before = _results_of(client.get(LIST_URL))
    # The rows and facets as shown are remembered for the data version: the version, the ids
    # of the page, their implementation statuses and the measures' facets.
    with django_assert_max_num_queries(4):
        assert _results_of(client.get(LIST_URL)) == before
    assert "Investigate torture." in before
    type(first).objects.filter(pk=first.pk).update(text="Investigate every allegation.")
    content = client.get(LIST_URL).text
    assert "Investigate every allegation." in content
    assert "Investigate torture." not in content


@pytest.mark.django_db
def test_it_remembers_the_list_in_each_language(client):
    RecommendationFactory(
        text="Abolish the death penalty.",
        tags=[term(Scheme.UHRI_THEME, "torture", "Torture")],
        recommending_states=[term(Scheme.STATE, "FRA", "France")],
    )
    assert "Recommended by:" in client.get(LIST_URL).text
    russian = client.get(LIST_URL, headers={"Accept-Language": "ru"}).text
    assert "Recommended by:" not in russian
    assert "Рекомендующие государства:" in russian
    assert "<legend>Тема</legend>" in russian


@pytest.mark.django_db
def test_it_lists_everything_for_stop_words_alone_and_says_so(client):
    RecommendationFactory(text="Investigate the torture of detainees.")
    RecommendationFactory(text="Protect journalists.")
    content = client.get(LIST_URL, {"q": "the"}).text
    assert len(numbers_on(content_response := client.get(LIST_URL, {"q": "of the"}))) == 2
    assert "search-stop-words-note" in content_response.text
    assert "2 recommendations match" in content
    assert "words as common as these are not searched for" in content
    assert "<mark>" not in content
    # The API and the facets answer the same.
    assert client.get("/api/v1/recommendations", {"q": "the"}).json()["count"] == 2
