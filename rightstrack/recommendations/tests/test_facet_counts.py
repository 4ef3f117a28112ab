"""Tag and SDG goal facets counted by the database against the same counts made by hand.

The facets count the tags of a whole table less those of the hidden recommendations when no
filter narrows the list, and from the matched recommendations otherwise; either way the
counts must be those of the recommendations the reader may see.
"""

import random
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from rightstrack.recommendations.filters import parse_filters
from rightstrack.recommendations.models import Recommendation, RecommendationTag, TagStatus
from rightstrack.recommendations.selectors import recommendation_facets
from rightstrack.taxonomy.models import Scheme

from .factories import RecommendationFactory, TagFactory, term

TAG_FACETS = {
    "theme": Scheme.UHRI_THEME,
    "affected": Scheme.AFFECTED_PERSONS,
    "sdg_target": Scheme.SDG_TARGET,
}
FILTERS = [
    {},
    {"state": "BLR"},
    {"state": "UKR", "cycle": "2"},
    {"theme": "torture"},
    {"theme": "torture", "state": "BLR"},
    {"affected": "children", "position": "noted"},
    {"sdg_goal": "16"},
]


@pytest.fixture
def generated(db):
    """Sixty recommendations with random states, cycles, positions, publication and tags."""
    rng = random.Random(15)
    goals = [term(Scheme.SDG_GOAL, code, f"Goal {code}") for code in ("5", "16")]
    tag_terms = [
        term(Scheme.UHRI_THEME, "torture"),
        term(Scheme.UHRI_THEME, "women"),
        term(Scheme.UHRI_THEME, "health"),
        term(Scheme.AFFECTED_PERSONS, "children"),
        term(Scheme.AFFECTED_PERSONS, "migrants"),
        *goals,
        term(Scheme.SDG_TARGET, "5.2", parent=goals[0]),
        term(Scheme.SDG_TARGET, "16.2", parent=goals[1]),
        term(Scheme.SDG_TARGET, "16.9", parent=goals[1]),
    ]
    states = [term(Scheme.STATE, code) for code in ("BLR", "UKR", "FRA")]
    for _number in range(60):
        recommendation = RecommendationFactory(
            state=rng.choice(states),
            cycle=rng.randint(1, 3),
            position=rng.choice(["supported", "noted"]),
            is_published=rng.random() < 0.8,
        )
        for tag_term in rng.sample(tag_terms, rng.randint(0, 5)):
            TagFactory(
                recommendation=recommendation,
                term=tag_term,
                status=TagStatus.SUGGESTED if rng.random() < 0.2 else TagStatus.ACCEPTED,
            )


def _matches(tags, data, *, leave_out):
    """Whether a recommendation with ``tags`` (its visible tags' (scheme, code)) matches every
    filter of ``data`` except ``leave_out``."""
    recommendation = tags.recommendation
    for key, value in data.items():
        if key == leave_out:
            continue
        if key == "state" and recommendation.state.code != value:
            return False
        if key == "cycle" and str(recommendation.cycle) != value:
            return False
        if key == "position" and recommendation.position != value:
            return False
        if key in TAG_FACETS and (TAG_FACETS[key], value) not in tags.codes:
            return False
        if key == "sdg_goal" and value not in tags.goals:
            return False
    return True


class _Tagged:
    def __init__(self, recommendation, tags):
        self.recommendation = recommendation
        self.codes = {(tag.term.scheme, tag.term.code) for tag in tags}
        self.goals = {
            tag.term.code if tag.term.scheme == Scheme.SDG_GOAL else tag.term.parent.code
            for tag in tags
            if tag.term.scheme in (Scheme.SDG_GOAL, Scheme.SDG_TARGET)
        }


def _by_hand(data, *, internal):
    statuses = [TagStatus.ACCEPTED, TagStatus.SUGGESTED] if internal else [TagStatus.ACCEPTED]
    tags = RecommendationTag.objects.filter(status__in=statuses).select_related(
        "recommendation__state", "term__parent"
    )
    by_recommendation = {}
    for tag in tags:
        by_recommendation.setdefault(tag.recommendation, []).append(tag)
    tagged = [
        _Tagged(recommendation, by_recommendation.get(recommendation, []))
        for recommendation in Recommendation.objects.select_related("state")
        if internal or recommendation.is_published
    ]
    counts = {}
    for key, scheme in TAG_FACETS.items():
        counts[key] = Counter(
            code
            for item in tagged
            if _matches(item, data, leave_out=key)
            for tag_scheme, code in item.codes
            if tag_scheme == scheme
        )
    counts["sdg_goal"] = Counter(
        goal for item in tagged if _matches(item, data, leave_out="sdg_goal") for goal in item.goals
    )
    return {key: dict(counted) for key, counted in counts.items()}


@pytest.mark.parametrize("data", FILTERS)
@pytest.mark.parametrize("internal", [False, True], ids=["public", "viewer"])
def test_it_counts_tag_facets_as_by_hand(generated, users, data, internal):
    user = users["viewer"] if internal else AnonymousUser()
    keys = (*TAG_FACETS, "sdg_goal")
    facets = recommendation_facets(user=user, filters=parse_filters(data), facets=keys)
    counted = {
        facet.key: {value.value: value.count for value in facet.values if value.count}
        for facet in facets
    }
    assert counted == _by_hand(data, internal=internal)


def test_it_counts_the_unfiltered_public_facets_in_a_bounded_number_of_queries(
    generated, django_assert_num_queries
):
    def count():
        recommendation_facets(
            user=AnonymousUser(), filters=parse_filters({}), facets=("theme", "sdg_goal")
        )

    # The first reader after a change: the data version and the kept counts (2); tags (every
    # one, then the hidden recommendations'), SDG terms and the SDG tags (4); keeping them
    # without waiting for a lock (6: the lock timeout set and restored, a savepoint begun and
    # released, stale counts deleted, this key's counts upserted; PostgreSQL sets the timeout
    # for the transaction alone, 5); the terms shown (1).
    with django_assert_num_queries(12 if connection.vendor == "postgresql" else 13):
        count()
    # Every reader after it, until the data change: the data version alone (the facets as
    # shown are remembered for it).
    with django_assert_num_queries(1):
        count()


@pytest.mark.parametrize("internal", [False, True], ids=["public", "viewer"])
@pytest.mark.parametrize("data", [{"q": "rights"}, {"q": "rights -torture"}, {"q": "torture"}])
def test_it_counts_a_broad_text_search_as_the_whole_list_less_the_rest(
    generated, users, monkeypatch, data, internal
):
    from rightstrack.recommendations import facets

    for number, recommendation in enumerate(Recommendation.objects.order_by("id")):
        # Nine in ten mention rights: a search for it matches most of the list.
        words = "human rights" if number % 10 else "torture"
        Recommendation.objects.filter(pk=recommendation.pk).update(text=f"Protect {words}.")
    user = users["viewer"] if internal else AnonymousUser()
    filters = parse_filters(data)
    monkeypatch.setattr(facets, "BROAD_SEARCH_MINIMUM", 1)
    broad = []
    real = facets._Counting.broad_text_search
    monkeypatch.setattr(
        facets._Counting,
        "broad_text_search",
        lambda self, *args: broad.append(real(self, *args)) or broad[-1],
    )
    counted = recommendation_facets(user=user, filters=filters)
    monkeypatch.setattr(facets._Counting, "broad_text_search", lambda self, *args: None)
    assert counted == recommendation_facets(user=user, filters=filters)
    # The search for "rights" took the way of the whole list less the rest; "torture" did not.
    assert any(broad) == (data["q"] != "torture")
