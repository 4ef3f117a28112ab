import pytest

from rightstrack.taxonomy.models import Scheme

from .factories import TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets():
    goal = TermFactory(scheme=Scheme.SDG_GOAL, code="16", label_en="Peace, justice")
    return [
        TermFactory(
            scheme=Scheme.SDG_TARGET,
            code=f"16.{number}",
            label_en=f"Target {number}",
            label_ru=f"Задача {number}",
            parent=goal,
            position=number,
        )
        for number in range(1, 11)
    ]


def test_it_lists_the_vocabularies(client, targets, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/api/v1/vocabularies/")
    assert response.status_code == 200
    by_code = {scheme["code"]: scheme for scheme in response.json()}
    assert by_code["sdg-target"] == {"code": "sdg-target", "label": "SDG target", "count": 10}
    assert by_code["sdg-goal"]["count"] == 1


def test_it_lists_terms_page_by_page(client, targets, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/vocabularies/sdg-target")
    body = response.json()
    assert body["count"] == 10
    first = body["items"][0]
    assert first == {
        "code": "16.1",
        "label_en": "Target 1",
        "label_ru": "Задача 1",
        "short_label_en": "",
        "short_label_ru": "",
        "description_en": "",
        "description_ru": "",
        "parent": "16",
        "aliases": [],
        "position": 1,
        "is_active": True,
    }


def test_it_filters_terms(client, targets):
    response = client.get("/api/v1/vocabularies/sdg-target", {"q": "задача 10"})
    assert [item["code"] for item in response.json()["items"]] == ["16.10"]
    response = client.get("/api/v1/vocabularies/sdg-target", {"sort": "code", "parent": "16"})
    assert [item["code"] for item in response.json()["items"]][:3] == ["16.1", "16.10", "16.2"]
    response = client.get("/api/v1/vocabularies/sdg-target", {"parent": "17"})
    assert response.json()["count"] == 0


def test_it_refuses_unknown_vocabularies_and_bad_tokens(client, targets):
    assert client.get("/api/v1/vocabularies/planets").status_code == 404
    response = client.get(
        "/api/v1/vocabularies/sdg-target", HTTP_AUTHORIZATION="Bearer not-a-token"
    )
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["anonymous", "viewer", "focal_point"])
def test_it_shows_vocabularies_to_everyone(api_client_for, targets, role):
    response = api_client_for(role).get("/api/v1/vocabularies/sdg-target")
    assert response.status_code == 200 and response.json()["count"] == 10
