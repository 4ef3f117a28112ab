from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.audit.selectors import record_page_context
from rightstrack.core import web
from rightstrack.core.roles import can_manage

from . import services
from .extensions import presence_page
from .filters import PresenceFilterForm
from .forms import FeatureStoryForm, PresenceForm
from .selectors import (
    feature_story_get,
    presence_facets,
    presence_filter_terms,
    presence_get,
    presence_list,
)

manager_required = services.require_manager.required

PRESENCE_LIST = web.ListPage(
    template="presences/presence_list.html",
    partial_template="presences/_results.html",
    default_sort="title",
)


def presence_list_view(request):
    # The facet counts are only drawn on the whole page, so a fragment does not query them.
    facets = None if web.wants_partial(request) else presence_facets(user=request.user)
    return PRESENCE_LIST.render(
        request,
        form=PresenceFilterForm(request.GET, facets=facets, **presence_filter_terms()),
        rows=lambda filters: presence_list(user=request.user, filters=filters),
        context={"can_manage": can_manage(request.user)},
    )


def presence_detail_view(request, slug):
    presence = presence_get(user=request.user, slug=slug)
    context = {
        "presence": presence,
        **record_page_context(user=request.user, obj=presence),
        # What the apps built on presences show about it (see extensions.py).
        "sections": presence_page.render(request, presence),
    }
    return render(request, "presences/presence_detail.html", context)


@manager_required
def presence_create_view(request):
    form = web.bound_form(request, PresenceForm, initial={"budget_currency": "USD"})
    return web.form_page(
        request,
        form,
        save=lambda: services.presence_create(actor=request.user, data=form.cleaned_data),
        success=_("The field presence was created (not yet published)."),
        template="presences/presence_form.html",
        context={"presence": None},
    )


@manager_required
def presence_edit_view(request, slug):
    presence = presence_get(user=request.user, slug=slug)
    return web.edit_page(
        request,
        PresenceForm,
        presence,
        save=lambda form: services.presence_update(
            actor=request.user, presence=presence, data=form.cleaned_data
        ),
        template="presences/presence_form.html",
        context={"presence": presence},
    )


@manager_required
@require_POST
def presence_publish_view(request, slug):
    presence = presence_get(user=request.user, slug=slug)
    return web.toggle_published(
        request,
        presence,
        save=lambda published: services.presence_set_published(
            actor=request.user, presence=presence, published=published
        ),
        published_message=_("The field presence is published."),
        unpublished_message=_("The field presence is no longer published."),
    )


@manager_required
def feature_story_create_view(request, slug):
    presence = presence_get(user=request.user, slug=slug)
    form = web.bound_form(request, FeatureStoryForm)
    return web.form_page(
        request,
        form,
        save=lambda: services.feature_story_create(
            actor=request.user, presence=presence, data=form.cleaned_data
        ),
        success=_("The feature story was added."),
        template="presences/feature_story_form.html",
        context={"presence": presence, "story": None},
        done=lambda saved: redirect(presence),
    )


@manager_required
def feature_story_edit_view(request, slug, story_id):
    presence = presence_get(user=request.user, slug=slug)
    story = feature_story_get(user=request.user, presence=presence, story_id=story_id)
    return web.edit_page(
        request,
        FeatureStoryForm,
        story,
        save=lambda form: services.feature_story_update(
            actor=request.user, story=story, data=form.cleaned_data
        ),
        success=_("The feature story was saved."),
        template="presences/feature_story_form.html",
        context={"presence": presence, "story": story},
        done=lambda saved: redirect(presence),
    )


@manager_required
def feature_story_delete_view(request, slug, story_id):
    presence = presence_get(user=request.user, slug=slug)
    story = feature_story_get(user=request.user, presence=presence, story_id=story_id)
    return web.confirm_page(
        request,
        act=lambda: services.feature_story_delete(actor=request.user, story=story),
        success=_("The feature story was removed."),
        done=lambda: redirect(presence),
        template="presences/feature_story_confirm_delete.html",
        context={"presence": presence, "story": story},
    )
