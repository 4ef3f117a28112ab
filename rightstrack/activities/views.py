from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.audit.selectors import record_page_context
from rightstrack.core.record_views import RecordViews
from rightstrack.core.roles import can_manage, can_read_internal
from rightstrack.core.web import (
    ListPage,
    wants_partial,
)

from . import exports, services
from .filters import (
    ACTIVITY_SORTS,
    DEFAULT_ORGANIZATION_SORT,
    DEFAULT_SORT,
    ORGANIZATION_SORTS,
    ActivityFilterForm,
    OrganizationFilterForm,
)
from .forms import ActivityForm, OrganizationForm
from .models import OrganizationKind
from .selectors import (
    activity_filter_options,
    activity_get,
    activity_list,
    organization_activities,
    organization_get,
    organization_list,
    presences_for_activities,
)

manager_required = services.require_manager.required

ACTIVITY_LIST = ListPage(
    template="activities/activity_list.html",
    partial_template="activities/_results.html",
    default_sort=DEFAULT_SORT,
    sorts=ACTIVITY_SORTS,
)
ACTIVITY_PAGES = RecordViews(
    name="activity",
    form=ActivityForm,
    template="activities/activity_form.html",
    create=services.activity_create,
    update=services.activity_update,
    created=gettext_lazy("The activity was recorded (not yet published)."),
    set_published=services.activity_set_published,
    published=gettext_lazy("The activity is published."),
    unpublished=gettext_lazy("The activity is no longer published."),
    delete=services.activity_delete,
    deleted=gettext_lazy("The activity was deleted."),
    delete_template="activities/activity_confirm_delete.html",
    lookup=activity_get,
    guard=manager_required,
    form_kwargs=lambda request: {"presences": presences_for_activities(user=request.user)},
    initial=lambda request: {"cost_currency": "USD", "presence": request.GET.get("presence", "")},
    after_delete=lambda activity: activity.presence,
)
activity_create_view, activity_edit_view, activity_publish_view, activity_delete_view = (
    ACTIVITY_PAGES.views("create", "edit", "publish", "delete")
)
ORGANIZATION_PAGES = RecordViews(
    name="organization",
    form=OrganizationForm,
    template="activities/organization_form.html",
    create=services.organization_create,
    update=services.organization_update,
    created=gettext_lazy("The organization was added."),
    lookup=organization_get,
    guard=manager_required,
)
organization_create_view, organization_edit_view = ORGANIZATION_PAGES.views("create", "edit")
ORGANIZATION_LIST = ListPage(
    template="activities/organization_list.html",
    partial_template="activities/_organization_results.html",
    default_sort=DEFAULT_ORGANIZATION_SORT,
    sorts=ORGANIZATION_SORTS,
)


def activity_list_view(request):
    # The filter choices are only drawn on the whole page, so a fragment does not query them.
    options = None if wants_partial(request) else activity_filter_options(user=request.user)
    form = ActivityFilterForm(
        request.GET, options=options, show_published=can_read_internal(request.user)
    )
    return ACTIVITY_LIST.render(
        request,
        form=form,
        rows=lambda filters: activity_list(user=request.user, filters=filters, complete=False),
        context={"export_formats": exports.FORMATS, "can_manage": can_manage(request.user)},
    )


def activity_export_view(request, format):
    if format not in exports.FORMATS:
        raise Http404(_("No such export format."))
    form = ActivityFilterForm(request.GET, show_published=can_read_internal(request.user))
    activities = activity_list(user=request.user, filters=form.filters())
    return exports.export_response(activities, format=format)


def activity_detail_view(request, pk):
    activity = activity_get(user=request.user, pk=pk)
    context = {
        "activity": activity,
        **record_page_context(user=request.user, obj=activity),
    }
    return render(request, "activities/activity_detail.html", context)


# Organizations


def organization_list_view(request):
    return ORGANIZATION_LIST.render(
        request,
        form=OrganizationFilterForm(request.GET),
        rows=lambda filters: organization_list(user=request.user, filters=filters),
        context={"kinds": OrganizationKind.choices, "can_manage": can_manage(request.user)},
    )


def organization_detail_view(request, pk):
    organization = organization_get(user=request.user, pk=pk)
    as_partner, as_donor = organization_activities(user=request.user, organization=organization)
    context = {
        "organization": organization,
        "as_partner": as_partner,
        "as_donor": as_donor,
        **record_page_context(user=request.user, obj=organization),
    }
    return render(request, "activities/organization_detail.html", context)
