"""What intelligence adds to the recommendations app, registered in its extensions.py (the
recommendations app is below this one and never imports it): search by meaning and the state of
its index, tag suggestions after an import, and the similar recommendations on a
recommendation's page."""

import logging

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.core.roles import can_manage
from rightstrack.jobs.registry import on_worker_start
from rightstrack.jobs.registry import register as register_job_kind
from rightstrack.notifications import extensions as notifications
from rightstrack.recommendations import extensions
from rightstrack.recommendations.search import MeaningUnavailable

from .jobs import JOB_KINDS, queue_missing_work

# The modules doing the work (numpy, scikit-learn) are imported when a hook runs, not when the
# app registers its hooks at start-up.

logger = logging.getLogger(__name__)


def search_by_meaning(*, user, filters):
    """The recommendation search by meaning; MeaningUnavailable when no index has been built."""
    from .indexes import IndexNotBuilt
    from .selectors import meaning_search

    try:
        return meaning_search(user=user, filters=filters)
    except IndexNotBuilt:
        raise MeaningUnavailable from None


def after_import(batch, user) -> str:
    """Once an import has written recommendations: machine tag suggestions for those the batch
    created or changed, from every scheme with a trained model (none trained: nothing happens),
    and the indexes brought up to date, each as a job of its own. Returns what the batch's
    message says of it; a failure there never undoes the import."""
    from rightstrack.jobs.models import Job

    from .jobs import any_tagger_trained, auto_index, start_index_update, start_suggestions

    parts = []
    if any_tagger_trained():
        try:
            job = start_suggestions(batch, user=user)
        except Exception:
            logger.exception("tag suggestions for import batch %s could not be queued", batch.pk)
            parts.append(_("No tags were suggested: an unexpected error was logged."))
        else:
            if job.status == Job.Status.SUCCEEDED:
                parts.append(job.result)  # Run at once (immediate task backend).
            elif job.status == Job.Status.FAILED:
                parts.append(job.error)
            else:
                parts.append(
                    _("Tag suggestions for these recommendations are being made (see Jobs).")
                )
    if auto_index():
        try:
            job = start_index_update(user=None)
        except Exception:
            logger.exception("the index update after import batch %s could not be queued", batch.pk)
        else:
            if job.status in (Job.Status.PENDING, Job.Status.RUNNING):
                parts.append(
                    _(
                        "Similar recommendations and search by meaning are being brought up to "
                        "date with these recommendations (see Jobs)."
                    )
                )
    return " ".join(parts)


def meaning_index_status(*, user):
    from .selectors import semantic_index_status

    return semantic_index_status(user=user)


def similar_section(request, recommendation) -> str:
    """The recommendation page's section of similar recommendations (loaded after the page)."""
    return render_to_string(
        "intelligence/_similar_placeholder.html", {"recommendation": recommendation}, request
    )


def suggestions_waiting(user, today):
    from .selectors import suggestions_waiting

    return suggestions_waiting(user=user)


SUGGESTIONS_WORK = notifications.WorkKind(
    key=notifications.SUGGESTIONS_TO_REVIEW,
    label=gettext_lazy("Recommendations with tag suggestions to review"),
    url=lambda user: reverse("intelligence:review"),
    applies=can_manage,
    count=suggestions_waiting,
    order=50,
)


def register() -> None:
    notifications.work.add(SUGGESTIONS_WORK)
    extensions.registered.meaning_search = extensions.MeaningSearchHooks(
        search=search_by_meaning, index_status=meaning_index_status
    )
    extensions.registered.add_after_import(after_import)
    for kind in JOB_KINDS:
        register_job_kind(kind)
    on_worker_start(queue_missing_work)
    extensions.registered.detail_sections.add(similar_section)
