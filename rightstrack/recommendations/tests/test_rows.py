"""core/rows.py on the models an import reads with it: the rows are those values() gives."""

import pytest

from rightstrack.core import rows
from rightstrack.core.rows import rows_in
from rightstrack.recommendations.models import Recommendation, RecommendationTag, TagSource
from rightstrack.taxonomy.models import Scheme

from .factories import RecommendationFactory, TagFactory, term


@pytest.mark.django_db
def test_it_reads_rows_as_values_gives_them(monkeypatch):
    # Dates, times (made aware), booleans, JSON, nulls: every kind of value a recommendation has.
    monkeypatch.setattr(rows, "KEYS_PER_STATEMENT", 2)  # several statements, in order
    made = [
        RecommendationFactory(wordings=[{"text": "Ratify", "states": ["Chile"]}]),
        RecommendationFactory(date=None, document=None, sources_disagree=True),
        RecommendationFactory(is_published=False, session=None),
    ]
    names = [field.attname for field in Recommendation._meta.concrete_fields]
    ids = [recommendation.pk for recommendation in made]

    found = rows_in(Recommendation, names, key="id", values=ids, order_by=["id"])

    expected = Recommendation.objects.filter(pk__in=ids).order_by("pk").values(*names)
    assert found == list(expected)
    assert found[0]["wordings"] == [{"text": "Ratify", "states": ["Chile"]}]


@pytest.mark.django_db
def test_it_reads_only_the_rows_whose_fields_equal_the_values_given():
    recommendation = RecommendationFactory()
    imported = TagFactory(recommendation=recommendation)
    TagFactory(
        recommendation=recommendation,
        term=term(Scheme.UHRI_THEME, "women", "Women"),
        machine_suggestion=True,
    )

    found = rows_in(
        RecommendationTag,
        ["id", "term_id"],
        key="recommendation_id",
        values=[recommendation.pk],
        equal={"source": TagSource.IMPORTED},
    )

    assert found == [{"id": imported.pk, "term_id": imported.term_id}]
    assert rows_in(RecommendationTag, ["id"], key="recommendation_id", values=[]) == []
