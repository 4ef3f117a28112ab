from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.audit.selectors import history_for
from rightstrack.core.listing import paginate
from rightstrack.core.roles import can_manage, can_read_internal

from . import services
from .extensions import presence_page
from .filters import PresenceFilterForm
from .forms import FeatureStoryForm, PresenceForm, add_service_errors
from .selectors import (
    feature_story_get,
    presence_facets,
    presence_filter_terms,
    presence_get,
    presence_list,
)


def _wants_partial(request):
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def presence_list_view(request):
    partial = _wants_partial(request)
    facets = None if partial else presence_facets(user=request.user)
    form = PresenceFilterForm(request.GET, facets=facets, **presence_filter_terms())
    filters = form.filters()
    page = paginate(presence_list(user=request.user, filters=filters), page=request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "sort": filters.get("sort", "title"),
        "is_filtered": any(key != "sort" for key in filters),
        "can_manage": can_manage(request.user),
    }
    template = "presences/_results.html" if partial else "presences/presence_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def presence_detail_view(request, slug):
    presence = presence_get(user=request.user, slug=slug)
    context = {
        "presence": presence,
        "can_manage": can_manage(request.user),
        "can_read_internal": can_read_internal(request.user),
        "history": history_for(user=request.user, obj=presence),
        # What the apps built on presences show about it (see extensions.py).
        "sections": presence_page.render(request, presence),
    }
    return render(request, "presences/presence_detail.html", context)


@login_required
def presence_create_view(request):
    services.require_manager(request.user)
    form = PresenceForm(
        request.POST if request.method == "POST" else None, initial={"budget_currency": "USD"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            presence = services.presence_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The field presence was created (not yet published)."))
            return redirect(presence)
    return render(request, "presences/presence_form.html", {"form": form, "presence": None})


@login_required
def presence_edit_view(request, slug):
    services.require_manager(request.user)
    presence = presence_get(user=request.user, slug=slug)
    form = PresenceForm(
        request.POST if request.method == "POST" else None,
        initial=PresenceForm.initial_for(presence),
    )
    if request.method == "POST" and form.is_valid():
        try:
            presence = services.presence_update(
                actor=request.user, presence=presence, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(presence)
    return render(request, "presences/presence_form.html", {"form": form, "presence": presence})


@login_required
@require_POST
def presence_publish_view(request, slug):
    services.require_manager(request.user)
    presence = presence_get(user=request.user, slug=slug)
    published = request.POST.get("published") == "1"
    services.presence_set_published(actor=request.user, presence=presence, published=published)
    if published:
        messages.success(request, _("The field presence is published."))
    else:
        messages.success(request, _("The field presence is no longer published."))
    return redirect(presence)


@login_required
def feature_story_create_view(request, slug):
    services.require_manager(request.user)
    presence = presence_get(user=request.user, slug=slug)
    form = FeatureStoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feature_story_create(
                actor=request.user, presence=presence, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The feature story was added."))
            return redirect(presence)
    context = {"form": form, "presence": presence, "story": None}
    return render(request, "presences/feature_story_form.html", context)


@login_required
def feature_story_edit_view(request, slug, story_id):
    services.require_manager(request.user)
    presence = presence_get(user=request.user, slug=slug)
    story = feature_story_get(user=request.user, presence=presence, story_id=story_id)
    form = FeatureStoryForm(
        request.POST if request.method == "POST" else None,
        initial=FeatureStoryForm.initial_for(story),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.feature_story_update(actor=request.user, story=story, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The feature story was saved."))
            return redirect(presence)
    context = {"form": form, "presence": presence, "story": story}
    return render(request, "presences/feature_story_form.html", context)


@login_required
def feature_story_delete_view(request, slug, story_id):
    services.require_manager(request.user)
    presence = presence_get(user=request.user, slug=slug)
    story = feature_story_get(user=request.user, presence=presence, story_id=story_id)
    if request.method == "POST":
        services.feature_story_delete(actor=request.user, story=story)
        messages.success(request, _("The feature story was removed."))
        return redirect(presence)
    context = {"presence": presence, "story": story}
    return render(request, "presences/feature_story_confirm_delete.html", context)
