import pytest

from rightstrack.recommendations.models import Cluster
from rightstrack.taxonomy.models import Scheme

from .factories import ClusterFactory, DocumentFactory, RecommendationFactory, TagFactory, term

pytestmark = pytest.mark.django_db

API = "/api/v1/recommendations"


def test_it_searches_and_filters_like_the_page(client):
    theme = term(Scheme.UHRI_THEME, "torture", "Torture")
    ukraine = term(Scheme.STATE, "UKR", "Ukraine")
    wanted = RecommendationFactory(text="Prevent torture.", tags=[theme], state=ukraine)
    RecommendationFactory(text="Prevent torture elsewhere.")
    RecommendationFactory(text="Protect journalists.", state=ukraine)
    body = client.get(API, {"q": "torture", "state": "UKR"}).json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [wanted.pk]
    row = body["results"][0]
    assert row["state"] == {"code": "UKR", "label": "Ukraine"}
    assert row["tags"][0]["code"] == "torture"
    assert body["facets"] is None
    with_facets = client.get(API, {"q": "torture", "facets": "true"}).json()
    states = next(facet for facet in with_facets["facets"] if facet["key"] == "state")
    assert {value["value"]: value["count"] for value in states["values"]} == {"BLR": 1, "UKR": 1}


def test_it_paginates_with_limit_and_offset(client):
    # One document: the number sort orders by document first, and the factory's document
    # symbols sort as text ("A/HRC/10/16" before "A/HRC/9/16") once earlier tests used them.
    document = DocumentFactory()
    for number in range(5):
        RecommendationFactory(number=f"{number}", document=document)
    body = client.get(API, {"limit": 2, "offset": 3, "sort": "number"}).json()
    assert body["count"] == 5
    assert [row["number"] for row in body["results"]] == ["3", "4"]
    assert client.get(API, {"limit": 10_000}).json()["limit"] == 200
    assert client.get(API, {"offset": 99}).json()["results"] == []


def test_it_survives_odd_queries(client):
    RecommendationFactory(text="Some text.")
    for q in ['"', "AND (", "NEAR(", "*"]:
        assert client.get(API, {"q": q}).status_code == 200


def test_it_hides_unpublished_and_suggested_from_the_public(client, api_client_for):
    hidden = RecommendationFactory(text="Draft.", is_published=False)
    shown = RecommendationFactory(text="Published.")
    TagFactory(
        recommendation=shown,
        term=term(Scheme.UHRI_THEME, "suggested", "Suggested"),
        machine_suggestion=True,
        confidence=0.5,
    )
    public = client.get(API).json()
    assert [row["id"] for row in public["results"]] == [shown.pk]
    assert public["results"][0]["tags"] == []
    assert client.get(f"{API}/{hidden.pk}").status_code == 404
    viewer = api_client_for("viewer")
    assert viewer.get(API).json()["count"] == 2
    detail = viewer.get(f"{API}/{shown.pk}").json()
    assert detail["tags"][0]["status"] == "suggested"
    assert client.get(API, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_it_reads_one_recommendation(client):
    france = term(Scheme.STATE, "FRA", "France")
    recommendation = RecommendationFactory(
        recommending_states=[france], wordings=[{"text": "Do it.", "states": ["FRA"]}]
    )
    ClusterFactory(name="Care", recommendations=[recommendation])
    body = client.get(f"{API}/{recommendation.pk}").json()
    assert body["recommending_states"] == [{"code": "FRA", "label": "France"}]
    assert body["wordings"] == [{"text": "Do it.", "states": ["FRA"]}]
    assert body["clusters"] == [{"slug": "care", "name": "Care"}]
    assert body["document"]["symbol"] == recommendation.document.symbol
    assert client.get(f"{API}/999999").status_code == 404


def test_it_lists_recommendations_in_few_queries(
    client, thirty_on_torture, django_assert_max_num_queries
):
    # 5, plus the data version that keys the search's remembered results (counts.py), the
    # read of what the count job prepared of it (nothing here), and the search noted as asked
    # (counts.note_asked: once in ten minutes per process, in a transaction of its own with
    # its lock wait set and reset; the searches asked long ago forgotten in it).
    with django_assert_max_num_queries(13):
        body = client.get(API, {"q": "torture"}).json()
    assert len(body["results"]) == 30
    # Asked again, the count and the ids are remembered: the version and the rows alone.
    with django_assert_max_num_queries(4):
        again = client.get(API, {"q": "torture"}).json()
    assert again == body


def test_it_lists_and_reads_clusters(client):
    shown = RecommendationFactory()
    hidden = RecommendationFactory(is_published=False)
    ClusterFactory(name="Care", recommendations=[shown, hidden])
    listing = client.get(f"{API}/clusters").json()
    assert listing["count"] == 1
    assert listing["results"][0]["size"] == 1
    detail = client.get(f"{API}/clusters/care").json()
    assert detail["recommendations"] == [shown.pk]
    assert client.get(f"{API}/clusters/nothing").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 201),
        ("administrator", 201),
        ("viewer", 403),
        ("focal_point", 403),
        ("civil_society", 403),
        ("anonymous", 401),
    ],
)
def test_it_creates_clusters_for_managers_only(api_client_for, role, status):
    recommendation = RecommendationFactory()
    response = api_client_for(role).post(
        f"{API}/clusters",
        {"name": "Care", "state": "BLR", "recommendations": [recommendation.pk]},
        content_type="application/json",
    )
    assert response.status_code == status
    if status == 201:
        assert response.json()["recommendations"] == [recommendation.pk]
    else:
        assert not Cluster.objects.exists()


def test_it_explains_invalid_clusters(api_client_for):
    response = api_client_for("coordinator").post(
        f"{API}/clusters",
        {"name": "", "recommendations": [123456]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"name"}
