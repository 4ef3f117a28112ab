"""The indexes as jobs: built by themselves, kept current with a segment of the new rows, and
what pages and the API say while they are being built."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from rightstrack.intelligence import index_builds, semantic, similarity
from rightstrack.intelligence.index_builds import build_indexes, update_indexes
from rightstrack.intelligence.indexes import index_path, segment_path
from rightstrack.intelligence.jobs import (
    BUILD_INDEXES_JOB,
    TRAIN_TAGGERS_JOB,
    UPDATE_INDEXES_JOB,
    start_index_build,
    start_index_update,
    start_training,
)
from rightstrack.intelligence.selectors import semantic_index_status
from rightstrack.jobs.models import Job
from rightstrack.jobs.services import job_run
from rightstrack.recommendations.models import Recommendation
from rightstrack.recommendations.tests.factories import RecommendationFactory

from .test_similarity import TEXTS

pytestmark = pytest.mark.django_db

SIMILAR_API = "/api/v1/intelligence/similar/{}"
SEMANTIC_API = "/api/v1/intelligence/semantic"


@pytest.fixture
def queued(settings):
    """Jobs wait for a worker (the database backend) instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    settings.INTELLIGENCE_AUTO_BUILD = True


def test_it_adds_new_recommendations_in_a_segment_without_rewriting_the_index():
    first = [RecommendationFactory(text=text) for text in TEXTS[:6]]
    build_indexes()
    built = {name: index_path(name).stat().st_mtime_ns for name in ("similarity", "semantic")}
    added = RecommendationFactory(
        text="Impose a moratorium on executions and abolish death penalty"
    )
    changed = first[5]
    Recommendation.objects.filter(pk=changed.pk).update(text=TEXTS[7])
    changed.refresh_from_db()  # updated_at is not touched by update(): save() does it
    changed.save()

    update = update_indexes()

    assert update.rows == {"similarity": 2, "semantic": 2} and not update.rebuild
    for name in ("similarity", "semantic"):
        assert index_path(name).stat().st_mtime_ns == built[name]
        assert segment_path(name).exists()
    index = similarity.load_similarity_index()
    assert index.ids.tolist() == sorted([*(r.pk for r in first), added.pk])
    # The new text is compared by its own row: its nearest is the other moratorium.
    nearest = [pk for pk, _score in index.nearest(pk=added.pk, k=2)]
    assert set(nearest) & {first[0].pk, first[1].pk}
    # The changed text's row is its new text (the judiciary), not the old one (education).
    ((best, _score),) = index.nearest(text=TEXTS[7], k=1)
    assert best == changed.pk
    ((best, _score),) = index.nearest(text=TEXTS[5], k=1)
    assert best == first[4].pk
    ranked = semantic.semantic_rank(query="moratorium executions", limit=3)
    assert added.pk in [pk for pk, _score in ranked]


def test_it_asks_for_a_full_build_when_the_segment_would_outgrow_its_share(monkeypatch):
    for text in TEXTS[:4]:
        RecommendationFactory(text=text)
    build_indexes()
    monkeypatch.setattr(index_builds, "SEGMENT_MINIMUM", 1)
    for text in TEXTS[4:]:
        RecommendationFactory(text=text)

    assert update_indexes().rebuild
    assert not segment_path("similarity").exists()


def test_it_says_the_index_is_being_built_then_ready(queued, client, client_for):
    recommendation = RecommendationFactory(text=TEXTS[0])
    other = RecommendationFactory(text=TEXTS[1])
    RecommendationFactory(text=TEXTS[2])
    assert semantic_index_status(user=None).state == "missing"
    assert client.get(SIMILAR_API.format(recommendation.pk)).json()["index_status"]["state"] == (
        "missing"
    )

    job = start_index_build()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=1, total=4)

    status = semantic_index_status(user=None)
    assert (status.state, status.percent) == ("building", 25)
    similar = client.get(SIMILAR_API.format(recommendation.pk))
    assert similar.status_code == 200
    assert similar.json()["index_status"]["state"] == "building"
    assert similar.json()["index_status"]["percent"] == 25
    found = client.get(SEMANTIC_API, {"q": "moratorium"})
    assert found.status_code == 200 and found.json()["mode"] == "words"
    assert {item["id"] for item in found.json()["results"]} == {recommendation.pk, other.pk}
    panel = reverse("intelligence:similar", args=[recommendation.pk])
    public = client.get(panel).content.decode()
    assert "being prepared" in public and "25%" not in public and "similarity build" not in public
    assert "25% done" in client_for("coordinator").get(panel).content.decode()
    listing = client.get(reverse("recommendations:list"), {"q": "moratorium", "mode": "meaning"})
    assert "Search by meaning is being prepared" in listing.content.decode()

    Job.objects.filter(pk=job.pk).update(status=Job.Status.PENDING)
    job_run(job.pk)  # what the worker does

    assert semantic_index_status(user=None).state == "ready"
    answer = client.get(SEMANTIC_API, {"q": "moratorium"}).json()
    assert answer["mode"] == "meaning" and answer["index_status"]["state"] == "ready"


