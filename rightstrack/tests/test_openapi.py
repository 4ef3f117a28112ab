"""The OpenAPI document at /api/v1/openapi.json describes what the API answers."""

import pytest
from ninja.openapi.schema import OpenAPISchema

from rightstrack.activities.tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    PresenceFactory,
)
from rightstrack.api import api
from rightstrack.recommendations.tests.factories import (
    ClusterFactory,
    RecommendationFactory,
    TagFactory,
    term,
)
from rightstrack.taxonomy.models import Scheme

from .openapi_check import mismatches, response_schema

pytestmark = pytest.mark.django_db


def test_it_gives_each_schema_name_one_definition(monkeypatch):
    # ninja keeps one definition per schema name: a second class of the same name silently
    # replaces the first in the document. Record every definition it is given instead.
    given = {}
    add = OpenAPISchema.add_schema_definitions

    def record(schema, definitions):
        for name, definition in definitions.items():
            given.setdefault(name, []).append(definition)
        add(schema, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", record)
    api.get_openapi_schema()

    assert "TermOut" in given
    merged = {
        name: definitions
        for name, definitions in given.items()
        if any(definition != definitions[0] for definition in definitions)
    }
    assert merged == {}


@pytest.fixture
def term_bearing_records():
    belarus = term(Scheme.STATE, "BLR", "Belarus")
    pillar = term(Scheme.THEMATIC_PILLAR, "mechanisms", "Mechanisms")
    population = term(Scheme.SPOTLIGHT_POPULATION, "youth", "Youth")
    presence = PresenceFactory(slug="belarus", country=belarus)
    presence.thematic_pillars.set([pillar])
    presence.spotlight_populations.set([population])
    recommendation = RecommendationFactory(
        action_category=term(Scheme.ACTION_CATEGORY, "4", "General action"),
        recommending_states=[term(Scheme.STATE, "FRA", "France")],
        tags=[term(Scheme.UHRI_THEME, "torture", "Torture")],
    )
    TagFactory(
        recommendation=recommendation,
        term=term(Scheme.UHRI_THEME, "education", "Education"),
        machine_suggestion=True,
        confidence=0.8,
    )
    ClusterFactory(name="Torture", state=belarus, recommendations=[recommendation])
    organization = OrganizationFactory(country=belarus)
    activity = ActivityFactory(
        presence=presence,
        partners=[organization],
        thematic_pillars=[pillar],
        target_populations=[population],
        target_affected_persons=[term(Scheme.AFFECTED_PERSONS, "women", "Women")],
        recommendations=[recommendation],
    )
    return {"activity": activity, "organization": organization, "recommendation": recommendation}


def test_it_answers_the_term_bearing_endpoints_as_the_document_says(
    api_client_for, term_bearing_records
):
    client = api_client_for("administrator")
    document = client.get("/api/v1/openapi.json").json()
    records = term_bearing_records
    answers = {
        "/api/v1/activities/": "/api/v1/activities/",
        "/api/v1/activities/{activity_id}": f"/api/v1/activities/{records['activity'].pk}",
        "/api/v1/organizations/": "/api/v1/organizations/",
        "/api/v1/organizations/{organization_id}": (
            f"/api/v1/organizations/{records['organization'].pk}"
        ),
        "/api/v1/presences/": "/api/v1/presences/",
        "/api/v1/presences/{slug}": "/api/v1/presences/belarus",
        "/api/v1/recommendations": "/api/v1/recommendations?facets=true",
        "/api/v1/recommendations/{recommendation_id}": (
            f"/api/v1/recommendations/{records['recommendation'].pk}"
        ),
        "/api/v1/recommendations/clusters": "/api/v1/recommendations/clusters",
        "/api/v1/recommendations/clusters/{slug}": "/api/v1/recommendations/clusters/torture",
        "/api/v1/intelligence/suggestions": "/api/v1/intelligence/suggestions",
        "/api/v1/vocabularies/{scheme}": "/api/v1/vocabularies/state",
    }
    for documented, url in answers.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        assert body.get("items", body.get("results", [body])), f"{url} answered no records"
        assert mismatches(body, response_schema(document, documented), document) == [], url
