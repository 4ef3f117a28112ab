"""Large exports of the recommendations list are made by a job (rightstrack.jobs): above
EXPORT_BACKGROUND_ROWS rows a signed-in reader gets a page with the export's progress and then
the file, which only they may download (jobs/files.py); smaller exports stream at once."""

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _

from rightstrack.core.types import AnyUser, User
from rightstrack.jobs.files import for_requester, job_file, start_file_job
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import JobKind
from rightstrack.jobs.running import JobRun
from rightstrack.notifications.services import notify_file_ready

from . import exports
from .filters import parse_filters
from .selectors import recommendation_search

EXPORT_JOB = "recommendations.export"
# Progress is reported after this many rows.
REPORT_EVERY = 1000


def export_in_background(*, user: AnyUser, rows: int) -> bool:
    """Whether an export of ``rows`` rows for ``user`` is made by a job."""
    return user.is_authenticated and rows > settings.EXPORT_BACKGROUND_ROWS


def start_export(*, user: User, query: str, fmt: str, base_url: str, rows: int) -> Job:
    """Queue the export of the list ``query`` (the list page's filters, as in its address)
    as ``fmt`` for ``user``, in the current language."""
    return start_file_job(
        kind=EXPORT_JOB,
        user=user,
        label=_("Export of %(count)s recommendations (%(format)s)")
        % {"count": rows, "format": fmt.upper()},
        params={"query": query, "format": fmt, "base_url": base_url},
    )


def run_export(job: Job, run: JobRun) -> str:
    params = job.params
    fmt = params["format"]
    with for_requester(job) as user:
        search = recommendation_search(user=user, filters=parse_filters(QueryDict(params["query"])))
        recommendations = search.sorted_queryset()
        total = recommendations.count()
        run.report(0, total)

        def reported(rows):
            for done, row in enumerate(rows, start=1):
                if done % REPORT_EVERY == 0:
                    run.report(done, total)
                yield row

        rows = exports.export_rows(
            recommendations, tag_statuses=search.tag_statuses, base_url=params["base_url"]
        )
        file_name = exports.RECOMMENDATIONS.file_name_for(fmt)
        content_type = exports.FORMATS[fmt].content_type
        with job_file(job, file_name=file_name, content_type=content_type) as stream:
            exports.RECOMMENDATIONS.write(stream, fmt, reported(rows))
        notify_file_ready(job)
        run.report(total, total)
        return _("%(count)s recommendations exported.") % {"count": total}


EXPORT_JOB_KIND = JobKind(key=EXPORT_JOB, run=run_export)
