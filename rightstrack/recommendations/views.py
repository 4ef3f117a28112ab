"""Pages of recommendations and clusters; thin over the selectors and services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.audit.selectors import history_for
from rightstrack.core.filtering import as_id
from rightstrack.core.listing import paginate
from rightstrack.core.record_views import button_on
from rightstrack.core.roles import can_manage, can_read_internal
from rightstrack.core.web import (
    ListPage,
    bound_form,
    button_action,
    edit_page,
    form_page,
    get_or_404,
    render_page_or_partial,
    show_service_errors,
)

from . import exports, services
from .counts import remembered_many, versioned_key
from .export_jobs import export_in_background, start_export
from .extensions import registered
from .filters import (
    MODE_MEANING,
    RECOMMENDATION_SORTS,
    SEARCH_MODES,
    SORT_RELEVANCE,
    RecommendationFilters,
    parse_filters,
)
from .forms import AddToClusterForm, ClusterForm, DuplicateFilterForm
from .imports.formats import FORMATS
from .models import Cluster, Recommendation
from .search import highlight, highlight_pattern, meaning_index_status
from .selectors import (
    DEFAULT_DUPLICATE_SORT,
    DUPLICATE_SORTS,
    cluster_choices,
    cluster_get,
    cluster_list,
    match_candidate_get,
    match_candidates,
    merge_get,
    recommendation_get,
    recommendation_merges,
    recommendation_results,
    recommendation_search,
    recommendation_sources,
    saved_search_list,
    source_get,
)
from .tags import tag_groups

manager_required = services.require_manager.required


def _with_highlights(recommendations, filters):
    pattern = highlight_pattern(filters.q) if filters.has_text() else None
    rows = list(recommendations)
    for recommendation in rows:
        recommendation.highlighted_text = highlight(recommendation.text, pattern)
    return rows


def _sorts_for(filters):
    return [
        option
        for option in RECOMMENDATION_SORTS
        if option.key != SORT_RELEVANCE or filters.has_text()
    ]


class _RenderedRows:
    """The results of a search as each row's HTML, for a Paginator.

    A row is rendered once per data version (counts.py), language, kind of reader, words
    highlighted and implementation status (read for the page's rows, from the measures the
    reader may see), and remembered: the next page showing it reads neither the row, its
    terms and tags, nor renders it again (two thirds of a list page's work). Rows found by
    meaning (each with its closeness) are rendered every time.
    """

    def __init__(self, search, *, select):
        self.search = search
        self.select = select

    def count(self):
        return self.search.results.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        results = self.search.results
        ids = results.page_ids(key)
        if not ids:
            return []
        if self.search.meaning is not None:
            return self._render(results.rows(ids))
        statuses = results.implementation_statuses(ids)
        reader = "+".join(sorted(self.search.tag_statuses))
        prefix = versioned_key(
            f"row:{get_language()}:{reader}:{int(self.select)}:{self.search.filters.q}",
            using=self.search.visible.db,
            version=self.search.data_version,
        )
        if prefix is None:
            return self._render(results.rows(ids))
        keys = {pk: f"{prefix}:{pk}:{statuses.get(pk, '')}" for pk in ids}
        found = remembered_many(
            keys,
            lambda missing: dict(zip(missing, self._render(results.rows(missing)), strict=True)),
        )
        return [found[pk] for pk in ids]

    def _render(self, rows):
        return [
            render_to_string(
                "recommendations/_recommendation.html",
                {"recommendation": row, "select": self.select},
            )
            for row in _with_highlights(rows, self.search.filters)
        ]


def recommendation_list_view(request):
    filters = parse_filters(request.GET)
    # ``exact=1``: count (and rank) every match of a search by words that matches very many.
    exact = request.GET.get("exact") == "1"
    search = recommendation_search(user=request.user, filters=filters, bound=not exact)
    manager = can_manage(request.user)
    page = paginate(_RenderedRows(search, select=manager), page=request.GET.get("page"))
    rows = page.object_list
    by_meaning = search.mode == MODE_MEANING
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "facets": search.facets(),
        # Stop words alone ("the"): not searched for, on any database (search.STOP_WORDS).
        "only_stop_words": filters.has_text() and not search.filters.has_text(),
        "bounded": search.bounded,
        "bounded_limit": search.bounded_limit,
        "search_modes": SEARCH_MODES,
        "by_meaning": by_meaning,
        "meaning_unavailable": search.meaning_unavailable,
        "meaning_index": meaning_index_status(user=request.user)
        if by_meaning or search.meaning_unavailable
        else None,
        "sorts": _sorts_for(search.filters),
        "sort": search.filters.sort_option.key,
        "is_filtered": filters.is_filtered(),
        "nothing_imported": page.paginator.count == 0 and not filters.is_filtered(),
        "export_query": urlencode(filters.query_pairs()),
        "export_formats": exports.FORMATS,
        "can_manage": manager,
        "clusters": cluster_choices(user=request.user) if manager else (),
        "import_formats": FORMATS,
    }
    return render_page_or_partial(
        request,
        template="recommendations/list.html",
        partial_template="recommendations/_results.html",
        context=context,
    )


def _wordings(recommendation):
    """The wordings grouped under one number, each with its States' names."""
    names = {state.code: state.label for state in recommendation.recommending_states.all()}
    wordings = []
    for wording in recommendation.wordings or ():
        if isinstance(wording, dict) and wording.get("text"):
            states = [names.get(code, code) for code in wording.get("states") or ()]
            wordings.append({"text": wording["text"], "states": states})
    return wordings


def recommendation_detail_view(request, pk):
    recommendation = get_or_404(
        recommendation_get, _("No such recommendation."), user=request.user, pk=pk
    )
    internal = can_read_internal(request.user)
    context = {
        "recommendation": recommendation,
        "wordings": _wordings(recommendation),
        "sources": recommendation_sources(user=request.user, recommendation=recommendation),
        "merges": recommendation_merges(user=request.user, recommendation=recommendation),
        "tag_groups": tag_groups(recommendation.visible_tags),
        "can_read_internal": internal,
        "can_manage": can_manage(request.user),
        "history": history_for(user=request.user, obj=recommendation) if internal else (),
        # What the apps built on recommendations show about it (see extensions.py).
        "detail_sections": registered.detail_sections.render(request, recommendation),
    }
    return render(request, "recommendations/detail.html", context)


def export_view(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404(_("Unknown export format."))
    filters = parse_filters(request.GET)
    search = recommendation_search(user=request.user, filters=filters)
    rows = search.sorted_queryset().count()
    if export_in_background(user=request.user, rows=rows):
        job = start_export(
            user=request.user,
            query=request.GET.urlencode(),
            fmt=fmt,
            base_url=request.build_absolute_uri("/")[:-1],
            rows=rows,
        )
        return redirect("jobs:file", pk=job.pk)
    return exports.export_response(
        search.sorted_queryset(),
        fmt,
        tag_statuses=search.tag_statuses,
        base_url=request.build_absolute_uri("/")[:-1],
    )


def cluster_list_view(request):
    clusters = paginate(cluster_list(user=request.user), page=request.GET.get("page"))
    context = {"page": clusters, "can_manage": can_manage(request.user)}
    return render(request, "recommendations/cluster_list.html", context)


def cluster_detail_view(request, slug):
    cluster = get_or_404(cluster_get, _("No such cluster."), user=request.user, slug=slug)
    filters = RecommendationFilters(cluster=(cluster.slug,), sort=parse_filters(request.GET).sort)
    page = paginate(
        recommendation_results(user=request.user, filters=filters), page=request.GET.get("page")
    )
    internal = can_read_internal(request.user)
    context = {
        "cluster": cluster,
        "page": page,
        "rows": _with_highlights(page.object_list, filters),
        "sorts": _sorts_for(filters),
        "sort": filters.sort_option.key,
        "list_query": urlencode(filters.query_pairs()),
        "can_manage": can_manage(request.user),
        "history": history_for(user=request.user, obj=cluster) if internal else (),
    }
    return render(request, "recommendations/cluster_detail.html", context)


@manager_required
def cluster_create_view(request):
    form = bound_form(request, ClusterForm)
    return form_page(
        request,
        form,
        save=lambda: services.cluster_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            state=form.cleaned_data["state"],
        ),
        success=_("The cluster was created."),
        template="recommendations/cluster_form.html",
        context={"cluster": None},
    )


@manager_required
def cluster_edit_view(request, slug):
    cluster = get_or_404(cluster_get, _("No such cluster."), user=request.user, slug=slug)
    return edit_page(
        request,
        ClusterForm,
        cluster,
        save=lambda form: services.cluster_update(
            actor=request.user, cluster=cluster, data=form.cleaned_data
        ),
        template="recommendations/cluster_form.html",
        context={"cluster": cluster},
    )


def _back(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@manager_required
@require_POST
def cluster_add_view(request):
    """Put the recommendations ticked on the list into a cluster, new or existing."""
    form = AddToClusterForm(request.POST)
    fallback = reverse("recommendations:list")
    if not form.is_valid():
        for error in form.errors.get("__all__", []):
            messages.error(request, error)
        return _back(request, fallback)
    ids = form.cleaned_data["recommendation"]
    try:
        if form.cleaned_data["cluster"]:
            cluster = cluster_get(user=request.user, slug=form.cleaned_data["cluster"])
            added = services.cluster_add(actor=request.user, cluster=cluster, recommendations=ids)
        else:
            cluster = services.cluster_create(
                actor=request.user, name=form.cleaned_data["new_name"], recommendations=ids
            )
            added = len(ids)
    except Cluster.DoesNotExist:
        messages.error(request, _("That cluster no longer exists."))
        return _back(request, fallback)
    except ValidationError as error:
        show_service_errors(request, error)
        return _back(request, fallback)
    messages.success(
        request,
        ngettext(
            "%(count)d recommendation added to “%(name)s”.",
            "%(count)d recommendations added to “%(name)s”.",
            added,
        )
        % {"count": added, "name": cluster.name},
    )
    return _back(request, cluster.get_absolute_url())


@manager_required
@require_POST
def cluster_remove_view(request, slug):
    cluster = get_or_404(cluster_get, _("No such cluster."), user=request.user, slug=slug)
    ids = [pk for pk in map(as_id, request.POST.getlist("recommendation")) if pk is not None]

    def back(*_result):
        return _back(request, cluster.get_absolute_url())

    return button_action(
        request,
        act=lambda: services.cluster_remove(
            actor=request.user, cluster=cluster, recommendations=ids
        ),
        success=lambda removed: (
            ngettext(
                "%(count)d recommendation taken out of the cluster.",
                "%(count)d recommendations taken out of the cluster.",
                removed,
            )
            % {"count": removed}
        ),
        done=back,
        refused=back,
    )


@login_required
def saved_search_list_view(request):
    searches = saved_search_list(user=request.user)
    return render(request, "recommendations/saved_searches.html", {"searches": searches})


@login_required
@require_POST
def saved_search_create_view(request):
    """Save the list the user is looking at (its query string) under a name."""
    try:
        search = services.saved_search_create(
            actor=request.user,
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
        )
    except ValidationError as error:
        show_service_errors(request, error)
        query = services.saved_search_query(request.POST.get("query", ""))
        return redirect(f"{reverse('recommendations:list')}?{query}")
    messages.success(
        request,
        _("The search “%(name)s” was saved. You will be told when new recommendations match it.")
        % {"name": search.name},
    )
    return redirect(search.get_absolute_url())


@login_required
@require_POST
def saved_search_delete_view(request, pk):
    services.saved_search_delete(actor=request.user, pk=pk)
    messages.success(request, _("The saved search was deleted."))
    return redirect("recommendations:saved-searches")


# --- one recommendation, several sources ------------------------------------------------------

merger_required = services.require_merger.required


@merger_required
@require_POST
def recommendation_merge_view(request, pk):
    """Merge the recommendation whose id is given into this one."""
    target = get_or_404(recommendation_get, _("No such recommendation."), user=request.user, pk=pk)
    merged_id = as_id(request.POST.get("merged", ""))
    try:
        merged = recommendation_get(user=request.user, pk=merged_id) if merged_id else None
    except Recommendation.DoesNotExist:
        merged = None
    if merged is None:
        messages.error(request, _("Give the number (id) of a recommendation to merge."))
        return redirect(target)
    return button_on(
        request,
        target,
        act=lambda: services.recommendations_merge(
            actor=request.user, target=target, merged=merged
        ),
        success=_("Recommendation #%(id)s was merged into this one.") % {"id": merged_id},
    )


@merger_required
@require_POST
def merge_undo_view(request, pk):
    merge = get_or_404(merge_get, _("No such merge."), user=request.user, pk=pk)
    return button_action(
        request,
        act=lambda: services.merge_undo(actor=request.user, merge=merge),
        success=_("The merge was undone."),
        done=redirect,
        refused=lambda: redirect("recommendations:detail", pk=merge.target_id),
    )


@merger_required
@require_POST
def source_split_view(request, pk):
    source = get_or_404(source_get, _("No such source record."), user=request.user, pk=pk)
    old = source.recommendation
    return button_action(
        request,
        act=lambda: services.source_split(actor=request.user, source=source),
        success=_("The source is now a recommendation of its own."),
        done=redirect,
        refused=lambda: redirect(old),
    )


DUPLICATE_LIST = ListPage(
    template="recommendations/duplicates.html",
    partial_template="recommendations/_duplicate_results.html",
    default_sort=DEFAULT_DUPLICATE_SORT,
    sorts=DUPLICATE_SORTS,
)


@merger_required
def duplicates_view(request):
    """The review queue: possible duplicates found on import, side by side."""
    return DUPLICATE_LIST.render(
        request,
        form=DuplicateFilterForm(request.GET),
        rows=lambda filters: match_candidates(user=request.user, filters=filters),
    )


@merger_required
@require_POST
def duplicate_decide_view(request, pk):
    candidate = get_or_404(
        match_candidate_get, _("No such possible duplicate."), user=request.user, pk=pk
    )
    same = request.POST.get("decision") == "same"

    def back(*_result):
        return _back(request, reverse("recommendations:duplicates"))

    return button_action(
        request,
        act=lambda: services.match_decide(actor=request.user, candidate=candidate, same=same),
        success=_("Merged into one recommendation.") if same else _("Kept as two recommendations."),
        done=back,
        refused=back,
    )
