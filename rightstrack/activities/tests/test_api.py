"""/api/v1/activities and /api/v1/organizations."""

import json

import pytest

from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.activities.models import Activity, Organization
from rightstrack.audit.models import AuditEntry

from .factories import (
    ActivityFactory,
    MeasureFactory,
    OrganizationFactory,
    PresenceFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

MANAGERS = {"administrator", "coordinator"}
INTERNAL_READERS = {"administrator", "coordinator", "viewer"}


def _post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def _patch(client, url, payload):
    return client.patch(url, json.dumps(payload), content_type="application/json")


@pytest.fixture
def records(presence, terms):
    draft_presence = PresenceFactory(slug="draft-presence", is_published=False)
    hidden_recommendation = RecommendationFactory(is_published=False, number="1.1")
    shown_recommendation = RecommendationFactory(number="2.2")
    draft_plan_measure = MeasureFactory(plan__is_published=False, number="9")
    shown_measure = MeasureFactory(number="3")
    return {
        "published": ActivityFactory(
            presence=presence,
            title="Published training",
            partners=[OrganizationFactory(name="Public partner")],
            thematic_pillars=[terms["pillar:mechanisms"]],
            participants_total=20,
            participants_women=None,
            recommendations=[hidden_recommendation, shown_recommendation],
            measures=[draft_plan_measure, shown_measure],
        ),
        "draft": ActivityFactory(
            presence=presence,
            title="Draft",
            is_published=False,
            partners=[OrganizationFactory(name="Draft partner")],
        ),
        "of_draft_presence": ActivityFactory(presence=draft_presence, title="Hidden presence"),
        "shown_recommendation": shown_recommendation,
        "shown_measure": shown_measure,
    }


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lists_what_each_caller_may_see(api_client_for, records, role):
    client = api_client_for(role)
    internal = role in INTERNAL_READERS

    body = client.get("/api/v1/activities/").json()
    titles = sorted(item["title"] for item in body["items"])
    organizations = [item["name"] for item in client.get("/api/v1/organizations/").json()["items"]]

    if internal:
        assert titles == ["Draft", "Hidden presence", "Published training"]
        assert sorted(organizations) == ["Draft partner", "Public partner"]
    else:
        assert titles == ["Published training"]
        assert organizations == ["Public partner"]
    hidden = 200 if internal else 404
    assert client.get(f"/api/v1/activities/{records['draft'].pk}").status_code == hidden
    assert client.get(f"/api/v1/activities/{records['of_draft_presence'].pk}").status_code == hidden


def test_it_shows_unknown_numbers_as_null_and_only_visible_links(client, records):
    item = client.get(f"/api/v1/activities/{records['published'].pk}").json()

    assert item["participants_total"] == 20
    assert item["participants_women"] is None
    assert item["cost_amount"] is None
    assert item["presence"] == {"slug": "belarus", "title": "UN Human Rights in Belarus"}
    assert item["thematic_pillars"] == [{"code": "mechanisms", "label": "Mechanisms"}]
    assert [r["id"] for r in item["recommendations"]] == [records["shown_recommendation"].pk]
    assert [m["id"] for m in item["measures"]] == [records["shown_measure"].pk]


def test_it_filters_and_paginates_like_the_page(client, presence, terms):
    for number in range(3):
        ActivityFactory(presence=presence, title=f"Training {number}", type="training")
    ActivityFactory(presence=presence, title="Dialogue", type="dialogue")

    body = client.get("/api/v1/activities/", {"type": "training", "sort": "-title"}).json()
    paged = client.get("/api/v1/activities/", {"page_size": 2, "page": 2, "sort": "title"}).json()

    assert body["count"] == 3
    assert [item["title"] for item in body["items"]] == ["Training 2", "Training 1", "Training 0"]
    assert paged["count"] == 4
    assert [item["title"] for item in paged["items"]] == ["Training 1", "Training 2"]


def test_it_refuses_a_bad_token(client, records):
    response = client.get("/api/v1/activities/", headers={"Authorization": "Bearer wrong"})

    assert response.status_code == 401


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_managers_write(api_client_for, records, activity_data, role):
    client = api_client_for(role)
    activity = records["published"]
    organization = Organization.objects.get(name="Public partner")

    created = _post(client, "/api/v1/activities/", activity_data)
    changed = _patch(client, f"/api/v1/activities/{activity.pk}", {"title": "Changed"})
    new_organization = _post(client, "/api/v1/organizations/", {"name": "New", "kind": "ngo"})
    renamed = _patch(client, f"/api/v1/organizations/{organization.pk}", {"name": "Renamed"})

    if role in MANAGERS:
        assert [created.status_code, changed.status_code] == [201, 200]
        assert [new_organization.status_code, renamed.status_code] == [201, 200]
    elif role == "anonymous":
        assert {created.status_code, changed.status_code} == {401}
        assert {new_organization.status_code, renamed.status_code} == {401}
    else:
        assert {created.status_code, changed.status_code} == {403}
        assert {new_organization.status_code, renamed.status_code} == {403}
        activity.refresh_from_db()
        assert activity.title == "Published training"
        assert not Organization.objects.filter(name__in=["New", "Renamed"]).exists()


def test_it_creates_publishes_and_patches_through_the_api(api_client_for, activity_data):
    client = api_client_for("coordinator")

    created = _post(client, "/api/v1/activities/", {**activity_data, "is_published": True})
    activity_id = created.json()["id"]
    patched = _patch(
        client,
        f"/api/v1/activities/{activity_id}",
        {
            "participants_total": None,
            "participants_women": None,
            "participants_men": None,
            "participants_with_disabilities": None,
            "is_published": False,
        },
    )

    assert created.status_code == 201
    assert created.json()["is_published"] is True
    assert created.json()["cost_amount"] == "1500.00"
    assert patched.status_code == 200
    assert patched.json()["participants_total"] is None
    assert patched.json()["is_published"] is False
    assert patched.json()["place"] == "Minsk"
    actions = AuditEntry.objects.filter(
        content_type__model="activity", object_id=str(activity_id)
    ).values_list("action", flat=True)
    assert sorted(actions) == ["create", "publish", "unpublish", "update"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"participants_total": 10, "participants_women": 8, "participants_men": 8},
            "participants_women",
        ),
        ({"participants_total": -2}, "participants_total"),
        ({"start_date": "2020-05-10", "end_date": "2020-05-01"}, "end_date"),
        ({"thematic_pillars": ["nope"]}, "thematic_pillars"),
    ],
)
def test_it_answers_invalid_input_with_422_and_field_messages(
    api_client_for, activity_data, changes, field
):
    response = _post(
        api_client_for("coordinator"), "/api/v1/activities/", {**activity_data, **changes}
    )

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Activity.objects.exists()


def test_it_shows_an_organization_with_the_activities_it_took_part_in(client, records):
    organization = Organization.objects.get(name="Public partner")

    body = client.get(f"/api/v1/organizations/{organization.pk}").json()
    listed = client.get("/api/v1/organizations/").json()["items"]

    assert [a["title"] for a in body["activities_as_partner"]] == ["Published training"]
    assert body["activities_as_donor"] == []
    assert listed[0]["activities_as_partner"] == 1
    hidden = Organization.objects.get(name="Draft partner")
    assert client.get(f"/api/v1/organizations/{hidden.pk}").status_code == 404
