"""A presence's page shows what the apps built on presences add to it, and works without them."""

import pytest

from rightstrack.core.page_sections import PageSections
from rightstrack.presences import extensions

from .factories import PresenceFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_activities_portfolio_on_a_presence_page(client):
    presence = PresenceFactory(is_published=True)

    text = client.get(presence.get_absolute_url()).text

    assert 'id="portfolio-heading"' in text


def test_it_shows_a_presence_without_the_sections_of_other_apps(monkeypatch, client):
    monkeypatch.setattr(extensions.presence_page, "sections", PageSections().sections)
    presence = PresenceFactory(is_published=True, title="Office in Minsk")

    response = client.get(presence.get_absolute_url())

    assert response.status_code == 200 and "Office in Minsk" in response.text
    assert 'id="portfolio-heading"' not in response.text
