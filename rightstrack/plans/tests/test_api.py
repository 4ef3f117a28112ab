import json

import pytest

from rightstrack.plans.models import ActionPlan
from rightstrack.taxonomy.tests.factories import AgencyFactory

from .factories import IndicatorFactory, RecommendationFactory


def post(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_it_lists_published_plans_to_anonymous_callers_and_all_to_viewers(
    api_client_for, plan, unpublished_plan, measure
):
    anonymous = api_client_for("anonymous").get("/api/v1/plans/").json()
    assert [item["slug"] for item in anonymous["items"]] == [plan.slug]
    assert anonymous["items"][0]["measure_count"] == 1
    viewer = api_client_for("viewer").get("/api/v1/plans/").json()
    assert {item["slug"] for item in viewer["items"]} == {plan.slug, unpublished_plan.slug}
    assert (
        api_client_for("anonymous").get(f"/api/v1/plans/{unpublished_plan.slug}").status_code == 404
    )


@pytest.mark.django_db
def test_it_creates_and_publishes_plans_for_managers_only(api_client_for, plan):
    payload = {"name": "Plan on Disability", "state": "BLR", "is_published": True}
    for role in ("focal_point", "civil_society", "viewer"):
        assert post(api_client_for(role), "/api/v1/plans/", payload).status_code == 403
    assert post(api_client_for("anonymous"), "/api/v1/plans/", payload).status_code == 401
    response = post(api_client_for("coordinator"), "/api/v1/plans/", payload)
    assert response.status_code == 201
    assert response.json()["is_published"] is True
    invalid = post(api_client_for("coordinator"), "/api/v1/plans/", {"name": "", "state": "XX"})
    assert invalid.status_code == 422
    assert set(invalid.json()["errors"]) == {"name", "state"}
    patched = post(
        api_client_for("coordinator"),
        f"/api/v1/plans/{plan.slug}",
        {"is_published": False, "status": "draft", "adoption_date": None},
        method="patch",
    )
    assert patched.status_code == 200
    assert ActionPlan.objects.get(pk=plan.pk).is_published is False


@pytest.mark.django_db
def test_it_answers_409_to_a_measure_update_made_from_an_old_version(api_client_for, measure):
    url = f"/api/v1/measures/{measure.pk}"
    coordinator = api_client_for("coordinator")
    first = post(coordinator, url, {"version": 1, "title": "Train all judges"}, method="patch")
    assert first.status_code == 200 and first.json()["version"] == 2
    second = post(
        api_client_for("administrator"), url, {"version": 1, "title": "Other"}, method="patch"
    )
    assert second.status_code == 409
    conflict = second.json()
    assert conflict["current_version"] == 2
    assert conflict["changes"][0]["by"] == "coordinator"
    assert conflict["changes"][0]["fields"][0]["new"] == "Train all judges"
    assert (
        post(
            api_client_for("focal_point"), url, {"version": 2, "title": "x"}, method="patch"
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_it_lets_focal_points_set_indicator_values_of_their_measures_only(
    api_client_for, measure, other_measure
):
    indicator = IndicatorFactory(measure=measure)
    url = f"/api/v1/measures/{measure.pk}/indicator-values"
    payload = {"version": 1, "values": {str(indicator.pk): "7"}}
    assert post(api_client_for("outsider"), url, payload, method="put").status_code == 403
    response = post(api_client_for("focal_point"), url, payload, method="put")
    assert response.status_code == 200
    assert response.json()["indicators"][0]["current_value"] == "7"
    assert post(api_client_for("focal_point"), url, payload, method="put").status_code == 409


@pytest.mark.django_db
def test_it_creates_measures_and_links_recommendations(api_client_for, plan, agency):
    coordinator = api_client_for("coordinator")
    response = post(
        coordinator,
        "/api/v1/measures/",
        {
            "plan": plan.slug,
            "number": "4.2",
            "title": "Shelters",
            "responsible_agencies": [agency.code],
        },
    )
    assert response.status_code == 201
    measure_id = response.json()["id"]
    recommendation = RecommendationFactory()
    linked = post(
        coordinator, f"/api/v1/measures/{measure_id}/recommendations", {"add": [recommendation.pk]}
    )
    assert linked.json()["recommendations"] == [recommendation.pk]
    assert (
        post(
            api_client_for("focal_point"),
            f"/api/v1/measures/{measure_id}/recommendations",
            {"remove": [recommendation.pk]},
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_a_listed_measure_is_the_measure_read_alone_with_what_the_reader_may_see(
    api_client_for, measure, other_measure, agency, django_assert_max_num_queries
):
    zeta = AgencyFactory(code="zeta", name_en="Ministry of Zeta")
    alpha = AgencyFactory(code="alpha", name_en="Ministry of Alpha")
    measure.responsible_agencies.add(zeta, alpha)
    second = IndicatorFactory(measure=measure, name="Second", position=2)
    first = IndicatorFactory(measure=measure, name="First", position=1)
    published = RecommendationFactory()
    unpublished = RecommendationFactory(is_published=False)
    measure.recommendations.add(unpublished, published)
    for role, recommendations in (
        ("anonymous", [published.pk]),
        ("coordinator", sorted([published.pk, unpublished.pk])),
    ):
        client = api_client_for(role)
        listed = client.get("/api/v1/measures/", {"plan": measure.plan.slug}).json()["items"]
        item = next(item for item in listed if item["id"] == measure.pk)
        assert item == client.get(f"/api/v1/measures/{measure.pk}").json()
        assert item["recommendations"] == recommendations
        assert item["plan"] == measure.plan.slug
        names = sorted([agency, zeta, alpha], key=lambda each: each.name_en)
        assert item["responsible_agencies"] == [each.code for each in names]
        assert [row["id"] for row in item["indicators"]] == [first.pk, second.pk]
    # The page's measures, then their agencies, indicators and recommendations; no more for
    # an empty page.
    with django_assert_max_num_queries(2):
        empty = api_client_for("anonymous").get("/api/v1/measures/", {"plan": "none"}).json()
    assert empty == {"items": [], "count": 0}
