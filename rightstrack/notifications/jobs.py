"""The daily digest as a periodic job: the worker starts it once a day (jobs.registry.PERIODIC)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rightstrack.jobs.registry import JobKind, Periodic

DIGEST_JOB = "notifications.digest"


def run_digest(job, run) -> str:
    from .services import digest_send

    digests = digest_send(today=timezone.localdate())
    run.report(len(digests), len(digests))
    return (
        ngettext(
            "%(count)d daily digest was e-mailed.",
            "%(count)d daily digests were e-mailed.",
            len(digests),
        )
        % {"count": len(digests)}
        if digests
        else _("No digest was due: nothing new for anybody.")
    )


DIGEST_JOB_KIND = JobKind(key=DIGEST_JOB, run=run_digest)
DIGEST_PERIODIC = Periodic(
    kind=DIGEST_JOB, every=timedelta(days=1), label=gettext_lazy("Daily e-mail digest")
)
