"""An import applying in short steps with an undo log (imports/ledger.py): taken back whole when
it fails half way or its worker dies, and other writers get their turn between its steps."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone

from rightstrack.jobs.models import Job
from rightstrack.jobs.services import jobs_fail_abandoned
from rightstrack.recommendations.imports import ledger as ledger_module
from rightstrack.recommendations.imports import recovery, service
from rightstrack.recommendations.imports.selectors import IMPORT_JOB
from rightstrack.recommendations.models import (
    Cluster,
    Document,
    ImportBatch,
    ImportChange,
    MatchCandidate,
    Recommendation,
    RecommendationMerge,
    RecommendationTag,
    SourceRecord,
)
from rightstrack.recommendations.services import import_file
from rightstrack.taxonomy.models import Term

from .factories import ClusterFactory, RecommendationFactory
from .import_helpers import write_uhri, write_upr_info, write_wg_report

HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"


class Killed(BaseException):
    """The process dies here: nothing after it runs (not even an except Exception)."""


@pytest.fixture
def one_record_a_step(monkeypatch):
    monkeypatch.setattr(service._Steps, "FIRST", 1)
    monkeypatch.setattr(service._Steps, "LEAST", 1)
    monkeypatch.setattr(service, "CHUNK_SIZE", 1)


def _rows(model, exclude=()):
    return sorted(
        (
            {name: value for name, value in model_to_dict(row).items() if name not in exclude}
            for row in model.objects.all()
        ),
        key=lambda row: row["id"],
    )


def picture():
    """Everything an import may change, as plain values."""
    through = Recommendation.recommending_states.through
    return {
        "recommendations": sorted(Recommendation.objects.values_list()),
        "states": sorted(through.objects.values_list("recommendation_id", "term_id")),
        "tags": sorted(RecommendationTag.objects.values_list()),
        "sources": sorted(SourceRecord.objects.values_list()),
        "candidates": sorted(MatchCandidate.objects.values_list()),
        "merges": sorted(RecommendationMerge.objects.values_list("pk", flat=True)),
        "documents": sorted(Document.objects.values_list()),
        "terms": sorted(Term.objects.values_list("pk", "code")),
        "clusters": sorted(Cluster.recommendations.through.objects.values_list()),
    }


def held_upr_info(tmp_path):
    """UPR Info rows of Belarus held before the report arrives: the report's 98.16 joins
    Brazil's, merges Lithuania's (in a cluster) into it, and updates nothing else."""
    lines = [HEADER] + [
        f'Belarus,EEG,,"{text}",{state},,,{response},,,8'
        for text, state, response in (
            ("Declare a moratorium on executions", "Brazil", "Noted"),
            ("Introduce a moratorium", "Lithuania", "Noted"),
            ("Protect journalists from harassment", "Chile", "Accepted"),
            ("Continue cooperation with the United Nations agencies", "Chile", ""),
        )
    ]
    path = write_upr_info(tmp_path / "u.csv", lines)
    import_file(user=None, format="upr-info", path=path)
    ClusterFactory(recommendations=[Recommendation.objects.get(text="Introduce a moratorium")])
    return path


def fail_after(monkeypatch, steps, error=RuntimeError):
    def hook(batch, done):
        if done >= steps:
            raise error("stopped half way")

    monkeypatch.setattr(service, "between_steps", [hook])


def report(tmp_path):
    return import_file(
        user=None, format="un-wg-report", path=write_wg_report(tmp_path / "A-HRC-15-16.txt")
    )


def killed_half_way(tmp_path, monkeypatch):
    """(the batch, the database before it) of a report whose import was killed after four
    steps over UPR Info rows held: its batch running, its steps and their log written."""
    held_upr_info(tmp_path)
    before = picture()
    fail_after(monkeypatch, 4, error=Killed)
    # A killed process undoes nothing itself.
    monkeypatch.setattr(service, "undo_batch", lambda batch, alive=None: 0)
    with pytest.raises(Killed):
        report(tmp_path)
    batch = ImportBatch.objects.get(format="un-wg-report")
    assert batch.status == ImportBatch.Status.RUNNING
    assert picture() != before
    assert ImportChange.objects.filter(batch=batch).count() > 2
    return batch, before


@pytest.mark.django_db
@pytest.mark.parametrize("steps", [1, 3, 10_000])
def test_it_takes_back_every_step_of_an_import_that_fails_half_way(
    tmp_path, terms, one_record_a_step, monkeypatch, steps
):
    held_upr_info(tmp_path)
    # A record sent again and changed: an update of a source record held.
    updated = [HEADER, 'Belarus,EEG,,"Introduce a moratorium",Lithuania,,,Accepted,,,8']
    before = picture()
    if steps == 10_000:
        # Every step written; it fails as the result is recorded.
        def forget(batch):
            raise RuntimeError("stopped at the end")

        monkeypatch.setattr(service, "forget", forget)
    else:
        fail_after(monkeypatch, steps)

    with pytest.raises(RuntimeError):
        report(tmp_path)
    if steps != 10_000:
        fail_after(monkeypatch, 1)  # the file has one record
    with pytest.raises(RuntimeError):
        import_file(user=None, format="upr-info", path=write_upr_info(tmp_path / "v.csv", updated))

    assert picture() == before
    batches = ImportBatch.objects.filter(status=ImportBatch.Status.FAILED)
    assert batches.count() == 2
    assert all("nothing was written" in batch.message for batch in batches)
    assert not ImportChange.objects.exists()
    # What failed is imported whole the next time.
    monkeypatch.setattr(service, "between_steps", [])
    monkeypatch.setattr(service, "forget", ledger_module.forget)
    batch = report(tmp_path)
    assert (batch.status, batch.created, batch.matched) == ("succeeded", 3, 1)
    assert RecommendationMerge.objects.count() == 1
    assert not ImportChange.objects.exists()


@pytest.mark.django_db
def test_it_takes_back_the_terms_and_documents_an_import_made_before_it_failed(
    tmp_path, terms, one_record_a_step, monkeypatch
):
    before = picture()
    fail_after(monkeypatch, 2)

    with pytest.raises(RuntimeError):
        import_file(
            user=None, format="uhri-json", path=write_uhri(tmp_path / "e.json"), skip_invalid=True
        )

    assert picture() == before
    assert not Term.objects.filter(label_en="Rights of migrant children").exists()


@pytest.mark.django_db
def test_a_check_after_a_dead_worker_takes_back_what_it_wrote_even_when_interrupted(
    tmp_path, terms, one_record_a_step, monkeypatch
):
    batch, before = killed_half_way(tmp_path, monkeypatch)
    job = Job.objects.create(
        kind=IMPORT_JOB,
        subject_id=batch.pk,
        status=Job.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    # The check dies in turn after undoing two entries.
    real_undo, undone = ledger_module._undo, []

    def dying_undo(change):
        if len(undone) == 2:
            raise Killed
        real_undo(change)
        undone.append(change.pk)

    monkeypatch.setattr(ledger_module, "_undo", dying_undo)
    with pytest.raises(Killed):
        jobs_fail_abandoned()
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING  # its lease taken by the check that died
    assert not ImportChange.objects.filter(pk__in=undone).exists()

    monkeypatch.setattr(ledger_module, "_undo", real_undo)
    failed = jobs_fail_abandoned(now=timezone.now() + timedelta(hours=1))

    assert [item.pk for item in failed] == [job.pk]
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, batch.status) == (Job.Status.FAILED, ImportBatch.Status.FAILED)
    assert picture() == before
    assert not ImportChange.objects.exists()


def _save_beside(results):
    """Save a recommendation from another thread (its own connection), as a user would."""

    def save():
        try:
            recommendation = Recommendation.objects.order_by("pk").first()
            recommendation.is_published = not recommendation.is_published
            recommendation.save(update_fields=["is_published"])
            results.append("saved")
        except Exception as error:  # the test reads what went wrong
            results.append(repr(error))
        finally:
            connection.close()

    thread = threading.Thread(target=save)
    thread.start()
    thread.join(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_another_writer_saves_between_the_steps_of_an_import(
    tmp_path, terms, one_record_a_step, monkeypatch
):
    held_upr_info(tmp_path)
    results = []
    monkeypatch.setattr(service, "between_steps", [lambda batch, done: _save_beside(results)])

    batch = report(tmp_path)

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert len(results) >= 4
    assert set(results) == {"saved"}


@pytest.mark.django_db
def test_a_foreground_import_killed_half_way_is_taken_back_by_the_next_one(
    tmp_path, terms, one_record_a_step, monkeypatch
):
    import subprocess
    import sys

    from django.core.management import call_command

    batch, before = killed_half_way(tmp_path, monkeypatch)
    # The process that wrote it is this one, alive: nothing is taken back.
    assert recovery.take_back_dead_imports() == []
    # Now it has died (a process of this machine that has ended).
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    batch.options = {**batch.options, "process": {**batch.options["process"], "pid": ended.pid}}
    batch.save(update_fields=["options"])
    monkeypatch.setattr(service, "between_steps", [])
    monkeypatch.undo()

    call_command("import", "upr-info", str(tmp_path / "u.csv"), verbosity=0)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "taken back" in batch.message
    assert picture() == before  # the second import of u.csv changed nothing either
    assert not ImportChange.objects.exists()


def _uhri(key, text, state, number=""):
    """A UHRI record of Belarus's first review (session 8), recommended by ``state``."""
    return {
        "AnnotationId": key,
        "AnnotationType": "- Recommendation",
        "Body": "- UPR",
        "Countries": ["Belarus"],
        "Text": f"{number} {text}".strip(),
        "UprRecommendingCountry": [state],
        "UprSession": ["8"],
        "UprPositions": ["- Noted"],
    }


