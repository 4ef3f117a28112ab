"""Vocabulary terms from raw input: codes or terms, each unknown one a message for its field."""

import pytest

from rightstrack.core.validation import Errors
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.values import a_term, terms


@pytest.fixture
def pillars(db):
    return [
        Term.objects.create(scheme=Scheme.THEMATIC_PILLAR, code=code, label_en=code)
        for code in ("P1", "P2")
    ]


def test_it_finds_terms_by_code_or_term_in_the_order_given(pillars):
    errors = Errors()

    found = terms(["P2", pillars[0], " P2 "], Scheme.THEMATIC_PILLAR, "pillars", errors)

    assert found == [pillars[1], pillars[0]]
    assert not errors


def test_it_names_each_unknown_code_and_a_term_of_another_vocabulary(pillars):
    state = Term.objects.create(scheme=Scheme.STATE, code="BLR", label_en="Belarus")
    errors = Errors()

    found = terms(["P1", "P9", state], Scheme.THEMATIC_PILLAR, "pillars", errors)

    assert found == [pillars[0]]
    assert len(errors["pillars"]) == 2
    assert "“BLR”" in errors["pillars"][0] and "“P9”" in errors["pillars"][1]


def test_it_finds_one_term_or_none(pillars):
    errors = Errors()

    assert a_term("P1", Scheme.THEMATIC_PILLAR, "pillar", errors) == pillars[0]
    assert a_term("", Scheme.THEMATIC_PILLAR, "pillar", errors) is None
    assert a_term("P9", Scheme.THEMATIC_PILLAR, "other", errors) is None
    assert list(errors) == ["other"]
