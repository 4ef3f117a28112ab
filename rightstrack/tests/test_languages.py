"""The interface in each of its languages: English, Russian and Belarusian."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from rightstrack.recommendations.tests.factories import RecommendationFactory


def test_it_offers_english_russian_and_belarusian():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "ru", "be"]


@pytest.mark.django_db
def test_it_switches_the_home_page_to_belarusian(client):
    response = client.post(reverse("set_language"), {"language": "be", "next": "/"}, follow=True)

    content = response.content.decode()
    assert '<html lang="be">' in content
    assert "Рэкамендацыі па правах чалавека: ад ААН да нацыянальных мер" in content
    assert 'lang="be" class="menu-item" aria-current="true">Беларуская</button>' in content
    assert "Human rights recommendations" not in content


@pytest.mark.django_db
def test_it_lists_recommendations_in_belarusian(client):
    RecommendationFactory.create_batch(3)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "be"

    content = client.get(reverse("recommendations:list")).content.decode()

    assert "Пошук і фільтрацыя рэкамендацый" in content
    assert "3 рэкамендацыі" in content
    assert "Search and filter recommendations" not in content


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 рэкамендацыя"),
        (3, "3 рэкамендацыі"),
        (5, "5 рэкамендацый"),
        (11, "11 рэкамендацый"),
        (21, "21 рэкамендацыя"),
        (22, "22 рэкамендацыі"),
    ],
)
def test_it_picks_the_belarusian_plural_form(count, expected):
    with translation.override("be"):
        text = translation.ngettext(
            "%(counter)s recommendation", "%(counter)s recommendations", count
        ) % {"counter": count}
    assert text == expected
