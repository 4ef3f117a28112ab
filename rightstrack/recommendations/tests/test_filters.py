from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from rightstrack.recommendations.facets import FACET_SPECS
from rightstrack.recommendations.filters import (
    RecommendationFilters,
    parse_filters,
)
from rightstrack.recommendations.models import Position, TagSource, TagStatus
from rightstrack.recommendations.selectors import (
    recommendation_facets,
    recommendation_list,
    recommendation_search,
)
from rightstrack.taxonomy.models import Scheme

from .factories import ClusterFactory, DocumentFactory, RecommendationFactory, TagFactory, term


def codes(queryset):
    return sorted(recommendation.number for recommendation in queryset)


def facet_counts(user, filters, key):
    (facet,) = recommendation_facets(user=user, filters=filters, facets=(key,))
    return {value.value: value.count for value in facet.values}


def test_it_parses_a_query_string():
    filters = parse_filters(
        QueryDict(
            "q=torture&state=blr&state=UKR&cycle=2&cycle=x&position=noted&position=maybe"
            "&sdg_target=16.2&sort=state&sort=bogus"
        )
    )
    assert filters == RecommendationFilters(
        q="torture",
        state=("BLR", "UKR"),
        cycle=(2,),
        position=("noted",),
        sdg_target=("16.2",),
        sort="state",
    )


def test_it_parses_a_dict_and_drops_unknown_sorts():
    filters = parse_filters({"mechanism": "crc", "session": ["8", "9"], "sort": "nonsense"})
    assert filters == RecommendationFilters(mechanism=("CRC",), session=(8, 9))


def test_it_round_trips_through_a_query_string():
    filters = RecommendationFilters(
        q='"death penalty"', state=("BLR",), theme=("torture", "women"), sort="newest"
    )
    query = QueryDict(mutable=True)
    for name, value in filters.query_pairs():
        query.appendlist(name, value)
    assert parse_filters(QueryDict(query.urlencode())) == filters


def test_it_sorts_by_relevance_only_with_a_text_query():
    assert RecommendationFilters(q="x").sort_option.key == "relevance"
    assert RecommendationFilters().sort_option.key == "newest"
    assert RecommendationFilters(sort="relevance").sort_option.key == "newest"


@pytest.fixture
def vocabulary(db):
    goal = term(Scheme.SDG_GOAL, "16", "Peace, justice and strong institutions")
    return {
        "blr": term(Scheme.STATE, "BLR", "Belarus"),
        "ukr": term(Scheme.STATE, "UKR", "Ukraine"),
        "fra": term(Scheme.STATE, "FRA", "France"),
        "upr": term(Scheme.MECHANISM, "UPR", "Universal Periodic Review"),
        "crc": term(Scheme.MECHANISM, "CRC", "Committee on the Rights of the Child"),
        "torture": term(Scheme.UHRI_THEME, "torture", "Torture"),
        "women": term(Scheme.UHRI_THEME, "women", "Women's rights"),
        "children": term(Scheme.AFFECTED_PERSONS, "children", "Children"),
        "goal": goal,
        "16.2": term(Scheme.SDG_TARGET, "16.2", "End abuse of children", parent=goal),
        "16.9": term(Scheme.SDG_TARGET, "16.9", "Legal identity", parent=goal),
        "issue": term(Scheme.UPR_INFO_ISSUE, "detention", "Detention"),
        "action5": term(Scheme.ACTION_CATEGORY, "5", "Specific action"),
    }


