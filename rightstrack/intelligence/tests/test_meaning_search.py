"""Search by meaning on the recommendation list (``mode=meaning``): the page, the facets, the
API and the export, and the fall-back to words while no semantic index has been built."""

import csv
import io
import json
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse

from rightstrack.intelligence import indexes, semantic
from rightstrack.recommendations.filters import RecommendationFilters, parse_filters
from rightstrack.recommendations.models import Recommendation
from rightstrack.recommendations.selectors import recommendation_search
from rightstrack.recommendations.tests.factories import RecommendationFactory, term
from rightstrack.taxonomy.models import Scheme

pytestmark = pytest.mark.django_db

LIST_URL = reverse("recommendations:list")
API_URL = "/api/v1/recommendations"
QUERY = "torture in police custody"
# Four topics whose phrases come three at a time, so that a four-dimension semantic index
# learns that "cruel ill-treatment" is about what "torture in police custody" is about.
TOPICS = {
    "torture": ["torture", "ill-treatment", "police custody", "cruel"],
    "death": ["death penalty", "executions", "capital punishment", "moratorium"],
    "women": ["women", "gender equality", "domestic violence", "girls"],
    "education": ["education", "schools", "teachers", "literacy"],
}
VERBS = ["Ensure", "Strengthen", "Promote", "Adopt", "Consider"]
# Says what the query says without any of its words.
PARAPHRASE = "Punish cruel ill-treatment"


def _text(rng, topic):
    first, second, third = rng.sample(TOPICS[topic], 3)
    return f"{rng.choice(VERBS)} measures against {first}, {second} and {third}"


@pytest.fixture
def corpus():
    """Chile: recommendations on torture (they teach the index what torture goes with).
    Belarus: the paraphrase, recommendations on the other topics (half of them from the CRC),
    and an unpublished recommendation on torture."""
    rng = random.Random(3)
    chile = term(Scheme.STATE, "CHL", "Chile")
    crc = term(Scheme.MECHANISM, "CRC", "Committee on the Rights of the Child")
    theme = term(Scheme.UHRI_THEME, "torture", "Torture")
    torture = [RecommendationFactory(text=_text(rng, "torture"), state=chile) for _ in range(12)]
    others = []
    for number in range(36):
        topic = ("death", "women", "education")[number % 3]
        extra = {"mechanism": crc} if number % 2 else {}
        others.append(RecommendationFactory(text=_text(rng, topic), **extra))
    paraphrase = RecommendationFactory(text=PARAPHRASE, tags=[theme])
    hidden = RecommendationFactory(text="Prevent torture in police custody", is_published=False)
    return {"paraphrase": paraphrase, "hidden": hidden, "others": others, "torture": torture}


def build_index():
    items = list(Recommendation.objects.order_by("pk").values_list("pk", "text"))
    index = semantic.SemanticIndex.build(items, use_embeddings=False, dimensions=len(TOPICS))
    indexes.save_index(index, semantic.index_file())
    return index


def result_ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_it_ranks_a_paraphrase_first_by_meaning(client, corpus):
    build_index()
    by_words = client.get(API_URL, {"q": QUERY, "state": "BLR"}).json()
    assert by_words["count"] == 0 and by_words["mode"] == "words"
    response = client.get(API_URL, {"q": QUERY, "state": "BLR", "mode": "meaning"})
    assert response.status_code == 200
    found = response.json()
    assert found["mode"] == "meaning" and found["mode_note"] == ""
    first, second = found["results"][:2]
    assert first["id"] == corpus["paraphrase"].pk
    assert first["matches_words"] is False
    assert first["meaning_score"] > second["meaning_score"] + 0.3
    assert corpus["hidden"].pk not in result_ids(response)
    assert {row["state"]["code"] for row in found["results"]} == {"BLR"}


def test_it_ranks_by_meaning_and_words_on_the_page(client, client_for, corpus):
    build_index()
    page = client.get(LIST_URL, {"q": QUERY, "state": "BLR", "mode": "meaning"}).content.decode()
    links = [page.find(f'href="{other.get_absolute_url()}"') for other in corpus["others"]]
    assert (
        -1
        < page.index(f'href="{corpus["paraphrase"].get_absolute_url()}"')
        < min(link for link in links if link > -1)
    )
    assert "Matched by meaning; it does not contain all your words" in page
    assert "closeness in meaning" in page
    assert 'value="meaning" id="search-mode-meaning" checked' in page
    # Without the State, Chile's texts on torture come first.
    everywhere = client.get(API_URL, {"q": QUERY, "mode": "meaning"}).json()["results"]
    assert everywhere[0]["id"] in {recommendation.pk for recommendation in corpus["torture"]}
    worded = client.get(API_URL, {"q": "cruel ill-treatment", "state": "BLR", "mode": "meaning"})
    assert worded.json()["results"][0]["id"] == corpus["paraphrase"].pk
    assert worded.json()["results"][0]["matches_words"] is True
    assert (
        "Matches your words"
        in client.get(
            LIST_URL, {"q": "cruel ill-treatment", "state": "BLR", "mode": "meaning"}
        ).content.decode()
    )
    hidden = f'href="{corpus["hidden"].get_absolute_url()}"'
    assert hidden not in client.get(LIST_URL, {"q": QUERY, "mode": "meaning"}).content.decode()
    internal = client_for("viewer").get(LIST_URL, {"q": QUERY, "mode": "meaning"})
    assert hidden in internal.content.decode()


