"""What intelligence adds to the recommendations app, registered in its extensions.py (the
recommendations app is below this one and never imports it): search by meaning and the state of
its index, tag suggestions after an import, and the similar recommendations on a
recommendation's page."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightstrack.recommendations import extensions
from rightstrack.recommendations.search import MeaningUnavailable

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
    created or changed, from every scheme with a trained model (none trained: nothing happens).
    Returns what the batch's message says of it; a failure here never undoes the import."""
    from .services import suggest_for_batch

    parts = []
    try:
        runs = suggest_for_batch(actor=user, batch=batch)
    except (ValidationError, PermissionDenied) as error:
        runs = []
        parts.append(_("No tags were suggested: %(reason)s") % {"reason": " ".join(error.messages)})
    except Exception:
        logger.exception("tag suggestions for import batch %s failed", batch.pk)
        runs = []
        parts.append(_("No tags were suggested: an unexpected error was logged."))
    if runs:
        count = sum(run.created for run in runs)
        parts.append(
            ngettext(
                "%(count)s tag suggestion was made for review (%(schemes)s).",
                "%(count)s tag suggestions were made for review (%(schemes)s).",
                count,
            )
            % {"count": count, "schemes": ", ".join(run.scheme for run in runs)}
        )
    if batch.created and _indexes_built():
        parts.append(
            _(
                "Similar recommendations and search by meaning include the new recommendations "
                "once the indexes are rebuilt (rightstrack similarity build)."
            )
        )
    return " ".join(parts)


def _indexes_built():
    from . import semantic, similarity

    return similarity.index_file().exists() or semantic.index_file().exists()


def meaning_index_status(*, user):
    from .selectors import semantic_index_status

    return semantic_index_status(user=user)


def similar_section(request, recommendation) -> str:
    """The recommendation page's section of similar recommendations (loaded after the page)."""
    return render_to_string(
        "intelligence/_similar_placeholder.html", {"recommendation": recommendation}, request
    )


def register() -> None:
    extensions.registered.meaning_search = extensions.MeaningSearchHooks(
        search=search_by_meaning, index_status=meaning_index_status
    )
    extensions.registered.add_after_import(after_import)
    extensions.registered.detail_sections.add(similar_section)
