from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from rightstrack.audit.selectors import record_page_context
from rightstrack.core import web
from rightstrack.core.record_views import RecordViews
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

PRESENCE_PAGES = RecordViews(
    name="presence",
    form=PresenceForm,
    template="presences/presence_form.html",
    create=services.presence_create,
    update=services.presence_update,
    created=gettext_lazy("The field presence was created (not yet published)."),
    set_published=services.presence_set_published,
    published=gettext_lazy("The field presence is published."),
    unpublished=gettext_lazy("The field presence is no longer published."),
    lookup=presence_get,
    guard=manager_required,
    key="slug",
    initial=lambda request: {"budget_currency": "USD"},
)
presence_create_view, presence_edit_view, presence_publish_view = PRESENCE_PAGES.views(
    "create", "edit", "publish"
)
STORY_PAGES = web.RecordPages(
    name="story",
    form=FeatureStoryForm,
    template="presences/feature_story_form.html",
    create=services.feature_story_create,
    update=services.feature_story_update,
    created=gettext_lazy("The feature story was added."),
    saved=gettext_lazy("The feature story was saved."),
    delete=services.feature_story_delete,
    deleted=gettext_lazy("The feature story was removed."),
    delete_template="presences/feature_story_confirm_delete.html",
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
def feature_story_create_view(request, slug):
    presence = presence_get(user=request.user, slug=slug)
    return STORY_PAGES.create_page(
        request, parent={"presence": presence}, done=lambda saved: redirect(presence)
    )


@manager_required
def feature_story_edit_view(request, slug, story_id):
    presence = presence_get(user=request.user, slug=slug)
    story = feature_story_get(user=request.user, presence=presence, story_id=story_id)
    return STORY_PAGES.edit_page(
        request, story, context={"presence": presence}, done=lambda saved: redirect(presence)
    )


@manager_required
def feature_story_delete_view(request, slug, story_id):
    presence = presence_get(user=request.user, slug=slug)
    story = feature_story_get(user=request.user, presence=presence, story_id=story_id)
    return STORY_PAGES.delete_page(
        request, story, context={"presence": presence}, done=lambda: redirect(presence)
    )