@pytest.mark.django_db
def test_it_matches_a_record_with_one_an_earlier_step_of_the_same_import_created(
    tmp_path, terms, one_record_a_step, monkeypatch
):
    # The scope is read once, in the first step; the numbered recommendation that step creates
    # is what the kept scope holds in the next (imports/service.py, _Writer.held).
    reads = []
    read = service._Writer._candidate_rows
    monkeypatch.setattr(
        service._Writer,
        "_candidate_rows",
        lambda writer, scopes: reads.append(scopes) or read(writer, scopes),
    )
    path = write_uhri(
        tmp_path / "u.json",
        [
            _uhri("x-1", "Declare a moratorium on executions", "Brazil", "98.16"),
            _uhri("x-2", "Declare a moratorium on all executions", "Brazil"),
        ],
    )

    batch = import_file(user=None, format="uhri-json", path=path)

    assert (batch.created, batch.matched) == (1, 1)
    assert len(reads) == 1
    recommendation = Recommendation.objects.get()
    assert recommendation.number == "98.16"
    assert sorted(recommendation.sources.values_list("source_key", flat=True)) == [
        "uhri:x-1",
        "uhri:x-2",
    ]


@pytest.mark.django_db
def test_it_sees_a_recommendation_someone_else_writes_between_two_steps(
    tmp_path, terms, one_record_a_step, monkeypatch
):
    written = []

    def someone_else(batch, done):
        if done == 1:
            written.append(_someone_writes_the_second(terms))

    monkeypatch.setattr(service, "between_steps", [someone_else])

    # The first step reads (and keeps) the scope, empty then.
    _import_two_and_find_the_second_joined(tmp_path, written)


