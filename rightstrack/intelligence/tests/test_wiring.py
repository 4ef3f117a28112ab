"""How the intelligence app meets the rest: suggestions after an import, the similar panel on a
recommendation's page, and the way to the review page."""

import datetime

import pytest
from django.urls import reverse

from rightstrack.intelligence import similarity
from rightstrack.intelligence.index_builds import build_indexes
from rightstrack.intelligence.jobs import (
    SUGGEST_TAGS_JOB,
    UPDATE_INDEXES_JOB,
    start_index_update,
)
from rightstrack.intelligence.models import SuggestionRun
from rightstrack.intelligence.similarity import load_similarity_index
from rightstrack.intelligence.tagging.store import default_model_path, save_tagger
from rightstrack.jobs.models import Job
from rightstrack.jobs.services import job_run
from rightstrack.recommendations.imports.service import import_file
from rightstrack.recommendations.models import (
    ImportBatch,
    Recommendation,
    RecommendationTag,
    TagSource,
    TagStatus,
)
from rightstrack.recommendations.tests.factories import RecommendationFactory, term
from rightstrack.recommendations.tests.import_helpers import small_vocabulary, write_upr_info
from rightstrack.taxonomy.models import Scheme

from ...accounts.tests.fixtures import ALL_ROLES

pytestmark = pytest.mark.django_db

# A UPR Info export without issues or action categories: every row is open to suggestions.
UNTAGGED_ROWS = (
    "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session",
    "Belarus,EEG,CIS,Abolish the death penalty and declare a moratorium on executions,"
    "France,WEOG,EU,Accepted,,,8",
    "Belarus,EEG,CIS,Ensure gender equality for women and girls,Chile,GRULAC,,Noted,,,8",
    "Belarus,EEG,CIS,Strengthen measures against domestic violence and for women,"
    "Brazil,GRULAC,,Accepted,,,8",
)


@pytest.fixture
def trained(trained_taggers):
    for name, saved in trained_taggers.items():
        save_tagger(saved, default_model_path(name))
    return trained_taggers


def machine_tags(batch):
    return RecommendationTag.objects.filter(
        recommendation__import_batch=batch, source=TagSource.MACHINE, status=TagStatus.SUGGESTED
    )


def test_it_suggests_tags_for_an_imported_batch_when_a_model_is_trained(tmp_path, trained, users):
    small_vocabulary()
    path = write_upr_info(tmp_path / "untagged.csv", UNTAGGED_ROWS)
    batch = import_file(user=users["coordinator"], format="upr-info", path=path)
    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.created == 3
    suggested = machine_tags(batch)
    assert suggested.filter(term__label_en="Death penalty").exists()
    assert suggested.filter(term__scheme=Scheme.ACTION_CATEGORY).exists()
    runs = SuggestionRun.objects.filter(import_batch=batch)
    assert {run.scheme for run in runs} == {"upr-info-issues", "action-category"}
    assert {run.started_by for run in runs} == {users["coordinator"]}
    assert f"{suggested.count()} tag suggestions were made for review" in batch.message
    # Importing the same file again changes nothing, so nothing more is suggested.
    again = import_file(user=None, format="upr-info", path=path)
    assert again.unchanged == 3 and again.message == ""
    assert SuggestionRun.objects.count() == 2
    # A dry run writes nothing, suggestions included.
    dry = import_file(
        user=None,
        format="upr-info",
        path=write_upr_info(tmp_path / "more.csv", (*UNTAGGED_ROWS, UNTAGGED_ROWS[1] + "0")),
        dry_run=True,
    )
    assert dry.message == "Dry run: nothing was written." and SuggestionRun.objects.count() == 2


