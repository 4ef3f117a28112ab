"""The presences API: the shape of what it returns and how it refuses bad input."""

import pytest

from rightstrack.audit.models import AuditEntry
from rightstrack.presences.models import Presence
from rightstrack.presences.services import presence_create

from .factories import FeatureStoryFactory
from .invalid_input import INVALID_PRESENCE_INPUT

pytestmark = pytest.mark.django_db


@pytest.fixture
def belarus(users, presence_data):
    presence = presence_create(actor=users["coordinator"], data=presence_data)
    Presence.objects.filter(pk=presence.pk).update(is_published=True)
    FeatureStoryFactory(presence=presence, title="Free legal aid", url="")
    return presence


def test_it_returns_the_whole_profile(client, belarus):
    response = client.get("/api/v1/presences/belarus")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "UN Human Rights in Belarus"
    assert body["country"] == {"code": "BLR", "label": "Belarus"}
    assert body["engagement_type"] == "human-rights-adviser"
    assert body["engagement_type_label"] == "Human Rights Adviser"
    assert body["region"] == "europe-central-asia"
    assert body["region_label"] == "Europe and Central Asia"
    assert (body["deployment_start_year"], body["deployment_end_year"]) == (2018, 2021)
    # Not reported is null, never 0 or "".
    assert body["field_offices"] is None
    assert body["staff_count"] is None
    assert body["budget_amount"] == "823000.00"
    assert body["budget_currency"] == "USD"
    assert body["areas_of_focus"] == "<p>Legal aid.</p><p>Alternatives to detention.</p>"
    assert body["partners"] == "UN agencies, civil society."
    assert body["donors"] == "UNDG Human Rights Mainstreaming Fund."
    assert body["thematic_pillars"] == [
        {"code": "mechanisms", "label": "Mechanisms"},
        {"code": "accountability", "label": "Accountability"},
    ]
    assert body["shifts"] == [{"code": "inequalities", "label": "Inequalities"}]
    assert body["spotlight_populations"] == [
        {"code": "persons-with-disabilities", "label": "Persons with disabilities"}
    ]
    assert body["last_reviewed"] == "2020-11"
    assert body["contact_division"] == "Field Operations and Technical Cooperation Division (FOTCD)"
    assert body["contact_section"] == "Europe and Central Asia Section"
    assert body["contact_location"] == "Geneva, Switzerland"
    assert body["contact_email"] == "ecasection@ohchr.org"
    assert body["feature_stories"] == [
        {
            "id": belarus.feature_stories.get().pk,
            "title": "Free legal aid",
            "url": None,
            "summary": "",
            "published_on": None,
        }
    ]
    assert body["is_published"] is True


def test_it_answers_404_for_an_unknown_presence(client, belarus):
    assert client.get("/api/v1/presences/nowhere").status_code == 404


def test_it_creates_and_publishes_in_one_request(api_client_for, presence_data):
    response = api_client_for("coordinator").post(
        "/api/v1/presences/",
        {**presence_data, "is_published": True},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["is_published"] is True
    presence = Presence.objects.get(slug="belarus")
    actions = set(
        AuditEntry.objects.filter(object_id=str(presence.pk)).values_list("action", flat=True)
    )
    assert actions == {AuditEntry.Action.CREATE, AuditEntry.Action.PUBLISH}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    INVALID_PRESENCE_INPUT,
)
def test_it_refuses_invalid_input_with_422_and_the_field(
    api_client_for, presence_data, changes, field, message
):
    response = api_client_for("coordinator").post(
        "/api/v1/presences/", {**presence_data, **changes}, content_type="application/json"
    )

    assert response.status_code == 422
    assert any(message in text for text in response.json()["errors"][field])
    assert not Presence.objects.exists()


def test_it_refuses_a_wrongly_typed_value_with_422(api_client_for, presence_data):
    response = api_client_for("coordinator").post(
        "/api/v1/presences/",
        {**presence_data, "staff_count": "many"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert not Presence.objects.exists()


def test_it_changes_only_the_fields_sent(api_client_for, belarus):
    response = api_client_for("coordinator").patch(
        "/api/v1/presences/belarus",
        {"staff_count": 3, "shifts": ["inequalities", "civic-space"]},
        content_type="application/json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["staff_count"] == 3
    assert [term["code"] for term in body["shifts"]] == ["inequalities", "civic-space"]
    assert body["title"] == "UN Human Rights in Belarus"
    assert body["budget_amount"] == "823000.00"
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).get()
    assert set(entry.changes) == {"staff_count", "shifts"}


def test_it_validates_a_patch_against_the_stored_values(api_client_for, belarus):
    response = api_client_for("coordinator").patch(
        "/api/v1/presences/belarus",
        {"deployment_start_year": 2022},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "deployment_end_year" in response.json()["errors"]


def test_it_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert {"get", "post"} <= set(schema["paths"]["/api/v1/presences/"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/presences/{slug}"])
    assert client.get("/api/v1/docs").status_code == 200