def test_it_falls_back_to_words_without_an_index(client, client_for, corpus):
    words = client.get(API_URL, {"q": "cruel"}).json()
    meaning = client.get(API_URL, {"q": "cruel", "mode": "meaning"}).json()
    assert meaning["mode"] == "words" and "not available yet" in meaning["mode_note"]
    assert result_ids_of(meaning) == result_ids_of(words) and meaning["count"] > 0
    page = client.get(LIST_URL, {"q": "cruel", "mode": "meaning"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Search by meaning is not available yet" in content
    assert "rightstrack similarity build" not in content
    managed = client_for("coordinator").get(LIST_URL, {"q": "cruel", "mode": "meaning"})
    assert reverse("intelligence:models") in managed.content.decode()
    assert reverse("intelligence:models") not in content
    assert "not available yet" not in client.get(LIST_URL, {"q": "cruel"}).content.decode()


def result_ids_of(payload):
    return [row["id"] for row in payload["results"]]


def facet_counts(facets, key):
    return {value.value: value.count for value in next(f for f in facets if f.key == key).values}


def test_it_counts_the_facets_over_the_results_by_meaning(corpus):
    build_index()
    filters = parse_filters({"q": QUERY, "state": "BLR", "mode": "meaning"})
    search = recommendation_search(user=None, filters=filters)
    ids = [row.pk for row in search.results[0:1000]]
    assert search.results.count() == len(ids) > 0
    facets = search.facets()
    shown = Recommendation.objects.filter(pk__in=ids)
    # A facet that is not chosen counts the results themselves.
    mechanisms = Counter(shown.values_list("mechanism__code", flat=True))
    assert facet_counts(facets, "mechanism") == dict(mechanisms)
    assert facet_counts(facets, "theme") == {"torture": 1}
    # The chosen facet counts the results there would be without it, by meaning too.
    unfiltered = recommendation_search(user=None, filters=filters.without("state"))
    everywhere = [row.pk for row in unfiltered.results[0:1000]]
    states = Counter(
        Recommendation.objects.filter(pk__in=everywhere).values_list("state__code", flat=True)
    )
    assert facet_counts(facets, "state") == dict(states)
    assert states["CHL"] > 0
    # Choosing a facet value keeps exactly what it counted.
    crc = recommendation_search(
        user=None, filters=parse_filters({**_pairs(filters), "mechanism": "CRC"})
    )
    assert crc.results.count() == mechanisms["CRC"]


def _pairs(filters):
    query = QueryDict(mutable=True)
    for name, value in filters.query_pairs():
        query.appendlist(name, value)
    return {name: query.getlist(name) for name in query}


def test_it_keeps_the_mode_in_a_shareable_address():
    filters = parse_filters(QueryDict("q=torture&mode=meaning&state=BLR"))
    assert filters.mode == "meaning" and filters.by_meaning()
    assert ("mode", "meaning") in filters.query_pairs()
    assert not filters.without("q").by_meaning() and not filters.without("mode").by_meaning()
    assert parse_filters(QueryDict("q=x&mode=words")) == RecommendationFilters(q="x")
    assert parse_filters(QueryDict("q=x&mode=bogus")) == RecommendationFilters(q="x")
    assert not parse_filters(QueryDict("mode=meaning")).is_filtered()


def test_it_exports_the_results_by_meaning_in_their_order(client, corpus, tmp_path, users):
    build_index()
    query = {"q": QUERY, "state": "BLR", "mode": "meaning"}
    ranked = result_ids(client.get(API_URL, {**query, "limit": 200}))
    response = client.get(reverse("recommendations:export", args=["csv"]), query)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(row["id"]) for row in rows] == ranked
    newest = client.get(
        reverse("recommendations:export", args=["json"]), {**query, "sort": "newest"}
    )
    exported = json.loads(b"".join(newest.streaming_content))
    assert sorted(row["id"] for row in exported) == sorted(ranked)
    path = tmp_path / "meaning.csv"
    call_command(
        "export",
        "recommendations",
        "--q",
        QUERY,
        "--state",
        "BLR",
        "--mode",
        "meaning",
        "-o",
        str(path),
        "--no-progress",
        stdout=io.StringIO(),
    )
    with path.open(encoding="utf-8") as stream:
        assert [int(row["id"]) for row in csv.DictReader(stream)] == ranked
    page = client.get(LIST_URL, query).content.decode()
    assert "mode=meaning" in page.split("Download this list")[1].split("</p>")[0]


def test_it_says_when_the_index_is_older_than_the_newest_recommendations(client, corpus):
    build_index()
    RecommendationFactory(text="Abolish cruel ill-treatment at once")
    page = client.get(LIST_URL, {"q": QUERY, "state": "BLR", "mode": "meaning"}).content.decode()
    assert "The index of meaning is older than the newest recommendation" in page
    # The newcomer is still found by its words.
    found = client.get(API_URL, {"q": "cruel", "state": "BLR", "mode": "meaning"}).json()
    newcomer = Recommendation.objects.get(text="Abolish cruel ill-treatment at once")
    row = next(row for row in found["results"] if row["id"] == newcomer.pk)
    assert row["matches_words"] is True and row["meaning_score"] is None


def test_it_answers_htmx_with_the_results_and_the_mode_note(client, corpus):
    build_index()
    response = client.get(LIST_URL, {"q": QUERY, "mode": "meaning"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content and "Ranked by meaning and by words together" in content


def test_it_searches_by_meaning_in_few_queries(client, corpus, django_assert_max_num_queries):
    build_index()
    client.get(LIST_URL, {"q": QUERY, "mode": "meaning", "state": "BLR"})
    with django_assert_max_num_queries(20):
        response = client.get(LIST_URL, {"q": QUERY, "mode": "meaning", "state": "BLR"})
    assert response.status_code == 200
