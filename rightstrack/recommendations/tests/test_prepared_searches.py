"""Searches readers ask, prepared by the count job after a write (prepared_searches.py): the
first reader after it reads them with one read, a reader before it computes for himself, and
nothing prepared for an older version is ever read."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from rightstrack.recommendations import counts, selectors
from rightstrack.recommendations.counts import search_key
from rightstrack.recommendations.filters import PUBLIC_TAG_STATUSES, parse_filters
from rightstrack.recommendations.models import AskedSearch, DataVersion, KeptCounts, Recommendation
from rightstrack.recommendations.prepared_searches import prepare_asked_searches
from rightstrack.taxonomy.models import Scheme

from .factories import RecommendationFactory, term

PUBLIC = AnonymousUser()
SEARCH = "/recommendations/?q=torture"


def _search(user=PUBLIC, data=None, bound=True):
    return selectors.recommendation_search(
        user=user, filters=parse_filters(data or {"q": "torture"}), bound=bound
    )


def _read(user=PUBLIC, data=None):
    """What a list page reads of a search: its length, its first ids, its theme facet."""
    search = _search(user, data)
    theme = next(facet for facet in search.facets() if facet.key == "theme")
    return (
        search.results.count(),
        search.results.page_ids(slice(0, 25)),
        {value.value: value.count for value in theme.values},
    )


def _searched(captured):
    """Whether any statement ran the full-text search or counted tags."""
    return any(
        "recommendations_fts" in sql or "search_vector" in sql or "COUNT(" in sql.upper()
        for sql in (query["sql"] for query in captured.captured_queries)
    )


@pytest.fixture
def on_torture(db):
    theme = term(Scheme.UHRI_THEME, "torture", "Torture")
    ukraine = term(Scheme.STATE, "UKR", "Ukraine")
    made = [RecommendationFactory(text=f"End torture {n}.", tags=[theme]) for n in range(3)]
    made.append(RecommendationFactory(text="Prevent torture.", tags=[theme], state=ukraine))
    RecommendationFactory(text="Investigate torture.", is_published=False, tags=[theme])
    RecommendationFactory(text="Ratify the covenant.")
    return made


def _edit(recommendation, text):
    with transaction.atomic():  # as an editor's save
        recommendation.text = text
        recommendation.save()


def test_it_notes_a_search_asked_once_per_interval_in_a_process(on_torture, client):
    for _ in range(3):
        assert client.get(SEARCH).status_code == 200
    (asked,) = AskedSearch.objects.all()
    assert (asked.query, asked.everything_visible, asked.times) == ("q=torture", False, 1)
    cache.clear()  # another process, or the interval over
    client.get(SEARCH)
    assert AskedSearch.objects.get().times == 2


def test_it_notes_no_list_without_words_and_no_search_by_meaning(on_torture, client):
    client.get("/recommendations/")
    client.get("/recommendations/?state=UKR")
    client.get("/recommendations/?q=torture&mode=meaning")
    assert not AskedSearch.objects.exists()


def test_it_prepares_a_search_asked_for_the_first_reader_after_a_write(on_torture):
    _read()  # asked before the write
    _edit(on_torture[0], "Ratify the convention.")  # no longer about torture
    assert prepare_asked_searches() == 1
    cache.clear()  # a web process that has computed nothing for this version
    with CaptureQueriesContext(connection) as captured:
        count, ids, theme = _read()
    assert not _searched(captured)
    assert count == 3
    assert on_torture[0].pk not in ids
    assert theme == {"torture": 3}
    # The same as a reader computing it for himself.
    cache.clear()
    KeptCounts.objects.filter(key__startswith=counts.PREPARED_PREFIX).delete()
    with CaptureQueriesContext(connection) as captured:
        assert _read() == (count, ids, theme)
    assert _searched(captured)


@pytest.mark.django_db(transaction=True)
def test_it_has_an_asked_search_ready_once_the_job_after_an_edit_has_run(client):
    """The count job that follows a committed edit (run at once by the tests' task backend)
    prepares the search asked before it."""
    from rightstrack.jobs.models import Job
    from rightstrack.recommendations.facets import COUNT_JOB

    # The flush after another transactional test empties the data version's table.
    Job.objects.filter(kind=COUNT_JOB).delete()
    DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    theme = term(Scheme.UHRI_THEME, "torture", "Torture")
    first = RecommendationFactory(text="End torture.", tags=[theme])
    RecommendationFactory(text="Prevent torture.", tags=[theme])
    assert "2 recommendations" in client.get(SEARCH).content.decode()
    _edit(first, "Ratify the convention.")
    assert Job.objects.filter(kind=COUNT_JOB, status=Job.Status.SUCCEEDED).exists()
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        page = client.get(SEARCH).content.decode()
    assert not _searched(captured)
    assert "1 recommendation" in page


def test_it_answers_a_reader_before_the_job_exactly(on_torture):
    _read()
    assert prepare_asked_searches() == 1
    old = DataVersion.objects.get(pk=1).version
    _edit(on_torture[0], "Ratify the convention.")  # the job has not run yet
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        count, ids, theme = _read()
    assert _searched(captured)
    assert (count, theme) == (3, {"torture": 3})
    assert on_torture[0].pk not in ids
    # What was prepared for the version before is still there, and was not read.
    assert KeptCounts.objects.filter(key__startswith=counts.PREPARED_PREFIX, version=old).exists()


def test_it_reads_a_prepared_search_only_for_its_own_version(on_torture):
    """A prepared row is read for the version it names and for no other: one falsified for the
    current version is believed (so the test can tell), one for an older version is not."""
    _read()
    version = DataVersion.objects.get(pk=1).version
    key = search_key(
        parse_filters({"q": "torture"}),
        everything_visible=False,
        tag_statuses=PUBLIC_TAG_STATUSES,
    )
    KeptCounts.objects.create(key=key.kept_key, version=version, counts={"count": 99})
    cache.clear()
    assert _search().results.count() == 99
    _edit(on_torture[0], "Ratify the convention.")
    cache.clear()
    assert _search().results.count() == 3


def test_it_prepares_what_each_kind_of_reader_sees(on_torture, users):
    _read(users["viewer"])
    _read(PUBLIC)
    assert prepare_asked_searches() == 2
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert _read(users["viewer"])[0] == 5  # the unpublished one too
        assert _read(PUBLIC)[0] == 4
    assert not _searched(captured)


def test_it_prepares_a_bounded_search_and_each_order_asked(on_torture, monkeypatch):
    monkeypatch.setattr(selectors, "BOUNDED_SEARCH_LIMIT", 2)
    _read()
    _read(data={"q": "torture", "sort": "newest"})
    assert prepare_asked_searches() == 2
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        bounded = _search()
        assert bounded.bounded
        assert bounded.results.count() == 2
        newest = _search(data={"q": "torture", "sort": "newest"})
        assert len(newest.results.page_ids(slice(0, 25))) == 2
        bounded.facets()
    assert not _searched(captured)


def test_it_prepares_the_most_asked_first_and_stops_within_its_bounds(on_torture):
    for word, times in (("torture", 3), ("prevent", 1), ("ratify", 2)):
        for _ in range(times):
            _read(data={"q": word})
            cache.clear()  # each noted again, as by another process
    assert prepare_asked_searches(limit=2) == 2
    prepared = set(
        KeptCounts.objects.filter(key__startswith=counts.PREPARED_PREFIX).values_list(
            "key", flat=True
        )
    )
    keys = {
        word: search_key(
            parse_filters({"q": word}), everything_visible=False, tag_statuses=PUBLIC_TAG_STATUSES
        ).kept_key
        for word in ("torture", "prevent", "ratify")
    }
    assert prepared == {keys["torture"], keys["ratify"]}
    assert prepare_asked_searches(seconds=0) == 0


def test_it_forgets_searches_beyond_those_it_keeps(on_torture, monkeypatch):
    for word in ("torture", "prevent", "ratify"):
        _read(data={"q": word})
    monkeypatch.setattr(counts, "ASKED_KEPT", 2)
    prepare_asked_searches()
    assert set(AskedSearch.objects.values_list("query", flat=True)) == {"q=prevent", "q=ratify"}
    # However many are asked between two writes (the job follows writes alone): the process
    # that notes them forgets too, at most once in ten minutes.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        _read(data={"q": "covenant"})
    assert set(AskedSearch.objects.values_list("query", flat=True)) == {"q=ratify", "q=covenant"}
    assert sum("askedsearch" in query["sql"] for query in captured.captured_queries) == 2


def test_it_keeps_nothing_computed_while_a_write_came(on_torture, monkeypatch):
    """A write during a search's preparation: some of its queries may have read the data after
    it, so nothing is kept for the version before (and the job stops: the write's own job
    prepares it again)."""
    _read()
    facets = selectors.RecommendationSearch.facets

    def facets_with_a_write(search, *args, **kwargs):
        Recommendation.objects.filter(pk=on_torture[0].pk).update(text="Ratify.")
        return facets(search, *args, **kwargs)

    monkeypatch.setattr(selectors.RecommendationSearch, "facets", facets_with_a_write)
    assert prepare_asked_searches() == 0
    assert not KeptCounts.objects.filter(key__startswith=counts.PREPARED_PREFIX).exists()
