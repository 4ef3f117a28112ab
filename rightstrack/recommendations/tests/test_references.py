"""Recommendations named in files people write: by symbol and number, UHRI id or own id."""

import pytest

from rightstrack.recommendations.models import Document
from rightstrack.recommendations.references import ReferenceFinder, reference_texts
from rightstrack.taxonomy.models import Scheme

from .factories import RecommendationFactory, term


@pytest.fixture
def records(db):
    document = Document.objects.create(symbol="A/HRC/15/16")
    other_state = term(Scheme.STATE, "POL", "Poland")
    return {
        "state": term(Scheme.STATE, "BLR", "Belarus"),
        "first": RecommendationFactory(document=document, number="98.16"),
        "second": RecommendationFactory(document=document, number="98.17"),
        # Two records under one document and number (two sources not yet merged).
        "twin_a": RecommendationFactory(document=document, number="97.1"),
        "twin_b": RecommendationFactory(document=document, number="97.1"),
        "uhri": RecommendationFactory(source_key="uhri:abc", number=""),
        "uhri_split": RecommendationFactory(source_key="uhri:def/Belarus", number=""),
        "elsewhere": RecommendationFactory(state=other_state, source_key="uhri:pol", number=""),
    }


@pytest.mark.django_db
def test_it_writes_the_shortest_reference_that_names_each_one_alone(records):
    texts = reference_texts(Document.objects.get(symbol="A/HRC/15/16").recommendations.all())
    assert texts[records["first"].pk] == "A/HRC/15/16 98.16"
    assert texts[records["twin_a"].pk] == f"#{records['twin_a'].pk}"
    assert reference_texts([records["uhri"]]) == {records["uhri"].pk: "uhri:abc"}


@pytest.mark.django_db
def test_it_reads_back_what_it_writes_and_says_why_others_fail(records):
    finder = ReferenceFinder(state_id=records["state"].pk)
    written = reference_texts(
        [records[name] for name in ("first", "second", "twin_a", "uhri", "uhri_split")]
    )
    found = finder.find("; ".join(written.values()))
    assert (sorted(found.ids), found.errors) == (sorted(written), [])

    shorthand = finder.find("A/HRC/15/16 98.16, 98.17\nUHRI def")
    assert shorthand.ids == [records[name].pk for name in ("first", "second", "uhri_split")]

    refused = finder.find("A/HRC/15/16 97.1; A/HRC/15/16 99.9; uhri:pol; 98.16; #999999")
    assert refused.ids == []
    assert refused.errors == [
        "“A/HRC/15/16 97.1” names 2 recommendations; give the id of one (#id)",
        "unknown recommendation “A/HRC/15/16 99.9”",
        "recommendation “uhri:pol” was made to another State",
        "“98.16” is not a reference to a recommendation (document symbol and number, uhri:…, or "
        "#id)",
        "unknown recommendation “#999999”",
    ]