@pytest.fixture
def recommendations(vocabulary):
    v = vocabulary
    return {
        "a": RecommendationFactory(
            number="1",
            text="Prevent torture in prisons.",
            recommending_states=[v["fra"]],
            tags=[v["torture"], v["16.2"], v["16.9"], v["issue"]],
            action_category=v["action5"],
        ),
        "b": RecommendationFactory(
            number="2",
            text="Protect women from violence.",
            state=v["ukr"],
            cycle=2,
            session=22,
            position=Position.NOTED,
            tags=[v["women"], v["children"]],
        ),
        "c": RecommendationFactory(
            number="3",
            text="Protect children in care.",
            mechanism=v["crc"],
            cycle=None,
            session=None,
            position="",
            tags=[v["children"]],
            recommending_states=[v["fra"], v["ukr"]],
        ),
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"state": "BLR"}, ["1", "3"]),
        ({"state": ["BLR", "UKR"]}, ["1", "2", "3"]),
        ({"state": "XXX"}, []),
        ({"mechanism": "CRC"}, ["3"]),
        ({"cycle": "2"}, ["2"]),
        ({"session": "8"}, ["1"]),
        ({"position": "noted"}, ["2"]),
        ({"position": "not-stated"}, ["3"]),
        ({"theme": "torture"}, ["1"]),
        ({"theme": ["torture", "women"]}, ["1", "2"]),
        ({"affected": "children"}, ["2", "3"]),
        ({"sdg_goal": "16"}, ["1"]),
        ({"sdg_target": "16.9"}, ["1"]),
        ({"issue": "detention"}, ["1"]),
        ({"action": "5"}, ["1"]),
        ({"recommending": "UKR"}, ["3"]),
        ({"recommending": ["FRA", "UKR"]}, ["1", "3"]),
        ({"q": "protect"}, ["2", "3"]),
        ({"q": "protect", "affected": "children", "state": "UKR"}, ["2"]),
    ],
)
def test_it_filters_by_each_facet(recommendations, data, expected):
    filters = parse_filters(data)
    assert codes(recommendation_list(user=AnonymousUser(), filters=filters)) == expected


def test_it_filters_by_cluster_and_document(recommendations):
    ClusterFactory(name="Care", recommendations=[recommendations["c"]])
    document = DocumentFactory(symbol="CRC/C/BLR/CO/3-4")
    RecommendationFactory(number="4", document=document)
    user = AnonymousUser()
    assert codes(recommendation_list(user=user, filters=parse_filters({"cluster": "care"}))) == [
        "3"
    ]
    by_document = parse_filters({"document": "CRC/C/BLR/CO/3-4"})
    assert codes(recommendation_list(user=user, filters=by_document)) == ["4"]


def test_it_counts_each_facet_without_its_own_filter(recommendations):
    user = AnonymousUser()
    filters = parse_filters({"state": "BLR", "affected": "children"})
    # The state facet ignores state=BLR but keeps affected=children: b (UKR) and c (BLR).
    assert facet_counts(user, filters, "state") == {"BLR": 1, "UKR": 1}
    # The affected facet ignores affected=children but keeps state=BLR: a and c, only c tagged.
    assert facet_counts(user, filters, "affected") == {"children": 1}
    assert facet_counts(user, filters, "mechanism") == {"CRC": 1}


def test_it_counts_every_facet(recommendations):
    user = AnonymousUser()
    facets = {
        facet.key: {value.value: value.count for value in facet.values}
        for facet in recommendation_facets(user=user, filters=RecommendationFilters())
    }
    assert set(facets) == set(FACET_SPECS)
    assert facets["state"] == {"BLR": 2, "UKR": 1}
    assert facets["mechanism"] == {"UPR": 2, "CRC": 1}
    assert facets["cycle"] == {"1": 1, "2": 1}
    assert facets["session"] == {"8": 1, "22": 1}
    assert facets["position"] == {"supported": 1, "noted": 1, "not-stated": 1}
    assert facets["theme"] == {"torture": 1, "women": 1}
    assert facets["affected"] == {"children": 2}
    assert facets["sdg_goal"] == {"16": 1}  # two targets of one goal count once
    assert facets["sdg_target"] == {"16.2": 1, "16.9": 1}
    assert facets["issue"] == {"detention": 1}
    assert facets["action"] == {"5": 1}
    assert facets["recommending"] == {"FRA": 2, "UKR": 1}


def test_it_keeps_a_selected_value_with_no_matches(recommendations):
    filters = parse_filters({"theme": "women", "state": "BLR"})
    (facet,) = recommendation_facets(user=AnonymousUser(), filters=filters, facets=("theme",))
    assert [(value.value, value.count, value.selected) for value in facet.values] == [
        ("torture", 1, False),
        ("women", 0, True),
    ]


def test_it_never_shows_unpublished_recommendations_to_the_public(users, vocabulary):
    RecommendationFactory(number="hidden", is_published=False, tags=[vocabulary["torture"]])
    RecommendationFactory(number="shown")
    assert codes(recommendation_list(user=None, filters=RecommendationFilters())) == ["shown"]
    assert codes(recommendation_list(user=users["civil_society"], filters=None)) == ["shown"]
    assert codes(recommendation_list(user=users["viewer"], filters=None)) == ["hidden", "shown"]
    assert facet_counts(None, RecommendationFilters(), "theme") == {}
    assert facet_counts(users["viewer"], RecommendationFilters(), "theme") == {"torture": 1}


