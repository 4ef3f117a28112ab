"""The recommendations work on their own: what the higher apps register in extensions.py is
used when present and left out when not."""

import pytest

from rightstrack.core.page_sections import PageSections
from rightstrack.recommendations import extensions
from rightstrack.recommendations.filters import parse_filters
from rightstrack.recommendations.models import ImportBatch
from rightstrack.recommendations.selectors import recommendation_list, recommendation_search
from rightstrack.recommendations.services import import_file

from .factories import RecommendationFactory
from .import_helpers import small_vocabulary, write_upr_info

pytestmark = pytest.mark.django_db


@pytest.fixture
def nothing_registered(monkeypatch):
    monkeypatch.setattr(extensions.registered, "implementation_status", None)
    monkeypatch.setattr(extensions.registered, "meaning_search", None)
    monkeypatch.setattr(extensions.registered, "after_import", [])
    monkeypatch.setattr(extensions.registered, "detail_sections", PageSections())


def test_it_registers_the_installed_apps_hooks():
    assert extensions.registered.implementation_status is not None
    assert extensions.registered.meaning_search is not None
    assert extensions.registered.after_import
    sections = [section.__module__ for section in extensions.registered.detail_sections.sections]
    assert sections == ["rightstrack.progress.hooks", "rightstrack.intelligence.hooks"]


def test_it_shows_the_sections_of_the_apps_built_on_recommendations(client):
    recommendation = RecommendationFactory()

    text = client.get(recommendation.get_absolute_url()).text

    assert text.index('id="implementation-heading"') < text.index('id="similar-heading"')


def test_it_shows_a_recommendation_without_the_sections_of_other_apps(nothing_registered, client):
    recommendation = RecommendationFactory(text="Ratify the Convention")

    response = client.get(recommendation.get_absolute_url())

    assert response.status_code == 200 and "Ratify the Convention" in response.text
    assert 'id="implementation-heading"' not in response.text
    assert 'id="similar-heading"' not in response.text


def test_it_lists_without_implementation_statuses_when_no_app_provides_them(nothing_registered):
    RecommendationFactory.create_batch(2)
    filters = parse_filters({"implementation": ["implemented"], "addressed": ["yes"]})

    search = recommendation_search(user=None, filters=filters)

    assert len(list(recommendation_list(user=None, filters=filters))) == 2
    keys = [facet.key for facet in search.facets()]
    assert "implementation" not in keys and "addressed" not in keys
    assert "state" in keys


def test_it_searches_by_words_when_no_app_searches_by_meaning(nothing_registered):
    RecommendationFactory(text="Abolish the death penalty")
    search = recommendation_search(
        user=None, filters=parse_filters({"q": "death", "mode": "meaning"})
    )

    assert search.mode == "words"
    assert search.meaning_unavailable


def test_it_runs_the_registered_work_after_an_import(nothing_registered, tmp_path):
    small_vocabulary()
    seen = []

    def after_import(batch, user):
        seen.append(batch.pk)
        return "Something more was done."

    extensions.registered.add_after_import(after_import)
    extensions.registered.add_after_import(after_import)

    batch = import_file(user=None, format="upr-info", path=write_upr_info(tmp_path / "u.csv"))

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert seen == [batch.pk]
    assert batch.message.endswith("Something more was done.")
