import pytest
from django.db import connection

from rightstrack.recommendations import search as text_search
from rightstrack.recommendations.models import Recommendation
from rightstrack.recommendations.search import (
    apply_text_search,
    highlight,
    highlight_pattern,
    parse_query,
)

from .factories import RecommendationFactory


def search(q, *, rank=False):
    return apply_text_search(Recommendation.objects.all(), q, rank=rank)


def texts(queryset):
    return sorted(recommendation.text for recommendation in queryset)


def test_it_quotes_every_word_for_fts5():
    assert parse_query("torture prisons").fts5() == '"torture" AND "prisons"'


def test_it_keeps_phrases_alternatives_and_exclusions():
    query = parse_query('"death penalty" abolish OR moratorium -juveniles')
    assert query.fts5() == '("death penalty" AND ("abolish" OR "moratorium")) NOT ("juveniles")'
    assert query.words == ["death", "penalty", "abolish", "moratorium"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('"', ""),
        ("AND (", ""),
        ("NEAR(a b)", '"NEAR a" AND "b"'),
        ('tor"ture', '"tor" AND "ture"'),
        ("word*", '"word"'),
        ("col:value", '"col value"'),
        ("-", ""),
        ("OR OR", ""),
        ("x OR", '"x"'),
        ('"unclosed phrase', '"unclosed phrase"'),
    ],
)
def test_it_turns_fts5_syntax_into_plain_words(raw, expected):
    assert parse_query(raw).fts5() == expected if expected else not parse_query(raw)


@pytest.mark.django_db
def test_it_finds_the_recommendations_whose_text_matches():
    RecommendationFactory(text="Investigate all allegations of torture in prisons.")
    RecommendationFactory(text="Ratify the Convention on the Rights of Persons with Disabilities.")
    assert texts(search("torture")) == ["Investigate all allegations of torture in prisons."]


@pytest.mark.django_db
def test_it_matches_other_forms_of_a_word():
    RecommendationFactory(text="Punish those who tortured detainees.")
    RecommendationFactory(text="Protect journalists.")
    assert texts(search("torture")) == ["Punish those who tortured detainees."]


@pytest.mark.django_db
def test_it_requires_every_word_and_the_order_of_a_phrase():
    RecommendationFactory(text="Abolish the death penalty.")
    RecommendationFactory(text="Reduce the penalty for a death caused by negligence.")
    assert len(search("death penalty")) == 2
    assert texts(search('"death penalty"')) == ["Abolish the death penalty."]


@pytest.mark.django_db
def test_it_offers_alternatives_and_exclusions():
    RecommendationFactory(text="Abolish the death penalty.")
    RecommendationFactory(text="Introduce a moratorium on executions.")
    RecommendationFactory(text="Protect children from violence.")
    assert texts(search("abolish OR moratorium")) == [
        "Abolish the death penalty.",
        "Introduce a moratorium on executions.",
    ]
    assert texts(search("abolish OR moratorium -executions")) == ["Abolish the death penalty."]


@pytest.mark.django_db
def test_it_ranks_the_better_match_first():
    RecommendationFactory(
        text="Strengthen institutions and improve the situation of detainees in general, "
        "including health care, food, family visits and, where relevant, torture."
    )
    RecommendationFactory(text="Prevent torture; investigate torture; punish torture.")
    ranked = list(search("torture", rank=True).order_by("-search_rank"))
    assert ranked[0].text == "Prevent torture; investigate torture; punish torture."
    assert ranked[0].search_rank > ranked[1].search_rank


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw", ['"', "AND (", "NEAR(", "*", "col:x", ")", "-", "'", "ab\x00cd", "OR", "x" * 600]
)
def test_it_never_fails_on_odd_input(raw):
    RecommendationFactory(text="Some text.")
    for rank in (False, True):
        list(search(raw, rank=rank))


@pytest.mark.django_db
def test_it_keeps_everything_for_an_empty_query_and_nothing_for_one_without_words():
    RecommendationFactory(text="Some text.")
    assert search("   ").count() == 1
    assert search('" ( )').count() == 0


def test_it_highlights_query_words_and_their_other_forms():
    pattern = highlight_pattern("torture")
    assert (
        highlight("Torture and tortured detainees", pattern)
        == "<mark>Torture</mark> and <mark>tortured</mark> detainees"
    )


def test_it_escapes_the_text_it_highlights():
    pattern = highlight_pattern("script alert")
    shown = highlight('<script>alert("x")</script> & more', pattern)
    assert "<script>" not in shown
    assert shown == (
        "&lt;<mark>script</mark>&gt;<mark>alert</mark>(&quot;x&quot;)&lt;/<mark>script</mark>&gt;"
        " &amp; more"
    )


def test_it_does_not_highlight_inside_entities():
    assert highlight("Tom & Jerry", highlight_pattern("amp")) == "Tom &amp; Jerry"


def test_it_escapes_without_a_query():
    assert highlight("<b>bold</b>", None) == "&lt;b&gt;bold&lt;/b&gt;"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 ranks on SQLite only")
def test_it_ranks_past_the_best_few_when_the_filters_rule_them_out(monkeypatch):
    # The shorter the text, the better it ranks.
    ranked = [
        RecommendationFactory(text="Torture" + " and more" * length).pk for length in range(10)
    ]
    # A page ending at 2 reads the best four: the filters rule all of them out.
    monkeypatch.setattr(text_search, "RANKED_OVERSAMPLE", 2)
    monkeypatch.setattr(text_search, "RANKED_MARGIN", 0)
    assert text_search.sqlite_ranked_ids("torture", set(ranked), 0, 2) == ranked[:2]
    assert text_search.sqlite_ranked_ids("torture", set(ranked[4:]), 0, 2) == ranked[4:6]
    assert text_search.sqlite_ranked_ids("torture", set(ranked[4:]), 2, 4) == ranked[6:8]
    assert text_search.sqlite_ranked_ids("torture", set(ranked[4:]), 4, None) == ranked[8:]


def test_it_leaves_stop_words_out_as_postgresql_does():
    query = parse_query('the torture OR "of the" -a "freedom of expression"')
    assert query.fts5() == '"torture" AND "freedom of expression"'
    assert query.words == ["torture", "freedom", "of", "expression"]
    assert not query.only_stop_words
    assert parse_query("The of").only_stop_words
    assert not parse_query('"').only_stop_words


@pytest.mark.django_db
def test_it_finds_the_same_with_and_without_stop_words():
    RecommendationFactory(text="Investigate the torture of detainees.")
    RecommendationFactory(text="Protect journalists.")
    assert (
        texts(search("the torture"))
        == texts(search("torture"))
        == ["Investigate the torture of detainees."]
    )
    assert texts(search("torture -the")) == ["Investigate the torture of detainees."]
