from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from rightstrack.core.roles import can_manage, can_read_internal
from rightstrack.core.web import (
    ListPage,
    RoleCheck,
    form_action,
    redirect_back,
    render_page_or_partial,
    show_service_errors,
    wants_partial,
)

from . import services
from .filters import REVIEW_SORTS, ReviewFilterForm
from .forms import AcceptAboveForm, ClusterAcceptForm, ClusterProposalForm, TrainForm
from .indexes import IndexNotBuilt
from .selectors import (
    DEFAULT_CLUSTER_THRESHOLD,
    index_status,
    latest_runs,
    models_overview,
    proposed_clusters,
    recommendation_for,
    review_batches,
    review_list,
    similar_recommendations,
    state_for_code,
    suggestion_get,
    unbuilt_index_status,
)
from .similarity import load_similarity_index

SIMILAR_SHOWN = 10


REVIEW_LIST = ListPage(
    template="intelligence/review.html",
    partial_template="intelligence/_review_results.html",
    sorts=REVIEW_SORTS,
)
may_read_suggestions = RoleCheck(
    can_read_internal, gettext_lazy("Only internal readers may see machine suggestions.")
)
may_read_proposed_clusters = RoleCheck(
    can_read_internal, gettext_lazy("Only internal readers may see proposed clusters.")
)
may_create_clusters = RoleCheck(
    can_manage, gettext_lazy("Only administrators and coordinators may create clusters.")
)


@may_read_suggestions.required
@require_GET
def review_view(request):
    batches = review_batches(user=request.user)
    form = ReviewFilterForm(request.GET or None, batches=None)
    filters = form.filters()
    return REVIEW_LIST.render(
        request,
        form=form,
        filters=filters,
        rows=lambda filters: review_list(user=request.user, filters=filters),
        context={
            "can_manage": can_manage(request.user),
            "accept_form": AcceptAboveForm(
                batches=batches,
                auto_id="accept_%s",
                initial={"batch": filters.get("batch"), "scheme": filters.get("scheme")},
            ),
        },
        page_context=lambda: {"runs": latest_runs(user=request.user)},
    )


def _decide(request, pk, decide):
    tag = suggestion_get(user=request.user, pk=pk)
    try:
        tag = decide(actor=request.user, tag=tag)
    except ValidationError as error:
        show_service_errors(request, error)
        return redirect_back(request, reverse("intelligence:review"))
    if wants_partial(request):
        return render(request, "intelligence/_suggestion.html", {"tag": tag, "can_manage": True})
    if decide is services.suggestion_accept:
        messages.success(request, _("Accepted: %(term)s.") % {"term": tag.term.label})
    else:
        messages.success(request, _("Rejected: %(term)s.") % {"term": tag.term.label})
    return redirect_back(request, reverse("intelligence:review"))


@login_required
@require_POST
def suggestion_accept_view(request, pk):
    return _decide(request, pk, services.suggestion_accept)


@login_required
@require_POST
def suggestion_reject_view(request, pk):
    return _decide(request, pk, services.suggestion_reject)


@services.require_manager.required
@require_POST
def accept_above_view(request):
    form = AcceptAboveForm(request.POST, batches=review_batches(user=request.user))
    return form_action(
        request,
        form,
        act=lambda: services.suggestions_accept_above(
            actor=request.user,
            batch=form.cleaned_data["batch"],
            threshold=form.cleaned_data["threshold"],
            scheme=form.cleaned_data["scheme"] or None,
        ),
        success=lambda count: (
            _("%(count)s suggestion(s) with confidence at least %(threshold).2f accepted.")
            % {"count": count, "threshold": form.cleaned_data["threshold"]}
        ),
        done=lambda count: redirect_back(request, reverse("intelligence:review")),
        refused=lambda: redirect_back(request, reverse("intelligence:review")),
    )
    try:
        count = services.suggestions_accept_above(
            actor=request.user,
            batch=form.cleaned_data["batch"],
            threshold=form.cleaned_data["threshold"],
            scheme=form.cleaned_data["scheme"] or None,
        )
    except ValidationError as error:
        show_service_errors(request, error)
    else:
        messages.success(
            request,
            _("%(count)s suggestion(s) with confidence at least %(threshold).2f accepted.")
            % {"count": count, "threshold": form.cleaned_data["threshold"]},
        )
    return redirect_back(request, reverse("intelligence:review"))