def test_it_queues_the_tag_suggestions_of_an_import_as_a_job_of_their_own(
    tmp_path, trained, users, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    small_vocabulary()
    path = write_upr_info(tmp_path / "untagged.csv", UNTAGGED_ROWS)

    batch = import_file(user=users["coordinator"], format="upr-info", path=path)

    # The import is done; the suggestions wait for a worker.
    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.created == 3
    assert "Tag suggestions for these recommendations are being made" in batch.message
    assert not machine_tags(batch).exists()
    job = Job.objects.get(kind=SUGGEST_TAGS_JOB, subject_id=batch.pk)
    assert (job.status, job.started_by) == (Job.Status.PENDING, users["coordinator"])

    job = job_run(job.pk)  # what a worker does with it

    assert job.status == Job.Status.SUCCEEDED
    assert f"{machine_tags(batch).count()} tag suggestions were made for review" in job.result
    assert machine_tags(batch).exists()


def test_it_starts_no_suggestions_job_without_a_trained_model(tmp_path, users, settings):
    settings.VAR_DIR = tmp_path
    small_vocabulary()
    path = write_upr_info(tmp_path / "untagged.csv", UNTAGGED_ROWS)

    batch = import_file(user=users["coordinator"], format="upr-info", path=path)

    assert batch.created == 3 and batch.message == ""
    assert not Job.objects.filter(kind=SUGGEST_TAGS_JOB).exists()


def test_it_imports_without_suggestions_when_no_model_is_trained(tmp_path, users):
    small_vocabulary()
    path = write_upr_info(tmp_path / "untagged.csv", UNTAGGED_ROWS)
    batch = import_file(user=users["coordinator"], format="upr-info", path=path)
    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.created == 3
    assert batch.message == ""
    assert not SuggestionRun.objects.exists()
    assert not RecommendationTag.objects.filter(source=TagSource.MACHINE).exists()


def test_it_brings_the_indexes_up_to_date_after_an_import(tmp_path, users, settings):
    settings.INTELLIGENCE_AUTO_BUILD = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    small_vocabulary()
    RecommendationFactory(text="Ratify the Optional Protocol to the Convention against Torture")
    RecommendationFactory(text="Abolish the death penalty")
    build_indexes()
    path = write_upr_info(tmp_path / "untagged.csv", UNTAGGED_ROWS)

    batch = import_file(user=None, format="upr-info", path=path)

    assert "are being brought up to date with these recommendations" in batch.message
    job = Job.objects.get(kind=UPDATE_INDEXES_JOB)
    assert job.status == Job.Status.PENDING
    assert "rightstrack similarity build" not in batch.message
    job = job_run(job.pk)
    assert job.status == Job.Status.SUCCEEDED
    assert "3 new or changed recommendations added to the indexes" in job.result
    new = Recommendation.objects.filter(import_batch=batch)
    assert set(new.values_list("pk", flat=True)) <= set(load_similarity_index().ids.tolist())


def test_it_links_an_import_to_the_review_of_its_suggestions(tmp_path, trained, client_for, users):
    small_vocabulary()
    path = write_upr_info(tmp_path / "untagged.csv", UNTAGGED_ROWS)
    batch = import_file(user=users["coordinator"], format="upr-info", path=path)
    page = client_for("coordinator").get(reverse("recommendations:import-batch", args=[batch.pk]))
    link = f'href="{reverse("intelligence:review")}?batch={batch.pk}"'
    assert link in page.content.decode()
    review = client_for("coordinator").get(reverse("intelligence:review"), {"batch": batch.pk})
    assert review.context["page"].paginator.count == 3
    machine_tags(batch).update(status=TagStatus.REJECTED)
    page = client_for("coordinator").get(reverse("recommendations:import-batch", args=[batch.pk]))
    assert link not in page.content.decode()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_shows_the_way_to_the_review_page_to_reviewers_only(client_for, role):
    page = client_for(role).get(reverse("recommendations:list")).content.decode()
    shown = f'href="{reverse("intelligence:review")}"' in page
    assert shown == (role in ("administrator", "coordinator"))


def _panel_data():
    belarus = term(Scheme.STATE, "BLR", "Belarus")
    chile = term(Scheme.STATE, "CHL", "Chile")
    text = "Declare a moratorium on executions with a view to abolishing the death penalty"
    earlier = RecommendationFactory(
        text=text, state=belarus, cycle=1, date=datetime.date(2010, 6, 15)
    )
    later = RecommendationFactory(
        text=text + " soon", state=belarus, cycle=2, date=datetime.date(2015, 6, 15)
    )
    elsewhere = RecommendationFactory(text=text + " now", state=chile, cycle=1)
    hidden = RecommendationFactory(text=text + " today", state=chile, is_published=False)
    # Enough other texts that the words of the four above are not too common to count.
    for other in (
        "Ratify the Optional Protocol to the Convention against Torture",
        "Ensure that children with disabilities have access to inclusive education",
        "Combat domestic violence against women and provide shelters for victims",
        "Strengthen the independence of the judiciary and the bar association",
        "Guarantee freedom of the press and protect journalists",
        "Improve access to clean water and sanitation in rural areas",
    ):
        RecommendationFactory(text=other, state=belarus)
    return {"earlier": earlier, "later": later, "elsewhere": elsewhere, "hidden": hidden}


def test_it_hides_unpublished_recommendations_from_the_public_in_the_panel(client, client_for):
    found = _panel_data()
    similarity.build_index(use_embeddings=False)
    url = reverse("intelligence:similar", args=[found["later"].pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    for shown in ("earlier", "elsewhere"):
        assert f'href="{found[shown].get_absolute_url()}"' in fragment
    assert f'href="{found["hidden"].get_absolute_url()}"' not in fragment
    assert "Repeats an earlier recommendation" in fragment
    assert "cycle 1" in fragment and "Chile" in fragment
    internal = client_for("viewer").get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'href="{found["hidden"].get_absolute_url()}"' in internal
    hidden_panel = reverse("intelligence:similar", args=[found["hidden"].pk])
    assert client.get(hidden_panel, headers={"HX-Request": "true"}).status_code == 404


def test_it_says_the_panel_misses_recommendations_added_since_the_index(
    client, client_for, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    found = _panel_data()
    similarity.build_index(use_embeddings=False)
    RecommendationFactory(text="Abolish the death penalty at once")
    url = reverse("intelligence:similar", args=[found["later"].pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "older than the newest recommendation" in fragment
    assert "rightstrack similarity build" not in fragment
    start_index_update()  # what an import does; the panel's managers see it coming
    managed = client_for("coordinator").get(url, headers={"HX-Request": "true"})
    assert "A background job will do it as soon as a worker is free" in managed.content.decode()
    assert "background job" not in client.get(url, headers={"HX-Request": "true"}).content.decode()
