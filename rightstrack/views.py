"""Pages of the project as a whole, drawing on several apps (each app keeps its own pages)."""

from django.shortcuts import render
from django.utils import timezone

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