def _someone_writes_the_second(terms):
    """Another writer's recommendation, the one the second record of the file repeats."""
    return RecommendationFactory(
        text="Protect journalists from harassment",
        number="98.40",
        recommending_states=[terms["CHL"]],
    ).pk


def _import_two_and_find_the_second_joined(tmp_path, written):
    path = write_uhri(
        tmp_path / "u.json",
        [
            _uhri("x-1", "Declare a moratorium on executions", "Brazil", "98.16"),
            _uhri("x-2", "Protect journalists from all harassment", "Chile"),
        ],
    )

    batch = import_file(user=None, format="uhri-json", path=path)

    assert (batch.created, batch.matched) == (1, 1)
    assert SourceRecord.objects.get(source_key="uhri:x-2").recommendation_id == written[0]


@pytest.mark.django_db
def test_it_sees_a_recommendation_someone_else_writes_while_a_step_reads_before_the_lock(
    tmp_path, terms, one_record_a_step, monkeypatch
):
    # A step reads its scopes before it takes the write lock (_Writer.prepare); what someone
    # else writes after that reading and before the step begins must not be missed.
    written = []
    prepare = service._Writer.prepare

    def reads_then_someone_writes(writer, records):
        prepare(writer, records)
        if records[0].key == "uhri:x-2":
            written.append(_someone_writes_the_second(terms))

    monkeypatch.setattr(service._Writer, "prepare", reads_then_someone_writes)

    _import_two_and_find_the_second_joined(tmp_path, written)


def test_it_never_waits_for_a_checkpoint_thread_that_is_gone():
    # A step waits for the last checkpoint before it writes: were the thread gone (ended, or
    # stopped by an error), the import would wait for ever.
    checkpoints = service._Checkpoints(connection.alias)
    checkpoints.close()
    assert not checkpoints._thread.is_alive()

    checkpoints.request()
    waiting = threading.Thread(target=checkpoints.wait)
    waiting.start()
    waiting.join(timeout=5)

    assert not waiting.is_alive()
