from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rightstrack.audit.selectors import record_page_context
from rightstrack.core.roles import can_manage, can_read_internal
from rightstrack.core.web import (
    ListPage,
    RecordPages,
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
ACTIVITY_PAGES = RecordPages(
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
)
ORGANIZATION_PAGES = RecordPages(
    name="organization",
    form=OrganizationForm,
    template="activities/organization_form.html",
    create=services.organization_create,
    update=services.organization_update,
    created=gettext_lazy("The organization was added."),
)
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


@manager_required
def activity_create_view(request):
    return ACTIVITY_PAGES.create_page(
        request,
        presences=presences_for_activities(user=request.user),
        initial={"cost_currency": "USD", "presence": request.GET.get("presence", "")},
    )


@manager_required
def activity_edit_view(request, pk):
    activity = activity_get(user=request.user, pk=pk)
    return ACTIVITY_PAGES.edit_page(
        request, activity, presences=presences_for_activities(user=request.user)
    )


@manager_required
@require_POST
def activity_publish_view(request, pk):
    return ACTIVITY_PAGES.publish_action(request, activity_get(user=request.user, pk=pk))


@manager_required
def activity_delete_view(request, pk):
    activity = activity_get(user=request.user, pk=pk)
    presence = activity.presence
    return ACTIVITY_PAGES.delete_page(request, activity, done=lambda: redirect(presence))


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


@manager_required
def organization_create_view(request):
    return ORGANIZATION_PAGES.create_page(request)


@manager_required
def organization_edit_view(request, pk):
    return ORGANIZATION_PAGES.edit_page(request, organization_get(user=request.user, pk=pk))
