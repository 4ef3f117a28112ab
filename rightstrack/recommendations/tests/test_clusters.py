import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from rightstrack.audit.models import AuditEntry
from rightstrack.recommendations import services
from rightstrack.recommendations.models import Cluster
from rightstrack.taxonomy.models import Scheme

from .factories import ClusterFactory, RecommendationFactory, term

pytestmark = pytest.mark.django_db

MANAGERS = ("administrator", "coordinator")
NOT_MANAGERS = ("focal_point", "civil_society", "viewer", "outsider")


def test_it_creates_a_cluster_with_recommendations_and_audits_it(users):
    first, second = RecommendationFactory(), RecommendationFactory()
    cluster = services.cluster_create(
        actor=users["coordinator"],
        name="  Death   penalty ",
        description="Abolition.",
        state="blr",
        recommendations=[first, second.pk],
    )
    assert (cluster.name, cluster.slug, cluster.state.code) == (
        "Death penalty",
        "death-penalty",
        "BLR",
    )
    assert set(cluster.recommendations.all()) == {first, second}
    entry = AuditEntry.objects.get(object_id=str(cluster.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == users["coordinator"]
    assert len(entry.changes["recommendations"]["new"]) == 2


def test_it_gives_each_cluster_its_own_address(users):
    one = services.cluster_create(actor=users["coordinator"], name="Torture")
    two = services.cluster_create(actor=users["coordinator"], name="Torture")
    reserved = services.cluster_create(actor=users["coordinator"], name="New")
    assert (one.slug, two.slug, reserved.slug) == ("torture", "torture-2", "new-2")


def test_it_takes_the_length_limits_from_the_model(users):
    with pytest.raises(ValidationError) as caught:
        services.cluster_create(actor=users["coordinator"], name="n" * 201, description="d" * 5001)

    assert caught.value.message_dict == {
        "name": ["At most 200 characters."],
        "description": ["At most 5000 characters."],
    }


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Ok", "description": "x" * 5001}, "description"),
        ({"name": "Ok", "state": "ZZZ"}, "state"),
        ({"name": "Ok", "recommendations": [999999]}, "recommendations"),
        ({"name": "Ok", "recommendations": ["abc"]}, "recommendations"),
    ],
)
def test_it_refuses_bad_input(users, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        services.cluster_create(actor=users["coordinator"], **kwargs)
    assert field in caught.value.message_dict
    assert not Cluster.objects.exists()


@pytest.mark.parametrize("role", ("anonymous", *NOT_MANAGERS))
def test_it_lets_only_managers_change_clusters(users, role):
    cluster = ClusterFactory(name="Torture")
    recommendation = RecommendationFactory()
    actor = users[role]
    with pytest.raises(PermissionDenied):
        services.cluster_create(actor=actor, name="Other")
    with pytest.raises(PermissionDenied):
        services.cluster_add(actor=actor, cluster=cluster, recommendations=[recommendation])
    with pytest.raises(PermissionDenied):
        services.cluster_remove(actor=actor, cluster=cluster, recommendations=[recommendation])
    with pytest.raises(PermissionDenied):
        services.cluster_update(actor=actor, cluster=cluster, data={"name": "New name"})


def test_it_adds_removes_and_renames(users):
    coordinator = users["coordinator"]
    cluster = services.cluster_create(actor=coordinator, name="Torture")
    first, second = RecommendationFactory(), RecommendationFactory()
    assert services.cluster_add(actor=coordinator, cluster=cluster, recommendations=[first]) == 1
    assert (
        services.cluster_add(actor=coordinator, cluster=cluster, recommendations=[first, second])
        == 1
    )
    assert services.cluster_remove(actor=coordinator, cluster=cluster, recommendations=[first]) == 1
    assert list(cluster.recommendations.all()) == [second]
    services.cluster_update(actor=coordinator, cluster=cluster, data={"name": "Ill-treatment"})
    cluster.refresh_from_db()
    assert (cluster.name, cluster.slug) == ("Ill-treatment", "ill-treatment")
    actions = list(
        AuditEntry.objects.filter(object_id=str(cluster.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "update", "update", "update"]


@pytest.mark.parametrize("role", MANAGERS)
def test_it_puts_ticked_recommendations_in_a_new_cluster_from_the_list(client_for, role):
    first, second = RecommendationFactory(), RecommendationFactory()
    response = client_for(role).post(
        reverse("recommendations:cluster-add"),
        {
            "recommendation": [first.pk, second.pk],
            "new_name": "Detention",
            "next": "/recommendations/?q=x",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/recommendations/?q=x"
    assert set(Cluster.objects.get(slug="detention").recommendations.all()) == {first, second}


def test_it_adds_to_an_existing_cluster_and_ignores_foreign_next_urls(client_for):
    cluster = ClusterFactory(name="Detention")
    recommendation = RecommendationFactory()
    response = client_for("coordinator").post(
        reverse("recommendations:cluster-add"),
        {
            "recommendation": [recommendation.pk],
            "cluster": "detention",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == cluster.get_absolute_url()
    assert list(cluster.recommendations.all()) == [recommendation]


def test_it_explains_a_request_without_recommendations(client_for):
    response = client_for("coordinator").post(
        reverse("recommendations:cluster-add"), {"new_name": "Empty"}, follow=True
    )
    assert "Tick at least one recommendation." in response.content.decode()
    assert not Cluster.objects.exists()


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_it_refuses_cluster_changes_to_others(client_for, role):
    cluster = ClusterFactory(name="Detention")
    recommendation = RecommendationFactory()
    client = client_for(role)
    assert client.get(reverse("recommendations:cluster-create")).status_code == 403
    assert (
        client.post(
            reverse("recommendations:cluster-add"),
            {"recommendation": [recommendation.pk], "new_name": "Mine"},
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("recommendations:cluster-edit", args=[cluster.slug])).status_code == 403
    )
    assert (
        client.post(
            reverse("recommendations:cluster-remove", args=[cluster.slug]),
            {"recommendation": [recommendation.pk]},
        ).status_code
        == 403
    )


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("recommendations:cluster-create"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    response = client.post(reverse("recommendations:cluster-add"), {"new_name": "x"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_creates_and_edits_clusters_through_forms(client_for):
    belarus = term(Scheme.STATE, "BLR", "Belarus")
    client = client_for("coordinator")
    response = client.post(
        reverse("recommendations:cluster-create"),
        {"name": "Torture", "description": "All of it.", "state": belarus.pk},
    )
    cluster = Cluster.objects.get()
    assert response["Location"] == cluster.get_absolute_url()
    invalid = client.post(
        reverse("recommendations:cluster-edit", args=[cluster.slug]), {"name": ""}
    )
    assert invalid.status_code == 200
    assert 'id="id_name_error"' in invalid.content.decode()
    client.post(
        reverse("recommendations:cluster-edit", args=[cluster.slug]), {"name": "Ill-treatment"}
    )
    cluster.refresh_from_db()
    assert cluster.name == "Ill-treatment"


def test_it_shows_a_cluster_with_only_what_the_reader_may_see(client, client_for):
    shown = RecommendationFactory(text="Published one.")
    hidden = RecommendationFactory(text="Draft one.", is_published=False)
    cluster = ClusterFactory(name="Mixed", recommendations=[shown, hidden])
    public = client.get(cluster.get_absolute_url()).content.decode()
    assert "Published one." in public and "Draft one." not in public
    assert "1 recommendation" in public
    assert reverse("recommendations:cluster-remove", args=[cluster.slug]) not in public
    internal = client_for("coordinator").get(cluster.get_absolute_url()).content.decode()
    assert "Draft one." in internal
    assert reverse("recommendations:cluster-remove", args=[cluster.slug]) in internal
    listing = client.get(reverse("recommendations:clusters")).content.decode()
    assert "Mixed" in listing


def test_it_takes_recommendations_out_from_the_cluster_page(client_for):
    first, second = RecommendationFactory(), RecommendationFactory()
    cluster = ClusterFactory(name="Mixed", recommendations=[first, second])
    response = client_for("coordinator").post(
        reverse("recommendations:cluster-remove", args=[cluster.slug]),
        {"recommendation": [first.pk]},
    )
    assert response.status_code == 302
    assert list(cluster.recommendations.all()) == [second]


def test_it_returns_404_for_unknown_clusters(client):
    assert client.get("/recommendations/clusters/nothing-here/").status_code == 404
