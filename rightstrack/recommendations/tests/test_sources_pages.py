"""Sources on the recommendation's page and in the API; the review queue; merge, undo, split."""

import pytest

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.core.roles import Role
from rightstrack.recommendations.models import MatchCandidate, Recommendation, RecommendationMerge
from rightstrack.recommendations.services import import_file
from rightstrack.taxonomy.models import Scheme, Term

from .import_helpers import small_vocabulary, write_upr_info, write_wg_report

pytestmark = pytest.mark.django_db

API = "/api/v1/recommendations"
HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"


@pytest.fixture
def world(tmp_path):
    """The small report, then UPR Info rows: one joins 98.16 (the report says pending, the row
    Noted: the definite position stands, no disagreement); one joins 97.1 and says Noted where
    the report says supported (they disagree); one is doubtful (queued)."""
    small_vocabulary()
    report = write_wg_report(tmp_path / "A-HRC-15-16.txt")
    import_file(user=None, format="un-wg-report", path=report)
    rows = [
        HEADER,
        'Belarus,EEG,,"Introduce a moratorium",Lithuania,,,Noted,,,8',
        'Belarus,EEG,,"Continue cooperation with the United Nations",France,,,Noted,,,8',
        'Belarus,EEG,,"Continue cooperation with United Nations agencies",Chile,,,,,,8',
    ]
    import_file(user=None, format="upr-info", path=write_upr_info(tmp_path / "u.csv", rows))
    return {
        "moratorium": Recommendation.objects.get(number="98.16"),
        "cooperation": Recommendation.objects.get(number="97.1"),
        "doubtful": Recommendation.objects.get(text__startswith="Continue cooperation with Un"),
    }


