"""Who may do what, on every page and API endpoint of presences: anonymous, each role, and an
outsider (a focal point of another agency)."""

import pytest
from django.test import Client
from django.urls import reverse

from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.presences.models import FeatureStory, Presence

from .factories import FeatureStoryFactory, PresenceFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"administrator", "coordinator"}
INTERNAL_READERS = {"administrator", "coordinator", "viewer"}


@pytest.fixture
def published(vocabulary):
    return PresenceFactory(slug="published", title="Published presence", is_published=True)


@pytest.fixture
def draft(vocabulary):
    return PresenceFactory(slug="draft", title="Draft presence", is_published=False)


@pytest.fixture
def story(published):
    return FeatureStoryFactory(presence=published, title="A story")


def _login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


# --- pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lists_published_presences_to_everyone_and_drafts_to_internal_readers(
    client_for, role, published, draft
):
    response = client_for(role).get(reverse("presences:list"))

    assert response.status_code == 200
    slugs = [presence.slug for presence in response.context["page"].object_list]
    assert "published" in slugs
    assert ("draft" in slugs) == (role in INTERNAL_READERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_shows_a_published_profile_to_everyone(client_for, role, published):
    assert client_for(role).get(published.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_hides_a_draft_profile_from_all_but_internal_readers(client_for, role, draft):
    response = client_for(role).get(draft.get_absolute_url())

    assert response.status_code == (200 if role in INTERNAL_READERS else 404)


def _expected_for_write(role, response, success_status):
    if role == "anonymous":
        return _login_redirect(response)
    if role in MANAGERS:
        return response.status_code == success_status
    return response.status_code == 403


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    "url_name", ["presences:create", "presences:edit", "presences:story-create"]
)
def test_it_shows_the_forms_to_managers_only(client_for, role, url_name, published):
    args = [] if url_name == "presences:create" else [published.slug]

    response = client_for(role).get(reverse(url_name, args=args))

    assert _expected_for_write(role, response, 200)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url_name", ["presences:story-edit", "presences:story-delete"])
def test_it_shows_the_story_forms_to_managers_only(client_for, role, url_name, story):
    response = client_for(role).get(reverse(url_name, args=[story.presence.slug, story.pk]))

    assert _expected_for_write(role, response, 200)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_managers_create(client_for, role, presence_data):
    data = {**presence_data, "country": "", "thematic_pillars": [], "shifts": []}
    data = {key: value for key, value in data.items() if key != "spotlight_populations"}
    data = {key: "" if value is None else value for key, value in data.items()}

    response = client_for(role).post(reverse("presences:create"), data)

    assert _expected_for_write(role, response, 302)
    assert Presence.objects.filter(slug="belarus").exists() == (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_managers_edit(client_for, role, published):
    data = {
        "title": "Renamed",
        "slug": published.slug,
        "engagement_type": published.engagement_type,
        "budget_currency": "USD",
    }

    response = client_for(role).post(reverse("presences:edit", args=[published.slug]), data)

    assert _expected_for_write(role, response, 302)
    published.refresh_from_db()
    assert (published.title == "Renamed") == (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_managers_publish(client_for, role, draft):
    response = client_for(role).post(
        reverse("presences:publish", args=[draft.slug]), {"published": "1"}
    )

    assert _expected_for_write(role, response, 302)
    draft.refresh_from_db()
    assert draft.is_published == (role in MANAGERS)


def test_it_publishes_only_by_post(client_for, draft):
    response = client_for("coordinator").get(reverse("presences:publish", args=[draft.slug]))

    assert response.status_code == 405


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_managers_change_feature_stories(client_for, role, story):
    client = client_for(role)
    slug = story.presence.slug

    created = client.post(
        reverse("presences:story-create", args=[slug]), {"title": "New story", "url": ""}
    )
    edited = client.post(
        reverse("presences:story-edit", args=[slug, story.pk]), {"title": "Renamed", "url": ""}
    )
    deleted = client.post(reverse("presences:story-delete", args=[slug, story.pk]))

    for response in (created, edited, deleted):
        assert _expected_for_write(role, response, 302)
    titles = set(FeatureStory.objects.values_list("title", flat=True))
    assert titles == ({"New story"} if role in MANAGERS else {"A story"})


# --- API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lists_drafts_in_the_api_to_internal_readers_only(
    api_client_for, role, published, draft
):
    response = api_client_for(role).get("/api/v1/presences/")

    assert response.status_code == 200
    slugs = [item["slug"] for item in response.json()["items"]]
    assert "published" in slugs
    assert ("draft" in slugs) == (role in INTERNAL_READERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_serves_profiles_in_the_api_as_on_the_pages(api_client_for, role, published, draft):
    client = api_client_for(role)

    assert client.get("/api/v1/presences/published").status_code == 200
    response = client.get("/api/v1/presences/draft")
    assert response.status_code == (200 if role in INTERNAL_READERS else 404)


def _expected_api_write(role, response, success_status):
    if role == "anonymous":
        return response.status_code == 401
    if role in MANAGERS:
        return response.status_code == success_status
    return response.status_code == 403


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_managers_create_through_the_api(api_client_for, role, presence_data):
    response = api_client_for(role).post(
        "/api/v1/presences/", presence_data, content_type="application/json"
    )

    assert _expected_api_write(role, response, 201)
    assert Presence.objects.filter(slug="belarus").exists() == (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_managers_change_through_the_api(api_client_for, role, published, draft):
    client = api_client_for(role)

    renamed = client.patch(
        "/api/v1/presences/published", {"title": "Renamed"}, content_type="application/json"
    )
    published_now = client.patch(
        "/api/v1/presences/draft", {"is_published": True}, content_type="application/json"
    )

    assert _expected_api_write(role, renamed, 200)
    assert _expected_api_write(role, published_now, 200)
    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.title == "Renamed") == (role in MANAGERS)
    assert draft.is_published == (role in MANAGERS)


def test_it_refuses_api_writes_with_a_bad_token(published):
    client = Client(headers={"Authorization": "Bearer not-a-token"})

    response = client.patch(
        "/api/v1/presences/published", {"title": "Renamed"}, content_type="application/json"
    )

    assert response.status_code == 401


def test_it_needs_the_csrf_token_for_session_writes(users, published):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["coordinator"])

    response = client.patch(
        "/api/v1/presences/published", {"title": "Renamed"}, content_type="application/json"
    )

    assert response.status_code in (401, 403)
    published.refresh_from_db()
    assert published.title == "Published presence"


def test_it_lets_a_signed_in_manager_write_through_the_api_with_the_session(client_for, published):
    response = client_for("coordinator").patch(
        "/api/v1/presences/published", {"title": "Renamed"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"


def test_it_offers_presences_in_the_admin_for_looking_only(client_for, published):
    client = client_for("administrator")

    assert client.get("/admin/presences/presence/").status_code == 200
    assert client.get(f"/admin/presences/presence/{published.pk}/change/").status_code == 200
    assert client.get("/admin/presences/presence/add/").status_code == 403
    response = client.post(
        f"/admin/presences/presence/{published.pk}/change/", {"title": "Renamed"}
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "Published presence"
