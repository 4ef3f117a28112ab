import json

import pytest
from django.urls import reverse

from rightstrack.intelligence.services import suggest_tags
from rightstrack.recommendations.models import (
    ImportBatch,
    Recommendation,
    RecommendationTag,
    TagSource,
    TagStatus,
)
from rightstrack.recommendations.tests.factories import RecommendationFactory

from ...accounts.tests.fixtures import ALL_ROLES

pytestmark = pytest.mark.django_db

REVIEW = reverse("intelligence:review")
DEATH_PENALTY = "Abolish the death penalty and declare a moratorium on executions"


@pytest.fixture
def suggested(trained_taggers, vocabulary):
    batch = ImportBatch.objects.create(format="upr-info", file_name="new.csv", checksum="x")
    recommendations = [
        RecommendationFactory(text=DEATH_PENALTY, import_batch=batch),
        RecommendationFactory(
            text="Ensure gender equality for women and girls", import_batch=batch
        ),
    ]
    suggest_tags(recommendations=Recommendation.objects.all(), taggers=trained_taggers)
    tag = RecommendationTag.objects.filter(
        recommendation=recommendations[0], term__label_en="Death penalty"
    ).get()
    return {"batch": batch, "recommendations": recommendations, "tag": tag}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_shows_the_review_page_to_internal_readers_only(client_for, role, suggested):
    response = client_for(role).get(REVIEW)
    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("administrator", "coordinator", "viewer"):
        assert response.status_code == 200
        assert "Death penalty" in response.content.decode()
        has_buttons = 'action="/intelligence/suggestions/' in response.content.decode()
        assert has_buttons == (role != "viewer")
    else:
        assert response.status_code == 403


def test_it_filters_by_batch_scheme_and_confidence(client_for, suggested):
    client = client_for("coordinator")
    response = client.get(REVIEW, {"scheme": "action-category"})
    page = response.context["page"]
    assert page.paginator.count == 2
    assert all(
        tag.term.scheme == "action-category"
        for recommendation in page.object_list
        for tag in recommendation.suggestions
    )
    response = client.get(REVIEW, {"max_confidence": "0.01"})
    assert response.context["page"].paginator.count == 0
    other = ImportBatch.objects.create(format="upr-info", file_name="other.csv", checksum="z")
    response = client.get(REVIEW, {"batch": other.pk})
    assert response.context["page"].paginator.count == 0
    response = client.get(REVIEW, {"batch": suggested["batch"].pk})
    assert response.context["page"].paginator.count == 2
    response = client.get(REVIEW, {"batch": suggested["batch"].pk, "min_confidence": "abc"})
    assert response.status_code == 200
    assert "min_confidence" in response.context["form"].errors


