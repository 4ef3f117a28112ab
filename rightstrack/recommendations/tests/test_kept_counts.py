"""Counts of the list kept per data version (counts.py): used while the data are unchanged,
counted again after any write, whichever way it is made."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from rightstrack.recommendations import facets, prepared_searches
from rightstrack.recommendations.counts import kept, list_key
from rightstrack.recommendations.facets import count_unfiltered_lists
from rightstrack.recommendations.filters import parse_filters
from rightstrack.recommendations.models import (
    DataVersion,
    KeptCounts,
    Recommendation,
    RecommendationTag,
    TagStatus,
)
from rightstrack.recommendations.selectors import recommendation_facets, recommendation_results
from rightstrack.taxonomy.models import Scheme, Term

from .factories import RecommendationFactory, TagFactory, term

PUBLIC = AnonymousUser()


def _version():
    return DataVersion.objects.get(pk=1).version


def _facet(user, key, data=None):
    (facet,) = recommendation_facets(user=user, filters=parse_filters(data or {}), facets=(key,))
    return {value.value: value.count for value in facet.values}


@pytest.fixture
def tagged(db):
    torture = term(Scheme.UHRI_THEME, "torture")
    RecommendationFactory(tags=[torture])
    RecommendationFactory(tags=[torture], state=term(Scheme.STATE, "UKR"))
    RecommendationFactory(is_published=False, tags=[torture])
    return torture


@pytest.mark.parametrize(
    "write",
    [
        "add recommendation",
        "unpublish (queryset update)",
        "delete recommendation",
        "reject tag",
        "add tag",
        "recommending state",
        "raw SQL",
    ],
)
def test_it_raises_the_data_version_on_every_kind_of_write(tagged, write):
    recommendation = Recommendation.objects.filter(is_published=True).first()
    before = _version()
    if write == "add recommendation":
        RecommendationFactory()
    elif write == "unpublish (queryset update)":
        Recommendation.objects.filter(pk=recommendation.pk).update(is_published=False)
    elif write == "delete recommendation":
        recommendation.delete()
    elif write == "reject tag":
        RecommendationTag.objects.filter(recommendation=recommendation).update(
            status=TagStatus.REJECTED
        )
    elif write == "add tag":
        TagFactory(recommendation=recommendation, term=term(Scheme.UHRI_THEME, "women"))
    elif write == "recommending state":
        recommendation.recommending_states.add(term(Scheme.STATE, "FRA"))
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE recommendations_recommendation SET cycle = 3 WHERE id = %s",
                [recommendation.pk],
            )
    assert _version() > before


def test_it_raises_the_data_version_when_a_term_changes(tagged):
    before = _version()
    Term.objects.filter(pk=tagged.pk).update(parent=term(Scheme.SDG_GOAL, "16"))
    assert _version() > before


def test_it_counts_the_unfiltered_facets_once_per_data_version(
    tagged, users, django_assert_num_queries
):
    assert _facet(PUBLIC, "theme") == {"torture": 2}
    # Kept: one read of the data version (the facets as shown are remembered for it).
    with django_assert_num_queries(1):
        assert _facet(PUBLIC, "theme") == {"torture": 2}
    # An internal reader sees the unpublished recommendation: counted apart.
    assert _facet(users["viewer"], "theme") == {"torture": 3}
    assert _facet(PUBLIC, "theme") == {"torture": 2}


def test_it_counts_again_after_a_write(tagged):
    assert _facet(PUBLIC, "theme") == {"torture": 2}
    assert _facet(PUBLIC, "state") == {"BLR": 1, "UKR": 1}
    Recommendation.objects.filter(is_published=False).update(is_published=True)
    assert _facet(PUBLIC, "theme") == {"torture": 3}
    assert _facet(PUBLIC, "state") == {"BLR": 2, "UKR": 1}
    RecommendationTag.objects.update(status=TagStatus.SUGGESTED)
    assert _facet(PUBLIC, "theme") == {}


def test_it_keeps_a_single_filter_list_and_its_count(tagged, django_assert_num_queries):
    assert _facet(PUBLIC, "theme", {"state": "UKR"}) == {"torture": 1}
    results = recommendation_results(user=PUBLIC, filters=parse_filters({"state": "BLR"}))
    assert results.count() == 1
    with django_assert_num_queries(1):
        assert (
            recommendation_results(user=PUBLIC, filters=parse_filters({"state": "BLR"})).count()
            == 1
        )
    RecommendationFactory()  # BLR, published
    assert recommendation_results(user=PUBLIC, filters=parse_filters({"state": "BLR"})).count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"q": "torture"},
        {"state": ["BLR", "UKR"]},
        {"state": "BLR", "cycle": "1"},
        {"cluster": "any"},
        {"addressed": "yes"},
    ],
)
def test_it_keeps_nothing_for_text_searches_and_several_filter_values(data):
    filters = parse_filters(data)
    assert list_key(filters, everything_visible=False, tag_statuses=["accepted"]) is None


def test_it_keeps_nothing_while_another_writer_holds_the_database(tagged, monkeypatch):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(QuerySet, "bulk_create", locked)
    assert kept("test:locked", lambda: {"n": 1}) == {"n": 1}
    assert not KeptCounts.objects.filter(key="test:locked").exists()


# --- searches by words, remembered per data version -----------------------------------------


def _search_page(client, data):
    response = client.get("/recommendations/", data)
    content = response.content.decode()
    counts = re.findall(r'name="theme" value="torture"[^>]*>.*?facet-count">\((\d+)\)', content)
    return re.search(r"(\d+) recommendations? match", content).group(1), counts


def test_it_remembers_a_search_until_the_data_change(tagged, client, django_assert_max_num_queries):
    first = _search_page(client, {"q": "Recommendation"})
    # Asked again: the data version, the page's rows and the names of the facets' terms; no
    # full-text query, ranking or facet count.
    with django_assert_max_num_queries(8) as captured:
        assert _search_page(client, {"q": "Recommendation"}) == first
    assert not any("recommendations_fts" in query["sql"] for query in captured.captured_queries)
    assert first == ("2", ["2"])
    RecommendationFactory(tags=[tagged])
    assert _search_page(client, {"q": "Recommendation"}) == ("3", ["3"])


def test_it_remembers_a_search_for_each_kind_of_reader(tagged, client_for):
    filters = parse_filters({"q": "Recommendation"})
    public = recommendation_results(user=PUBLIC, filters=filters)
    assert public.count() == 2
    viewer = client_for("viewer")
    assert _search_page(viewer, {"q": "Recommendation"}) == ("3", ["3"])
    assert _search_page(client_for("anonymous"), {"q": "Recommendation"}) == ("2", ["2"])


def test_it_remembers_the_first_pages_in_each_order(db):
    for number in range(30):
        state = term(Scheme.STATE, f"S{number:02}", f"State {number:02}")
        # Relevance puts the text that says the word most often first, the last State's, on
        # both databases (PostgreSQL's ts_rank does not weigh a text's length, SQLite's bm25 does).
        RecommendationFactory(text=f"Report {number}:" + " torture" * (number + 1), state=state)
    by_relevance = recommendation_results(user=PUBLIC, filters=parse_filters({"q": "torture"}))
    by_state = recommendation_results(
        user=PUBLIC, filters=parse_filters({"q": "torture", "sort": "state"})
    )
    assert [row.state.code for row in by_state[0:25]] == [f"S{n:02}" for n in range(25)]
    assert [row.state.code for row in by_state[25:30]] == [f"S{n:02}" for n in range(25, 30)]
    assert by_relevance[0].state.code == "S29"
    assert [row.pk for row in by_relevance[0:25]] != [row.pk for row in by_state[0:25]]


@pytest.mark.parametrize("reader", ["public", "viewer"])
def test_it_counts_the_unfiltered_list_ahead_of_its_first_reader(tagged, users, reader):
    user = PUBLIC if reader == "public" else users["viewer"]
    RecommendationFactory(tags=[tagged])  # a write: a new data version
    count_unfiltered_lists()  # as after an import
    cache.clear()  # a web process that has counted nothing
    with CaptureQueriesContext(connection) as captured:
        facets = recommendation_facets(user=user, filters=parse_filters({}))
        count = recommendation_results(user=user, filters=parse_filters({})).count()
    theme = next(facet for facet in facets if facet.key == "theme")
    assert {value.value: value.count for value in theme.values} == {
        "torture": 3 if reader == "public" else 4
    }
    assert count == (3 if reader == "public" else 4)
    # Read as kept: no tag counted, no recommendation counted.
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "recommendations_recommendationtag" not in sql
    assert "COUNT(" not in sql.upper().replace("COUNT(DISTINCT", "")


@pytest.fixture
def count_starts(monkeypatch):
    """The count jobs queued (facets.start_count), in order. Requested after the fixtures that
    write: their writes are taken as committed (a test never commits; the count they queued,
    once for the test's transaction, would hide those of the test's own writes)."""
    started = []
    connection.run_on_commit.clear()
    monkeypatch.setattr(facets, "start_count", lambda: started.append(True))
    return started


@pytest.mark.parametrize(
    "write",
    [
        "edit recommendation",
        "tag decision (queryset update)",
        "recommending state",
        "bulk_create tags",
        "raw SQL",
        "term",
    ],
)
def test_it_queues_the_count_once_a_write_is_committed(
    tagged, count_starts, write, django_capture_on_commit_callbacks
):
    recommendation = Recommendation.objects.filter(is_published=True).first()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        if write == "edit recommendation":
            recommendation.text = "Edited."
            recommendation.save()
        elif write == "tag decision (queryset update)":
            RecommendationTag.objects.filter(recommendation=recommendation).update(
                status=TagStatus.REJECTED
            )
        elif write == "recommending state":
            recommendation.recommending_states.add(term(Scheme.STATE, "FRA"))
        elif write == "bulk_create tags":
            RecommendationTag.objects.bulk_create(
                [
                    RecommendationTag(
                        recommendation=recommendation, term=term(Scheme.UHRI_THEME, "w")
                    )
                ]
            )
        elif write == "raw SQL":
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE recommendations_recommendation SET cycle = 3 WHERE id = %s",
                    [recommendation.pk],
                )
        else:
            Term.objects.filter(pk=tagged.pk).update(parent=term(Scheme.SDG_GOAL, "16"))
        assert count_starts == []  # not before the commit
    assert count_starts == [True]


def test_it_queues_the_count_once_for_a_transaction_of_many_writes(
    tagged, count_starts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for recommendation in Recommendation.objects.all():
            recommendation.text = "Edited."
            recommendation.save()
            RecommendationTag.objects.filter(recommendation=recommendation).update(
                status=TagStatus.REJECTED
            )
    assert count_starts == [True]
    assert len(callbacks) == 1


def test_it_queues_no_count_for_reads_nor_other_tables(
    tagged, count_starts, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _facet(PUBLIC, "theme")
        KeptCounts.objects.create(key="test", version=1, counts={})
        users["viewer"].save()
    assert count_starts == []


def test_it_queues_nothing_for_a_write_rolled_back(
    tagged, count_starts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                Recommendation.objects.update(cycle=4)
                raise ValueError
        except ValueError:
            pass
    assert count_starts == []


def test_it_queues_the_count_once_an_import_is_done(
    db, tmp_path, count_starts, django_capture_on_commit_callbacks
):
    from rightstrack.recommendations.services import import_file

    from .import_helpers import small_vocabulary, write_upr_info

    small_vocabulary()
    connection.run_on_commit.clear()  # as committed (see count_starts)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_file(user=None, format="upr-info", path=write_upr_info(tmp_path / "u.csv"))
    assert batch.created > 1
    assert count_starts == [True]


def test_it_queues_one_count_job_for_a_burst_of_edits(
    tagged, settings, django_capture_on_commit_callbacks
):
    """Edits committed one after another while the worker is busy: one job waits, and counts
    them all."""
    from rightstrack.jobs.models import Job

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    recommendation = Recommendation.objects.first()
    for number in range(5):
        connection.run_on_commit.clear()  # the last transaction committed (see count_starts)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            recommendation.text = f"Edited {number}."
            recommendation.save()
    assert list(Job.objects.filter(kind=facets.COUNT_JOB).values_list("status", flat=True)) == [
        Job.Status.PENDING
    ]


@pytest.mark.django_db(transaction=True)
def test_it_has_the_counts_ready_for_the_first_reader_after_an_edit(users):
    """The job (run at once by the tests' task backend) has counted the edited list: the first
    reader reads the kept counts, and they are those after the edit."""
    from rightstrack.jobs.models import Job

    # The jobs' table is routed apart: the flush after another transactional test leaves it;
    # and that flush empties the table of the data version that a migration filled.
    Job.objects.filter(kind=facets.COUNT_JOB).delete()
    DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    torture = term(Scheme.UHRI_THEME, "torture")
    kept_tag = RecommendationFactory(tags=[torture])
    RecommendationFactory(tags=[torture], state=term(Scheme.STATE, "UKR"))
    assert _facet(PUBLIC, "theme") == {"torture": 2}
    with transaction.atomic():  # a tag decision
        RecommendationTag.objects.filter(recommendation=kept_tag).update(status=TagStatus.REJECTED)
    cache.clear()  # a web process that has counted nothing
    with CaptureQueriesContext(connection) as captured:
        for user, count in ((PUBLIC, 1), (users["viewer"], 1)):
            shown = recommendation_facets(user=user, filters=parse_filters({}))
            theme = next(facet for facet in shown if facet.key == "theme")
            assert {value.value: value.count for value in theme.values} == {"torture": count}
            assert recommendation_results(user=user, filters=parse_filters({})).count() == 2
    # Read as kept: no tag counted, no recommendation counted (the measures' statuses, which
    # depend on the reader, are counted by each).
    sql = " ".join(
        query["sql"] for query in captured.captured_queries if "plans_measure" not in query["sql"]
    )
    assert "recommendations_recommendationtag" not in sql
    assert "COUNT(" not in sql.upper().replace("COUNT(DISTINCT", "")


def test_it_counts_the_unfiltered_lists_and_prepares_the_asked_searches_as_a_job(
    tagged, monkeypatch
):
    counted = []
    monkeypatch.setattr(
        prepared_searches, "count_unfiltered_lists", lambda: counted.append("lists")
    )
    monkeypatch.setattr(
        prepared_searches, "prepare_asked_searches", lambda: counted.append("searches")
    )
    assert prepared_searches.run_count(None, None) == (
        "The recommendation list, its filters and the searches asked most are counted."
    )
    assert counted == ["lists", "searches"]


def test_it_queues_the_count_of_the_unfiltered_lists_as_a_job(
    tagged, django_capture_on_commit_callbacks
):
    from rightstrack.jobs.models import Job

    connection.run_on_commit.clear()  # the fixture's writes as committed (see count_starts)
    with django_capture_on_commit_callbacks(execute=True):  # the job runs at once in tests
        RecommendationFactory(tags=[tagged])  # a write: a new data version
    job = Job.objects.get(kind=facets.COUNT_JOB)
    assert job.status == Job.Status.SUCCEEDED
    assert set(
        KeptCounts.objects.filter(key__startswith="count:").values_list("key", flat=True)
    ) == {
        "count:published:accepted:",
        "count:all:accepted+suggested:",
    }
