"""The periodic job that keeps the query planner's statistics current (core.db_statistics).

Bulk writes refresh the statistics of what they wrote; this catches what many small writes add
up to, on SQLite (which never gathers them by itself) and on a PostgreSQL whose autovacuum is
off or behind.
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
    analysed = refresh_stale_statistics()
    if not analysed:
        return _("The statistics of every table were current.")
    return _("Statistics gathered again for %(count)s table(s): %(tables)s.") % {
        "count": len(analysed),
        "tables": ", ".join(analysed),
    }


STATISTICS_JOB_KIND = JobKind(key=STATISTICS_JOB, run=_refresh)
STATISTICS_PERIODIC = Periodic(
    kind=STATISTICS_JOB,
    every=timedelta(minutes=10),
    label=gettext_lazy("Query planner statistics of the tables that changed"),
)