@require_GET
def similar_view(request, pk):
    """The "Similar recommendations" panel: a fragment for HTMX, a page without JavaScript."""
    recommendation = recommendation_for(user=request.user, pk=pk)
    status = None
    try:
        index = load_similarity_index()
        similar = similar_recommendations(
            user=request.user, recommendation=recommendation, k=SIMILAR_SHOWN, index=index
        )
        status = index_status(user=request.user, index=index)
        index_missing = False
    except IndexNotBuilt:
        similar, index_missing = [], True
        status = unbuilt_index_status()
    context = {
        "recommendation": recommendation,
        "similar": similar,
        "repeated": [item for item in similar if item.repeats],
        "index_missing": index_missing,
        "index_status": status,
        "can_manage": can_manage(request.user),
    }
    return render_page_or_partial(
        request,
        template="intelligence/similar.html",
        partial_template="intelligence/_similar.html",
        context=context,
    )


@may_read_proposed_clusters.required
def clusters_view(request):
    """Proposed clusters of a State's recommendations; a manager accepts one as a cluster."""
    if request.method == "POST":
        return _accept_cluster(request)
    form = ClusterProposalForm(request.GET or None)
    proposals, state, index_missing, status = [], None, False, None
    if form.is_bound and form.is_valid():
        state = state_for_code(form.cleaned_data["state"])
        threshold = form.cleaned_data["threshold"] or DEFAULT_CLUSTER_THRESHOLD
        try:
            proposals = proposed_clusters(user=request.user, state=state, threshold=threshold)
        except IndexNotBuilt:
            index_missing, status = True, unbuilt_index_status()
    context = {
        "form": form,
        "state": state,
        "proposals": proposals,
        "index_missing": index_missing,
        "index_status": status,
        "can_manage": can_manage(request.user),
    }
    return render(request, "intelligence/clusters.html", context)


def _accept_cluster(request):
    may_create_clusters(request.user)
    state = state_for_code(request.POST.get("state"))
    form = ClusterAcceptForm(request.POST)
    return form_action(
        request,
        form,
        act=lambda: services.proposed_cluster_accept(
            actor=request.user,
            state=state,
            recommendations=form.cleaned_data["recommendations"],
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        ),
        success=lambda cluster: _("The cluster “%(name)s” was created.") % {"name": cluster.name},
        done=lambda cluster: HttpResponseRedirect(cluster.get_absolute_url()),
        refused=lambda: redirect_back(
            request, reverse("intelligence:clusters") + f"?state={state.code}"
        ),
    )


@services.require_manager.required
@require_POST
def build_indexes_view(request):
    """Queue a build of the indexes (a manager's button where a feature waits for them)."""
    from .jobs import start_index_build

    start_index_build(user=request.user)
    messages.success(
        request,
        _("The indexes are being built by a background job; the features using them follow."),
    )
    return redirect_back(request, reverse("intelligence:models"))


def _train_form(data=None):
    from .jobs import upr_info_files

    return TrainForm(data, upr_info_available=bool(upr_info_files()))


@services.require_manager.required
@require_GET
def models_view(request):
    """The indexes and the taggers: how current they are, the jobs preparing them, and the
    buttons that start those jobs (managers)."""
    return render(
        request,
        "intelligence/models.html",
        {"overview": models_overview(user=request.user), "train_form": _train_form()},
    )


@services.require_manager.required
@require_POST
def train_view(request):
    """Queue the training of the chosen taggers (a job; the page shows how far it is)."""
    from .jobs import start_training

    form = _train_form(request.POST)
    return form_action(
        request,
        form,
        act=lambda: start_training(
            user=request.user,
            schemes=form.cleaned_data["schemes"],
            source=form.cleaned_data["source"],
            suggest=form.cleaned_data["suggest"],
        ),
        success=_("The taggers are being trained by a background job (see below)."),
        done=lambda started: HttpResponseRedirect(reverse("intelligence:models")),
        refused=lambda: HttpResponseRedirect(reverse("intelligence:models")),
    )
