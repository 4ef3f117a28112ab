"""The "Similar recommendations" panel on a recommendation's page (served by the intelligence
app): loaded by htmx once the page is there, a link without JavaScript."""

import pytest
from django.urls import reverse

from rightstrack.intelligence import similarity
from rightstrack.recommendations.tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db

TEXTS = (
    "Declare a moratorium on executions with a view to abolishing the death penalty",
    "Introduce a moratorium on the death penalty with a view to its abolition",
    "Ratify the Optional Protocol to the Convention against Torture",
    "Ensure that children with disabilities have access to inclusive education",
    "Combat domestic violence against women and provide shelters for victims",
)


def test_it_loads_the_similar_panel_on_a_recommendation_page(client):
    recommendation = RecommendationFactory(text=TEXTS[0])
    page = client.get(recommendation.get_absolute_url()).content.decode()
    url = reverse("intelligence:similar", args=[recommendation.pk])
    placeholder = page[page.index(f'hx-get="{url}"') - 100 :]
    assert 'hx-trigger="load"' in placeholder[:400] and 'hx-swap="outerHTML"' in placeholder[:400]
    # Without JavaScript the link leads to the same panel as a page.
    assert f'<a href="{url}">' in page
    fallback = client.get(url)
    assert fallback.status_code == 200 and "<html" in fallback.content.decode()
    assert "Similar recommendations are not available yet" in fallback.content.decode()


def test_it_fills_the_panel_with_the_most_similar_recommendations(client):
    recommendations = [RecommendationFactory(text=text) for text in TEXTS]
    similarity.build_index(use_embeddings=False)
    url = reverse("intelligence:similar", args=[recommendations[0].pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="similar-heading-' in fragment
    first = fragment.index("<tbody>")
    assert fragment.index(recommendations[1].get_absolute_url(), first) < fragment.index(
        recommendations[2].get_absolute_url(), first
    )
