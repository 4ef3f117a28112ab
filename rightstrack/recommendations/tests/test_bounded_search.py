"""A search by words matching very many recommendations is answered from its first matches,
and the page says so; ``exact=1`` counts and ranks every match (issue #15)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from rightstrack.recommendations import selectors
from rightstrack.recommendations.filters import parse_filters
from rightstrack.recommendations.selectors import recommendation_search
from rightstrack.taxonomy.models import Scheme

from .factories import RecommendationFactory, term

LIMIT = 3


@pytest.fixture
def many(db, monkeypatch):
    """Five recommendations about torture (two from Ukraine, the last ones), one about water."""
    monkeypatch.setattr(selectors, "BOUNDED_SEARCH_LIMIT", LIMIT)
    ukraine = term(Scheme.STATE, "UKR", "Ukraine")
    for number in range(5):
        state = ukraine if number >= 3 else term(Scheme.STATE, "BLR", "Belarus")
        RecommendationFactory(
            text=f"Case {number}. Prevent torture" + " torture" * number, state=state
        )
    RecommendationFactory(text="Provide clean water")
    return ukraine


def _state_counts(content):
    return dict(re.findall(r'name="state" value="(\w+)"[^>]*>.*?facet-count">\((\d+)\)', content))


def test_it_lists_and_counts_only_the_first_matches_and_says_so(many, client):
    response = client.get("/recommendations/", {"q": "torture"})
    content = response.content.decode()
    assert "More than 3 recommendations match." in content
    assert "in the order they were found rather than by relevance" in content
    assert "the filter counts are theirs alone, so they are not exact" in content
    assert 'href="?q=torture&amp;exact=1"' in content
    # The first three found (by id) are listed, and only they are counted: all from Belarus.
    assert content.count('class="recommendation"') == LIMIT
    assert "Case 3." not in content
    # In the order found, not ranked (ranking would put the one saying the word most first).
    assert content.index("Case 0.") < content.index("Case 2.")
    assert _state_counts(content) == {"BLR": "3"}


def test_it_counts_and_ranks_every_match_when_asked_for_exact_counts(many, client):
    content = client.get("/recommendations/", {"q": "torture", "exact": "1"}).content.decode()
    assert "More than" not in content
    assert "5 recommendations match." in content
    assert _state_counts(content) == {"BLR": "3", "UKR": "2"}
    # Ranked: the text that says the word most often comes first.
    assert content.index("Case 4.") < content.index("Case 0.")


def test_it_answers_a_search_within_the_limit_exactly(many, client):
    content = client.get("/recommendations/", {"q": "torture", "state": "UKR"}).content.decode()
    assert "More than" not in content
    assert "2 recommendations match." in content
    assert "exact=1" not in content


def test_it_counts_the_first_matches_of_a_facet_whose_own_filter_is_set(many):
    filters = parse_filters({"q": "torture", "state": ["BLR", "UKR"]})
    bounded = recommendation_search(user=AnonymousUser(), filters=filters, bound=True)
    exact = recommendation_search(user=AnonymousUser(), filters=filters)

    def states(search):
        (facet,) = search.facets(("state",))
        return {value.label: value.count for value in facet.values if value.count}

    # The State facet counts without its own filter: over the first three of the five matches.
    assert bounded.bounded
    assert states(bounded) == {"Belarus": 3}
    assert not exact.bounded
    assert states(exact) == {"Belarus": 3, "Ukraine": 2}


def test_it_keeps_the_api_exact(many, client):
    body = client.get("/api/v1/recommendations", {"q": "torture"}).json()
    assert body["count"] == 5


def test_it_answers_a_bounded_search_again_from_memory(many, client, django_assert_max_num_queries):
    first = client.get("/recommendations/", {"q": "torture"}).content.decode()
    # Asked again: the data version, the page's rows and the names of the facets' terms; no
    # full-text query.
    with django_assert_max_num_queries(8) as captured:
        again = client.get("/recommendations/", {"q": "torture"}).content.decode()
    assert not any("recommendations_fts" in query["sql"] for query in captured.captured_queries)
    assert _state_counts(again) == _state_counts(first) == {"BLR": "3"}


def test_it_remembers_a_bounded_search_apart_from_the_exact_one(many, client):
    assert "More than 3" in client.get("/recommendations/", {"q": "torture"}).content.decode()
    exact = client.get("/recommendations/", {"q": "torture", "exact": "1"}).content.decode()
    assert "5 recommendations match." in exact
    assert "More than 3" in client.get("/recommendations/", {"q": "torture"}).content.decode()
