"""The searches by words readers ask most, prepared ahead of their first reader after a change.

A search's results (its length, facets, the ids of its first pages) are remembered in each web
process under the data version (counts.py), so after any write every search is computed again
by its first reader in each process: the full-text query, the ranking and a dozen facet counts
(0.3-0.4 s for a common word at 250,000 recommendations). The processes note the searches they
are asked (``counts.note_asked``); the count job that follows every committed write
(``run_count``, queued by count_ahead.py) counts the unfiltered lists, then replays the
searches asked most in the last day, each as its kind of reader asks it, through the very code
a reader's request runs (``selectors.RecommendationSearch``), writing down every piece of its
results (``counts.preparing``) and keeping them in one row for the version they were computed
for. The first reader after the job reads them with one indexed read.

Bounded: PREPARED_SEARCHES searches at most, and none started after PREPARED_SECONDS; each
write is short and waits 0.1 s at most for a lock, so an import is never held up.
Exact: the data version is read before a search and again after it; a search is kept only when
no write came in between (every query it ran read the data of that version), and the job stops
at the first change, whose own job prepares them again. A reader who comes first computes for
himself, as without it.
"""

import logging
import time
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS
from django.http import QueryDict
from django.utils.translation import gettext as _

from rightstrack.jobs.registry import JobKind

from .counts import (
    SearchKey,
    data_version,
    forget_asked,
    keep_prepared,
    most_asked,
    preparing,
)
from .facets import COUNT_JOB, count_unfiltered_lists
from .filters import parse_filters
from .selectors import RecommendationSearch

logger = logging.getLogger(__name__)

# The searches prepared after each write, the most asked first...
PREPARED_SEARCHES = 30
# ...and none started after this many seconds of preparing (one a reader computes in 0.1-0.4
# s; an exact search of a very common word in 1-2 s).
PREPARED_SECONDS = 5.0


def prepare_asked_searches(
    *,
    using: str = DEFAULT_DB_ALIAS,
    limit: int = PREPARED_SEARCHES,
    seconds: float = PREPARED_SECONDS,
) -> int:
    """Prepare the ``limit`` searches asked most lately (counts.most_asked) for the current
    data version, starting none after ``seconds``; the number of searches prepared."""
    forget_asked(using=using)
    started = time.monotonic()
    # {prepared row's key: (the search's key, its pieces so far)}: a search asked in several
    # orders (or bounded and exact) keeps every one in its row.
    rows: dict[str, tuple[SearchKey, dict[str, Any]]] = {}
    done = 0
    for asked in most_asked(using=using, limit=limit):
        if time.monotonic() - started >= seconds:
            break
        query = QueryDict(asked.query)
        filters = parse_filters(query)
        if filters.by_meaning():
            continue  # not remembered (counts.search_key)
        search = RecommendationSearch(
            user=AnonymousUser(),
            filters=filters,
            bound=query.get("exact") != "1",
            internal=asked.everything_visible,
        )
        with preparing() as pieces:
            key = search.remembered_key
            if key is None:
                continue
            # What a list page and the API read of a search (selectors.py, facets.py).
            search.results.count()
            search.results.page_ids(slice(0, 1))
            search.facets()
        if data_version(using) != key.version:
            break  # a write came: its own job prepares them for the new version
        _key, kept = rows.setdefault(key.kept_key, (key, {}))
        kept.update(pieces)
        keep_prepared(key, kept)
        done += 1
    logger.info("%d asked searches prepared in %.1f s", done, time.monotonic() - started)
    return done


def run_count(job, run) -> str:
    count_unfiltered_lists()
    prepare_asked_searches()
    return _("The recommendation list, its filters and the searches asked most are counted.")


COUNT_JOB_KIND = JobKind(key=COUNT_JOB, run=run_count)