def test_it_queues_one_build_and_updates_after_it(queued):
    RecommendationFactory(text=TEXTS[0])
    first = start_index_build()
    assert start_index_build() == first
    # Before any index exists an update is the build.
    assert start_index_update() == first
    job_run(first.pk)
    update = start_index_update()
    assert update.kind == UPDATE_INDEXES_JOB and start_index_update() == update


# The worker's task loop closes database connections between tasks, as a long-running process
# must; inside a test's open transaction (PostgreSQL) that would end it, so this test commits.
@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_queues_the_indexes_nobody_built(queued, settings):
    # The worker's heartbeat thread stays asleep, as in the jobs tests: the test database (SQLite
    # in memory, its cache shared between connections) answers a thread's lock with an error at
    # once where a database file waits, so a heartbeat beside the worker's exclusive transaction
    # failed the test now and then ("database table is locked"). Heartbeats are tested apart.
    settings.JOBS_HEARTBEAT_SECONDS = 3600
    # A worker on an empty database: nothing to index, nothing queued.
    call_command("worker", batch=True, in_process=True, verbosity=0)
    assert not Job.objects.filter(kind=BUILD_INDEXES_JOB).exists()
    RecommendationFactory(text=TEXTS[0])

    from rightstrack.intelligence.jobs import queue_missing_work

    queue_missing_work()
    queue_missing_work()

    assert Job.objects.filter(kind=BUILD_INDEXES_JOB, status=Job.Status.PENDING).count() == 1


def test_a_coordinator_builds_the_indexes_and_trains_the_taggers_from_the_models_page(
    queued, client_for
):
    client = client_for("coordinator")
    RecommendationFactory(text=TEXTS[0])

    page = client.get(reverse("intelligence:models"))
    assert page.status_code == 200 and "Not built" in page.content.decode()
    client.post(reverse("intelligence:build-indexes"))
    trained = client.post(
        reverse("intelligence:train"),
        {"schemes": ["uhri-themes"], "source": "database", "suggest": "on"},
        follow=True,
    )

    assert Job.objects.filter(kind=BUILD_INDEXES_JOB, status=Job.Status.PENDING).exists()
    job = Job.objects.get(kind=TRAIN_TAGGERS_JOB)
    assert job.params == {"schemes": ["uhri-themes"], "source": "database", "suggest": True}
    assert "being trained by a background job" in trained.content.decode()
    assert "Being built" in client.get(reverse("intelligence:models")).content.decode()
    # Too few accepted tags in the database: the job says so.
    job = job_run(job.pk)
    assert job.status == Job.Status.FAILED and "could not be trained" in job.error
    assert client_for("viewer").get(reverse("intelligence:models")).status_code == 403
    assert client_for("viewer").post(reverse("intelligence:build-indexes")).status_code == 403


def test_it_refuses_training_that_cannot_be_done(users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="only its issues"):
        start_training(user=users["coordinator"], schemes=["uhri-themes"], source="upr-info")
    with pytest.raises(ValidationError, match="Choose"):
        start_training(user=users["coordinator"], schemes=[], source="database")


def test_the_demo_queues_the_indexes_and_the_upr_info_taggers(queued, shared_data_dir):
    from io import StringIO

    from rightstrack.intelligence.demo import queue_demo_models

    RecommendationFactory(text=TEXTS[0])
    out = StringIO()

    jobs = queue_demo_models(stdout=out)

    # A training job per tagger, the quicker one first, so its suggestions come first.
    assert [job.kind for job in jobs] == [BUILD_INDEXES_JOB, TRAIN_TAGGERS_JOB, TRAIN_TAGGERS_JOB]
    assert [job.params["schemes"] for job in jobs[1:]] == [["action-category"], ["upr-info-issues"]]
    assert "queued for the worker" in out.getvalue()
    assert queue_demo_models(stdout=out) == []  # already queued: not twice


def test_each_taggers_suggestions_are_queued_before_the_next_training(queued, monkeypatch):
    from types import SimpleNamespace

    from django_tasks_db.models import DBTaskResult

    from rightstrack.intelligence.jobs import SUGGEST_TAGS_JOB
    from rightstrack.intelligence.tagging import training

    trained = SimpleNamespace(tagger=SimpleNamespace(info={"examples": 40}))
    monkeypatch.setattr(training, "train", lambda scheme, **options: trained)
    first = start_training(user=None, schemes=["uhri-themes"], source="database")
    second = start_training(user=None, schemes=["affected-persons"], source="database")

    assert job_run(first.pk).status == Job.Status.SUCCEEDED

    suggestions = Job.objects.get(kind=SUGGEST_TAGS_JOB)
    assert suggestions.params == {"schemes": ["uhri-themes"]}
    # The worker takes the new suggestions before the training that was already waiting (the
    # first training's own task is still listed: job_run ran it outside the task queue).
    waiting = [
        task.args_kwargs["args"][0]
        for task in DBTaskResult.objects.ready().order_by(*DBTaskResult._meta.ordering)
    ]
    assert [pk for pk in waiting if pk != first.pk] == [suggestions.pk, second.pk]