def test_it_returns_only_the_results_to_htmx(client_for, suggested):
    response = client_for("coordinator").get(REVIEW, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "result-count" in html


def test_it_lists_with_a_fixed_number_of_queries(
    client_for, suggested, django_assert_max_num_queries
):
    client = client_for("coordinator")
    for _ in range(20):
        RecommendationFactory(text=DEATH_PENALTY, import_batch=suggested["batch"])
    with django_assert_max_num_queries(14):
        response = client.get(REVIEW, headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_it_remembers_the_lists_length_until_the_suggestions_change(client_for, suggested):
    client = client_for("coordinator")
    counted = client.get(REVIEW).context["page"].paginator.count
    assert client.get(REVIEW).context["page"].paginator.count == counted

    RecommendationTag.objects.filter(recommendation=suggested["recommendations"][1]).update(
        status=TagStatus.REJECTED
    )

    assert client.get(REVIEW).context["page"].paginator.count == counted - 1
    assert client.get(REVIEW, {"status": "rejected"}).context["page"].paginator.count == 1


def test_it_accepts_and_rejects_without_javascript(client_for, suggested, users):
    client = client_for("coordinator")
    tag = suggested["tag"]
    response = client.post(
        reverse("intelligence:accept", args=[tag.pk]), {"next": REVIEW + "?page=1"}
    )
    assert response.status_code == 302 and response.url == REVIEW + "?page=1"
    tag.refresh_from_db()
    assert tag.status == TagStatus.ACCEPTED and tag.decided_by == users["coordinator"]
    response = client.post(
        reverse("intelligence:reject", args=[tag.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == REVIEW
    tag.refresh_from_db()
    assert tag.status == TagStatus.REJECTED


def test_it_updates_one_row_with_htmx(client_for, suggested):
    tag = suggested["tag"]
    response = client_for("administrator").post(
        reverse("intelligence:accept", args=[tag.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="suggestion-{tag.pk}"' in html and "Accepted" in html and "<html" not in html


@pytest.mark.parametrize("role", ["viewer", "focal_point", "civil_society", "outsider"])
def test_it_refuses_decisions_from_others(client_for, suggested, role):
    tag = suggested["tag"]
    client = client_for(role)
    assert client.post(reverse("intelligence:accept", args=[tag.pk])).status_code == 403
    assert client.post(reverse("intelligence:reject", args=[tag.pk])).status_code == 403
    response = client.post(
        reverse("intelligence:accept-above"),
        {"batch": suggested["batch"].pk, "threshold": "0"},
    )
    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.status == TagStatus.SUGGESTED


def test_it_accepts_a_whole_batch_above_a_threshold(client_for, suggested):
    response = client_for("coordinator").post(
        reverse("intelligence:accept-above"),
        {"batch": suggested["batch"].pk, "threshold": "0.0", "scheme": ""},
    )
    assert response.status_code == 302
    assert not RecommendationTag.objects.filter(status=TagStatus.SUGGESTED).exists()
    response = client_for("coordinator").post(
        reverse("intelligence:accept-above"), {"batch": suggested["batch"].pk, "threshold": "7"}
    )
    assert response.status_code == 302


def test_it_never_shows_a_suggestion_to_the_public(client, suggested, users):
    """Anonymous readers see accepted tags only: on the page and through the API."""
    recommendation = suggested["recommendations"][0]
    tag = suggested["tag"]
    detail = reverse("recommendations:detail", args=[recommendation.pk])
    api = f"/api/v1/recommendations/{recommendation.pk}"

    assert "Death penalty" not in client.get(detail).content.decode()
    assert "Death penalty" not in client.get(api).content.decode()
    listing = client.get(reverse("recommendations:list")).content.decode()
    assert "Death penalty" not in listing
    assert "Death penalty" not in client.get("/api/v1/recommendations").content.decode()
    export = client.get(reverse("recommendations:export", args=["csv"]))
    assert export.status_code == 200
    body = b"".join(export.streaming_content)
    assert b"Death penalty" not in body and len(body.splitlines()) == 3

    from rightstrack.intelligence.services import suggestion_accept

    suggestion_accept(actor=users["coordinator"], tag=tag)
    assert "Death penalty" in client.get(detail).content.decode()
    body = json.loads(client.get(api).content)
    assert "Death penalty" in json.dumps(body)


def test_it_shows_suggestions_through_the_api_to_internal_readers(api_client_for, suggested):
    anonymous = api_client_for("anonymous").get("/api/v1/intelligence/suggestions")
    assert anonymous.status_code == 401
    assert api_client_for("focal_point").get("/api/v1/intelligence/suggestions").status_code == 403
    response = api_client_for("viewer").get(
        "/api/v1/intelligence/suggestions", {"scheme": "upr-info-issue"}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert items and all(item["term"]["scheme"] == "upr-info-issue" for item in items)
    assert all(item["status"] == "suggested" for item in items)


def test_it_decides_through_the_api(api_client_for, suggested):
    tag = suggested["tag"]
    refused = api_client_for("viewer").post(f"/api/v1/intelligence/suggestions/{tag.pk}/accept")
    assert refused.status_code == 403
    response = api_client_for("coordinator").post(
        f"/api/v1/intelligence/suggestions/{tag.pk}/accept"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["decided_by"] == "coordinator"
    response = api_client_for("coordinator").post(
        "/api/v1/intelligence/suggestions/accept-above",
        json.dumps({"batch": suggested["batch"].pk, "threshold": 0.0}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["accepted"] >= 1
    bad = api_client_for("coordinator").post(
        "/api/v1/intelligence/suggestions/accept-above",
        json.dumps({"batch": 999999, "threshold": 0.5}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert (
        RecommendationTag.objects.filter(source=TagSource.MACHINE, status="suggested").count() == 0
    )
