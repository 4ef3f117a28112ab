"""Checking the saved searches for new matches, as a job: after every import and, in case a
recommendation arrives another way, every hour (a periodic job the worker starts)."""

import logging
from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rightstrack.jobs.registry import JobKind, Periodic

SAVED_SEARCHES_JOB = "recommendations.saved_searches"
logger = logging.getLogger(__name__)


def run_check(job, run) -> str:
    from .services import saved_searches_check

    found = saved_searches_check()
    run.report(len(found), len(found))
    if not found:
        return _("No saved search has new recommendations.")
    return ngettext(
        "%(count)d saved search has new recommendations; its owner was told.",
        "%(count)d saved searches have new recommendations; their owners were told.",
        len(found),
    ) % {"count": len(found)}


def after_import(batch, user) -> str:
    """Check the saved searches once an import wrote recommendations (as a job of its own)."""
    from django.db import transaction

    if batch.dry_run or not batch.created:
        return ""
    # Once the import's transaction is committed, so that the check sees what it wrote.
    transaction.on_commit(start_check)
    return ""


def start_check() -> None:
    from rightstrack.jobs.services import job_start

    try:
        job_start(kind=SAVED_SEARCHES_JOB, user=None, label=str(CHECK_LABEL))
    except Exception:  # The import is done; the hourly check will catch up.
        logger.exception("the check of the saved searches could not be queued")


CHECK_LABEL = gettext_lazy("New recommendations for saved searches")
SAVED_SEARCHES_JOB_KIND = JobKind(key=SAVED_SEARCHES_JOB, run=run_check)
SAVED_SEARCHES_PERIODIC = Periodic(
    kind=SAVED_SEARCHES_JOB, every=timedelta(hours=1), label=CHECK_LABEL
)