def test_it_counts_only_accepted_tags_for_the_public(users, vocabulary):
    recommendation = RecommendationFactory(number="1")
    TagFactory(
        recommendation=recommendation,
        term=vocabulary["torture"],
        machine_suggestion=True,
        confidence=0.7,
    )
    TagFactory(
        recommendation=recommendation,
        term=vocabulary["women"],
        source=TagSource.MACHINE,
        status=TagStatus.REJECTED,
    )
    by_theme = parse_filters({"theme": "torture"})
    assert facet_counts(None, RecommendationFilters(), "theme") == {}
    assert codes(recommendation_list(user=None, filters=by_theme)) == []
    (shown,) = recommendation_list(user=None, filters=None)
    assert shown.visible_tags == []
    # Internal readers see suggestions awaiting review; rejected ones count for nobody.
    assert facet_counts(users["viewer"], RecommendationFilters(), "theme") == {"torture": 1}
    assert codes(recommendation_list(user=users["viewer"], filters=by_theme)) == ["1"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["2", "3", "1"]),
        ("oldest", ["1", "3", "2"]),
        ("state", ["1", "3", "2"]),
        ("number", ["1", "2", "3"]),
    ],
)
def test_it_sorts(vocabulary, sort, expected):
    document = DocumentFactory(symbol="A/HRC/15/16")
    dates = {"1": date(2010, 1, 1), "2": date(2015, 1, 1), "3": date(2012, 1, 1)}
    states = {"1": vocabulary["blr"], "2": vocabulary["ukr"], "3": vocabulary["fra"]}
    for number in ("3", "1", "2"):
        RecommendationFactory(
            number=number, date=dates[number], state=states[number], document=document
        )
    found = recommendation_list(user=None, filters=parse_filters({"sort": sort}))
    assert [recommendation.number for recommendation in found] == expected


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest", "state", "number"])
def test_it_pages_a_text_search_in_every_order(vocabulary, sort):
    document = DocumentFactory(symbol="A/HRC/15/16")
    for number in range(7):
        RecommendationFactory(
            number=f"{number}",
            text="Prevent torture. " * (number + 1),
            date=date(2010 + number, 1, 1),
            state=vocabulary["ukr"] if number % 2 else vocabulary["blr"],
            document=document,
        )
    RecommendationFactory(number="hidden", text="Prevent torture.", is_published=False)
    RecommendationFactory(number="other", text="Protect journalists.")
    filters = parse_filters({"q": "torture", "sort": sort})
    results = recommendation_search(user=None, filters=filters).results
    assert results.count() == 7
    pages = [[row.number for row in results[start : start + 3]] for start in range(0, 7, 3)]
    ordered = [number for page in pages for number in page]
    expected = {
        "relevance": ["6", "5", "4", "3", "2", "1", "0"],
        "newest": ["6", "5", "4", "3", "2", "1", "0"],
        "oldest": ["0", "1", "2", "3", "4", "5", "6"],
        "state": ["6", "4", "2", "0", "5", "3", "1"],
        "number": ["0", "1", "2", "3", "4", "5", "6"],
    }
    assert ordered == expected[sort]


def test_it_counts_facets_of_a_text_search_without_their_own_filter(recommendations):
    filters = parse_filters({"q": "protect", "state": "UKR"})
    search = recommendation_search(user=None, filters=filters)
    facets = {facet.key: facet for facet in search.facets(("state", "affected", "mechanism"))}
    assert {value.value: value.count for value in facets["state"].values} == {"BLR": 1, "UKR": 1}
    assert {value.value: value.count for value in facets["affected"].values} == {"children": 1}
    assert {value.value: value.count for value in facets["mechanism"].values} == {"UPR": 1}
    assert search.results.count() == 1


def test_it_drops_numbers_int_cannot_read_or_no_cycle_has():
    # "³" and "①" are digits to str.isdigit() but not to int(); found by the API fuzzing test.
    filters = parse_filters({"cycle": ["³", "①", "2", "0", "999999"], "session": ["41"]})

    assert filters.cycle == (2,)
    assert filters.session == (41,)
