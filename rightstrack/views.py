"""Pages of the project as a whole, drawing on several apps (each app keeps its own pages)."""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import RedirectView

from rightstrack.core.roles import Role, can_manage, can_read_internal, role_of
from rightstrack.notifications.selectors import work_for_request
from rightstrack.plans.access import focal_agency_id
from rightstrack.presences.selectors import presence_list
from rightstrack.progress.selectors import (
    due_for_user,
    overdue_agencies,
    own_assessments,
    returned_reports,
)
from rightstrack.recommendations.imports.selectors import import_batch_list
from rightstrack.reports.portal_selectors import key_figures

RECENT_IMPORTS_SHOWN = 5
RETURNED_SHOWN = 10
ASSESSMENTS_SHOWN = 10
OVERDUE_AGENCIES_SHOWN = 10

logger = logging.getLogger(__name__)


def home(request):
    """One home page, its sections by role: a focal point's reports due, overdue and returned; a
    coordinator's work waiting for review and the agencies late with reports; everybody's key
    figures and a search box. Every read is scoped to the user by the apps' selectors."""
    user = request.user
    today = timezone.localdate()
    context = {
        "role": role_of(user),
        "work": work_for_request(request),
        "figures": key_figures(),
        "presences": presence_list(user=user, filters={})[:12],
    }
    if focal_agency_id(user):
        due = due_for_user(user=user, today=today)
        context["overdue"] = [item for item in due if item.is_overdue]
        context["due_soon"] = [item for item in due if not item.is_overdue]
        context["returned"] = list(returned_reports(user=user)[:RETURNED_SHOWN])
    if can_read_internal(user):
        context["overdue_agencies"] = overdue_agencies(user=user, today=today)[
            :OVERDUE_AGENCIES_SHOWN
        ]
    if can_manage(user):
        context["recent_imports"] = list(import_batch_list(user=user)[:RECENT_IMPORTS_SHOWN])
    if role_of(user) == Role.CIVIL_SOCIETY:
        context["assessments"] = list(own_assessments(user=user)[:ASSESSMENTS_SHOWN])
    return render(request, "home.html", context)


@requires_csrf_token
def server_error(request):
    """The 500 page inside the layout, in the reader's language; Django's plain page when the
    layout itself cannot be drawn (the database may be what failed)."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The error page could not be drawn in the layout")
        return HttpResponseServerError(
            b"<!DOCTYPE html><title>Server error</title><h1>Server error (500)</h1>",
            content_type="text/html",
        )


class FaviconView(RedirectView):
    """/favicon.ico, asked for by clients that do not read the page's icon link."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")