def coordinator_client(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    return client


def test_it_shows_each_source_and_which_stands(client, world):
    page = client.get(world["moratorium"].get_absolute_url()).content.decode()

    assert "Sources" in page
    assert "doc:A/HRC/15/16#98.16" in page
    assert "Introduce a moratorium" in page
    assert page.count(">stands<") == 2  # the report stands; the row's position (Noted) stands
    assert "Split off" not in page  # the public reads, never splits


def test_it_filters_the_recommendations_whose_sources_disagree(client, world):
    assert world["cooperation"].sources_disagree
    assert not world["moratorium"].sources_disagree

    page = client.get("/recommendations/", {"sources": "disagree"}).content.decode()
    body = client.get(API, {"sources": "disagree"}).json()

    assert f'href="/recommendations/{world["cooperation"].pk}/"' in page
    assert f'href="/recommendations/{world["moratorium"].pk}/"' not in page
    assert [row["id"] for row in body["results"]] == [world["cooperation"].pk]
    assert body["results"][0]["sources_disagree"] is True


def test_it_lists_the_review_queue_for_coordinators_only(client, world):
    client.force_login(UserFactory(role=Role.VIEWER))
    assert client.get("/recommendations/duplicates/").status_code == 403

    page = coordinator_client(client).get("/recommendations/duplicates/").content.decode()

    assert "Continue cooperation with United Nations agencies" in page
    assert "The same recommendation: merge" in page


def test_it_keeps_a_doubtful_pair_separate_from_the_queue(client, world):
    candidate = MatchCandidate.objects.get()

    response = coordinator_client(client).post(
        f"/recommendations/duplicates/{candidate.pk}/", {"decision": "separate"}
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == MatchCandidate.Status.SEPARATE
    assert Recommendation.objects.filter(pk=world["doubtful"].pk).exists()
    assert "No possible duplicates" in client.get("/recommendations/duplicates/").content.decode()


def _similarities(page):
    """The similarity headings of the review queue, in the page's order."""
    return [part.split("<")[0] for part in page.split("Similarity ")[1:]]


def test_it_filters_the_review_queue_by_state_and_status_and_sorts_it(client, world):
    waiting = MatchCandidate.objects.get()
    MatchCandidate.objects.create(source=waiting.source, candidate=world["moratorium"], score=0.99)
    coordinator = coordinator_client(client)
    state = world["doubtful"].state.code

    likeliest = coordinator.get("/recommendations/duplicates/").content.decode()
    least_likely = coordinator.get("/recommendations/duplicates/", {"sort": "least-likely"})

    assert _similarities(likeliest) == ["0.99", f"{waiting.score:.2f}"]
    assert _similarities(least_likely.content.decode()) == [f"{waiting.score:.2f}", "0.99"]
    assert "2 await review." in likeliest
    one_state = coordinator.get("/recommendations/duplicates/", {"state": state})
    assert "2 possible duplicates match the filters." in one_state.content.decode()
    elsewhere = Term.objects.filter(scheme=Scheme.STATE).exclude(code=state).first()
    if elsewhere is not None:
        other = coordinator.get("/recommendations/duplicates/", {"state": elsewhere.code})
        assert "No possible duplicates match the filters." in other.content.decode()

    coordinator.post(f"/recommendations/duplicates/{waiting.pk}/", {"decision": "separate"})

    decided = coordinator.get("/recommendations/duplicates/", {"status": "separate"})
    page = decided.content.decode()
    assert _similarities(page) == [f"{waiting.score:.2f}"]
    assert "Kept separate by" in page
    assert "The same recommendation: merge" not in page
    assert _similarities(coordinator.get("/recommendations/duplicates/").content.decode()) == [
        "0.99"
    ]


def test_it_answers_the_review_queue_in_a_constant_number_of_queries(
    client, world, django_assert_num_queries, django_assert_max_num_queries
):
    waiting = MatchCandidate.objects.get()
    coordinator = coordinator_client(client)
    coordinator.get("/recommendations/duplicates/")
    # session, user, the menu's counts, the States' choices, the count, the page (its
    # recommendations, States, documents and deciders joined)
    with django_assert_max_num_queries(7) as one:
        coordinator.get("/recommendations/duplicates/", {"status": "open"})
    for recommendation in Recommendation.objects.exclude(pk=waiting.candidate_id)[:4]:
        MatchCandidate.objects.create(source=waiting.source, candidate=recommendation, score=0.7)

    with django_assert_num_queries(len(one.captured_queries)):
        page = coordinator.get("/recommendations/duplicates/", {"status": "open"})
    assert len(page.context["page"].object_list) == 5


def test_it_merges_and_undoes_from_the_page(client, world):
    target, merged = world["cooperation"], world["doubtful"]
    coordinator_client(client)

    response = client.post(f"/recommendations/{target.pk}/merge/", {"merged": merged.pk})

    assert response.status_code == 302
    assert not Recommendation.objects.filter(pk=merged.pk).exists()
    assert target.sources.count() == 3
    assert "Undo the merge" in client.get(target.get_absolute_url()).content.decode()
    merge = RecommendationMerge.objects.get()
    client.post(f"/recommendations/merges/{merge.pk}/undo/")
    assert Recommendation.objects.filter(pk=merged.pk).exists()
    assert target.sources.count() == 2
    refused = client.post(f"/recommendations/{target.pk}/merge/", {"merged": "x"})
    assert refused.status_code == 302
    assert target.sources.count() == 2


def test_it_splits_a_source_off_from_the_page(client, world):
    row = world["moratorium"].sources.get(kind="database-export")

    response = coordinator_client(client).post(f"/recommendations/sources/{row.pk}/split/")

    row.refresh_from_db()
    assert response.status_code == 302
    assert response.url == f"/recommendations/{row.recommendation_id}/"
    assert row.recommendation_id != world["moratorium"].pk
    assert world["moratorium"].sources.count() == 1


def test_it_merges_undoes_and_decides_through_the_api(api_client_for, world):
    coordinator = api_client_for("coordinator")
    target, merged = world["cooperation"], world["doubtful"]
    queue = coordinator.get(f"{API}/duplicates").json()
    assert [row["candidate"] for row in queue["results"]] == [target.pk]
    decided = coordinator.post(
        f"{API}/duplicates/{queue['results'][0]['id']}",
        {"same": False},
        content_type="application/json",
    )
    assert decided.status_code == 204
    assert coordinator.get(f"{API}/duplicates").json()["count"] == 0
    forbidden = api_client_for("viewer").post(
        f"{API}/{target.pk}/merge", {"merged": merged.pk}, content_type="application/json"
    )
    assert forbidden.status_code == 403

    body = coordinator.post(
        f"{API}/{target.pk}/merge", {"merged": merged.pk}, content_type="application/json"
    ).json()

    assert len(body["sources"]) == 3
    assert [source["stands"] for source in body["sources"]] == [True, False, False]
    merge = RecommendationMerge.objects.get()
    restored = coordinator.post(f"{API}/merges/{merge.pk}/undo").json()
    assert restored["id"] == merged.pk
    assert len(restored["sources"]) == 1
    refused = coordinator.post(
        f"{API}/{target.pk}/merge", {"merged": target.pk}, content_type="application/json"
    )
    assert refused.status_code == 422


def test_it_counts_the_duplicates_to_review_in_a_coordinators_to_do(client, world):
    import datetime

    from rightstrack.notifications.extensions import MERGE_CANDIDATES
    from rightstrack.notifications.selectors import work_for

    coordinator = UserFactory(role=Role.COORDINATOR)
    viewer = UserFactory(role=Role.VIEWER)
    today = datetime.date.today()

    items = {item.key: item for item in work_for(user=coordinator, today=today)}
    assert (
        items[MERGE_CANDIDATES].count == MatchCandidate.objects.filter(status="open").count() == 1
    )
    assert items[MERGE_CANDIDATES].url == "/recommendations/duplicates/"
    assert MERGE_CANDIDATES not in {item.key for item in work_for(user=viewer, today=today)}

    MatchCandidate.objects.update(status=MatchCandidate.Status.SEPARATE)
    items = {item.key: item for item in work_for(user=coordinator, today=today)}
    assert items[MERGE_CANDIDATES].count == 0


def test_it_stops_counting_the_work_waiting_and_says_more(client, world, monkeypatch):
    """The menu of every staff page counts the work waiting only so far: past it, "N+"."""
    from rightstrack.notifications import selectors

    monkeypatch.setattr(selectors, "WORK_COUNTED_UP_TO", 1)
    waiting = MatchCandidate.objects.get(status="open")
    MatchCandidate.objects.create(source=waiting.source, candidate=world["moratorium"], score=0.6)
    coordinator = coordinator_client(client)

    page = coordinator.get("/").content.decode()

    assert '<span class="work-count">1+</span>' in page
    assert "</span>1+</span>" in page  # the menu's count
    MatchCandidate.objects.filter(candidate=world["moratorium"]).delete()
    page = coordinator.get("/").content.decode()
    assert '<span class="work-count">1</span>' in page
