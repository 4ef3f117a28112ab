"""Checking the saved searches for new matches, as a job: after every import and, in case a
recommendation arrives another way, every hour (a periodic job the worker starts)."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rightstrack.jobs.registry import JobKind, Periodic

SAVED_SEARCHES_JOB = "recommendations.saved_searches"


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
    from rightstrack.jobs.services import job_start_on_commit

    if not batch.dry_run and batch.created:
        # Not queued, the hourly check catches up.
        job_start_on_commit(
            kind=SAVED_SEARCHES_JOB,
            label=str(CHECK_LABEL),
            unqueued="the check of the saved searches could not be queued",
        )
    return ""


CHECK_LABEL = gettext_lazy("New recommendations for saved searches")
SAVED_SEARCHES_JOB_KIND = JobKind(key=SAVED_SEARCHES_JOB, run=run_check)
SAVED_SEARCHES_PERIODIC = Periodic(
    kind=SAVED_SEARCHES_JOB, every=timedelta(hours=1), label=CHECK_LABEL
)
