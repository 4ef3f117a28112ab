"""Saved searches: any recommendation list can be saved; its owner is told when new
recommendations match it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.core.roles import Role
from rightstrack.notifications.models import Notification
from rightstrack.recommendations.models import ImportBatch, Recommendation, SavedSearch
from rightstrack.recommendations.services import saved_search_create, saved_searches_check

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def _age(recommendation, minutes):
    Recommendation.objects.filter(pk=recommendation.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_it_saves_the_list_a_user_looks_at_and_lists_it_for_them_only(client):
    user = UserFactory()
    RecommendationFactory(text="Abolish torture")
    client.force_login(user)
    page = client.get(reverse("recommendations:list"), {"q": "torture", "page": "1"}).content
    assert b'id="save-search-form"' in page and b'for="save-search-name"' in page
    response = client.post(
        reverse("recommendations:saved-search-create"),
        {"name": "Torture", "query": "page=2&q=torture&position=bogus"},
    )
    search = SavedSearch.objects.get()
    assert (search.user, search.name, search.query) == (user, "Torture", "q=torture")
    assert response["Location"] == "/recommendations/?q=torture"
    listed = client.get(reverse("recommendations:saved-searches")).content.decode()
    assert "Torture" in listed and "/recommendations/?q=torture" in listed
    other = UserFactory()
    client.force_login(other)
    assert "Torture" not in client.get(reverse("recommendations:saved-searches")).content.decode()
    assert (
        client.post(
            reverse("recommendations:saved-search-delete", kwargs={"pk": search.pk})
        ).status_code
        == 403
    )
    assert SavedSearch.objects.exists()


def test_it_refuses_a_search_without_a_name(client):
    client.force_login(UserFactory())
    response = client.post(reverse("recommendations:saved-search-create"), {"query": "q=x"})
    assert response.status_code == 302 and not SavedSearch.objects.exists()
    assert client.post(reverse("recommendations:saved-search-create")).status_code == 302
    client.logout()
    anonymous = client.post(reverse("recommendations:saved-search-create"), {"name": "x"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_it_tells_the_owner_of_new_matches_they_may_see_once(client):
    viewer = UserFactory(role=Role.VIEWER)
    public = UserFactory(role=Role.CIVIL_SOCIETY)
    old = RecommendationFactory(text="Abolish torture in prisons")
    _age(old, 120)
    mine = saved_search_create(actor=viewer, name="Torture", query="q=torture")
    theirs = saved_search_create(actor=public, name="Torture", query="q=torture")
    SavedSearch.objects.update(checked_at=timezone.now() - datetime.timedelta(minutes=90))
    new = RecommendationFactory(text="Criminalise torture")
    hidden = RecommendationFactory(text="Investigate torture", is_published=False)
    RecommendationFactory(text="Protect journalists")
    for recommendation in (new, hidden):
        _age(recommendation, 30)
    found = dict(saved_searches_check())
    assert found == {mine: 2, theirs: 1}
    (told,) = Notification.objects.filter(user=viewer)
    assert told.message == "2 new recommendations match your saved search “Torture”."
    assert told.url == "/recommendations/?q=torture"
    assert Notification.objects.get(user=public).params["count"] == 1
    # Checked: the same recommendations are not new again.
    assert saved_searches_check() == []
    assert Notification.objects.count() == 2


def test_it_leaves_an_import_still_running_to_the_check_after_it(client):
    user = UserFactory(role=Role.VIEWER)
    search = saved_search_create(actor=user, name="Torture", query="q=torture")
    SavedSearch.objects.update(checked_at=timezone.now() - datetime.timedelta(hours=2))
    batch = ImportBatch.objects.create(
        format="upr-info", file_name="big.csv", checksum="0" * 64, status=ImportBatch.Status.RUNNING
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    written = RecommendationFactory(text="Criminalise torture")
    _age(written, 50)  # Written by the running import, not committed yet for other readers.
    assert saved_searches_check() == []
    search.refresh_from_db()
    assert search.checked_at <= timezone.now() - datetime.timedelta(minutes=59)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.SUCCEEDED)
    assert [(found.pk, count) for found, count in saved_searches_check()] == [(search.pk, 1)]
