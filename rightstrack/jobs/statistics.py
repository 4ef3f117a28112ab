"""The periodic job that keeps the query planner's statistics current (core.db_statistics).

Bulk writes refresh the statistics of what they wrote; this catches what many small writes add
up to, on SQLite (which never gathers them by itself) and on a PostgreSQL whose autovacuum is
off or behind.

A periodic job rather than one queued after writes: the check costs one query of PostgreSQL's
statistics system (SQLite: a count per table), a few milliseconds every ten minutes, and sees
the writes of every app, where the count queued after writes (recommendations.count_ahead)
watches only the recommendations' tables and runs after every write.
"""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.core.db_statistics import refresh_stale_statistics

from .models import Job
from .registry import JobKind, Periodic
from .running import JobRun

STATISTICS_JOB = "jobs.planner_statistics"


def _refresh(job: Job, run: JobRun) -> str:
    # Two workers may start one each at the same moment (jobs_start_periodic). Each job is
    # marked running before it looks here, so of two at once at least the later one sees the
    # other and leaves it the work: never two at a time.
    others = Job.objects.filter(kind=STATISTICS_JOB, status=Job.Status.RUNNING).exclude(pk=job.pk)
    if others.exists():
        return _("Another job was gathering the statistics; this one left it the work.")
    analysed, skipped = refresh_stale_statistics()
    said = []
    if analysed:
        said.append(
            _("Statistics gathered again for %(count)s table(s): %(tables)s.")
            % {"count": len(analysed), "tables": ", ".join(analysed)}
        )
    if skipped:
        said.append(
            _("Left to the next run, as other work held them: %(tables)s.")
            % {"tables": ", ".join(skipped)}
        )
    return " ".join(said) or _("The statistics of every table were current.")


STATISTICS_JOB_KIND = JobKind(key=STATISTICS_JOB, run=_refresh)
STATISTICS_PERIODIC = Periodic(
    kind=STATISTICS_JOB,
    every=timedelta(minutes=10),
    label=gettext_lazy("Query planner statistics of the tables that changed"),
)
