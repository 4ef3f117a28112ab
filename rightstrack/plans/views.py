from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rightstrack.audit.selectors import history_for, record_page_context
from rightstrack.core.filtering import as_id
from rightstrack.core.listing import paginate
from rightstrack.core.record_views import RecordViews, button_on
from rightstrack.core.roles import can_manage
from rightstrack.core.web import (
    ListPage,
    RecordPages,
    bound_form,
    button_action,
    edit_page,
    form_page,
    render_page_or_partial,
    show_service_errors,
    wants_partial,
)
from rightstrack.recommendations.models import Cluster, ImplementationStatus, Position

from . import services
from .access import focal_agency_id, may_report_on, may_update_indicator_values, visible_measures
from .dashboard import plan_dashboard
from .extensions import registered
from .filters import MEASURE_SORTS, PLAN_SORTS, UNCOVERED_SORTS
from .forms import (
    IndicatorForm,
    IndicatorValuesForm,
    MeasureFilterForm,
    MeasureForm,
    PlanFilterForm,
    PlanForm,
    UncoveredFilterForm,
)
from .models import MeasureStatus
from .selectors import (
    agencies_with_measures,
    chosen_recommendations,
    clusters_to_link,
    indicator_get,
    measure_get,
    measure_list,
    measure_recommendations,
    measures_to_link,
    plan_get,
    plan_list,
    plans_to_link,
    recommendations_to_link,
    themes_of_measures,
    uncovered_recommendations,
    user_agency,
)

manager_required = services.require_manager.required

PLAN_LIST = ListPage(
    template="plans/plan_list.html",
    partial_template="plans/_plan_results.html",
    default_sort="name",
    sorts=PLAN_SORTS,
)
PLAN_PAGES = RecordViews(
    name="plan",
    form=PlanForm,
    template="plans/plan_form.html",
    create=services.plan_create,
    update=services.plan_update,
    created=gettext_lazy("The action plan was created (not yet published)."),
    set_published=services.plan_set_published,
    published=gettext_lazy("The action plan is published."),
    unpublished=gettext_lazy("The action plan is no longer published."),
    lookup=plan_get,
    guard=manager_required,
    key="slug",
    initial=lambda request: {"status": "draft"},
)
plan_create_view, plan_edit_view, plan_publish_view = PLAN_PAGES.views("create", "edit", "publish")
INDICATOR_PAGES = RecordPages(
    name="indicator",
    form=IndicatorForm,
    template="plans/indicator_form.html",
    create=services.indicator_create,
    update=services.indicator_update,
    created=gettext_lazy("The indicator was added."),
    saved=gettext_lazy("The indicator was saved."),
)
PLAN_MEASURE_LIST = ListPage(
    template="plans/plan_detail.html",
    partial_template="plans/_measure_results.html",
    default_sort="number",
    sorts=MEASURE_SORTS,
)
MY_MEASURE_LIST = ListPage(
    template="plans/my_measures.html",
    partial_template="plans/_measure_results.html",
    default_sort="number",
    sorts=MEASURE_SORTS,
)


def plan_list_view(request):
    return PLAN_LIST.render(
        request,
        form=PlanFilterForm(request.GET),
        rows=lambda filters: plan_list(user=request.user, filters=filters),
        context={"can_manage": can_manage(request.user)},
    )


def _measure_filter_form(request, *, user, plan=None, themes=()):
    return MeasureFilterForm(
        request.GET,
        agencies=agencies_with_measures(user=user, plan=plan),
        statuses=MeasureStatus.choices,
        themes=themes,
    )


def plan_detail_view(request, slug):
    plan = plan_get(user=request.user, slug=slug)
    # The whole page's dashboard counts the measures by theme, and the theme filter offers the
    # same themes: read from those counts rather than joining the plan's recommendations to
    # their tags a second time. A partial (HTMX) has no dashboard and asks for the themes alone.
    dashboard = (
        None
        if wants_partial(request)
        else plan_dashboard(user=request.user, plan=plan, today=timezone.localdate())
    )
    themes = (
        dashboard["themes"]
        if dashboard is not None
        else themes_of_measures(measures=visible_measures(request.user).filter(plan=plan))
    )
    return PLAN_MEASURE_LIST.render(
        request,
        form=_measure_filter_form(request, user=request.user, plan=plan, themes=themes),
        scope={"plan": plan.slug},
        rows=lambda filters: measure_list(user=request.user, filters=filters),
        context={"plan": plan, "can_manage": can_manage(request.user)},
        page_context=lambda: {
            "dashboard": dashboard,
            "history": history_for(user=request.user, obj=plan),
        },
    )


def plan_uncovered_view(request, slug):
    plan = plan_get(user=request.user, slug=slug)
    form = UncoveredFilterForm(request.GET, sorts=UNCOVERED_SORTS)
    cleaned = form.cleaned_data if form.is_valid() else {}
    scope = cleaned.get("scope") or "plan"
    recommendations = uncovered_recommendations(
        user=request.user,
        plan=plan,
        scope=scope,
        query=cleaned.get("q", ""),
        sort=cleaned.get("sort") or "number",
    )
    context = {
        "plan": plan,
        "form": form,
        "scope": scope,
        "page": paginate(recommendations, page=request.GET.get("page")),
    }
    return render_page_or_partial(
        request,
        template="plans/plan_uncovered.html",
        partial_template="plans/_uncovered_results.html",
        context=context,
    )


@manager_required
def measure_create_view(request, slug):
    plan = plan_get(user=request.user, slug=slug)
    form = MeasureForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.measure_create(
            actor=request.user, plan=plan, data=form.service_data()
        ),
        success=_("The measure was added."),
        template="plans/measure_form.html",
        context={"plan": plan, "measure": None},
    )


def measure_detail_view(request, pk):
    measure = measure_get(user=request.user, pk=pk)
    user = request.user
    context = {
        "measure": measure,
        "plan": measure.plan,
        "recommendations": measure_recommendations(user=user, measure=measure),
        "can_report": may_report_on(user, measure),
        "can_update_values": may_update_indicator_values(user, measure),
        **record_page_context(user=user, obj=measure),
        "implementation_statuses": ImplementationStatus,
    }
    follow_up = registered.follow_up
    if follow_up is not None:
        # Its progress reports and assessments (see extensions.py).
        context.update(follow_up.measure_page_context(user=user, measure=measure))
    return render(request, "plans/measure_detail.html", context)


@login_required
def measure_edit_view(request, pk):
    measure = measure_get(user=request.user, pk=pk)
    if not can_manage(request.user):
        if may_update_indicator_values(request.user, measure):
            return redirect("plans:indicator-values", pk=measure.pk)
        raise PermissionDenied(_("You may not change this measure."))
    return edit_page(
        request,
        MeasureForm,
        measure,
        measure=measure,
        save=lambda form: services.measure_update(
            actor=request.user,
            measure=measure,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        ),
        template="plans/measure_form.html",
        context={"plan": measure.plan, "measure": measure},
        version_field="version",
    )


@login_required
def indicator_values_view(request, pk):
    measure = measure_get(user=request.user, pk=pk)
    if not may_update_indicator_values(request.user, measure):
        raise PermissionDenied(_("You may not change this measure."))
    form = bound_form(
        request,
        IndicatorValuesForm,
        indicators=list(measure.indicators.all()),
        initial={"version": measure.version},
    )
    return form_page(
        request,
        form,
        save=lambda: services.indicator_values_update(
            actor=request.user,
            measure=measure,
            values=form.values(),
            version=form.cleaned_data["version"],
        ),
        success=_("The indicator values were saved."),
        template="plans/indicator_values_form.html",
        context={"measure": measure, "plan": measure.plan},
        done=lambda saved: redirect(measure),
        version_field="version",
    )


@manager_required
@require_POST
def measure_delete_view(request, pk):
    measure = measure_get(user=request.user, pk=pk)
    return button_action(
        request,
        act=lambda: services.measure_delete(actor=request.user, measure=measure),
        success=_("The measure was deleted."),
        done=lambda _deleted, plan=measure.plan: redirect(plan),
        refused=lambda: redirect(measure),
    )


def _linked(request, link):
    """Run a linking service; tell how many recommendations it linked, or why it could not.
    Returns whether it linked."""
    try:
        added = link()
    except ValidationError as error:
        show_service_errors(request, error)
        return False
    messages.success(
        request, _("%(count)d recommendation(s) linked to the measure.") % {"count": added}
    )
    return True


@manager_required
def measure_link_view(request, pk):
    """Pick recommendations to link: search (HTMX-enhanced), tick, add; or a whole cluster."""
    measure = measure_get(user=request.user, pk=pk)
    if request.method == "POST":
        if request.POST.get("cluster"):
            cluster = Cluster.objects.filter(pk=as_id(request.POST["cluster"])).first()
            _linked(
                request,
                lambda: services.measure_link_cluster(
                    actor=request.user, measure=measure, cluster=cluster
                ),
            )
        else:
            _linked(
                request,
                lambda: services.measure_link_recommendations(
                    actor=request.user,
                    measure=measure,
                    recommendation_ids=request.POST.getlist("recommendations"),
                ),
            )
        return redirect("plans:measure-link", pk=measure.pk)
    query = request.GET.get("q", "")
    position = request.GET.get("position", "")
    context = {
        "measure": measure,
        "plan": measure.plan,
        "query": query,
        "position": position,
        "positions": [choice for choice in Position.choices if choice[0]],
        "searched": bool(query.strip() or position),
        "results": recommendations_to_link(
            user=request.user, measure=measure, query=query, position=position
        ),
        "linked": measure_recommendations(user=request.user, measure=measure),
        "clusters": clusters_to_link(measure=measure),
    }
    return render_page_or_partial(
        request,
        template="plans/measure_link.html",
        partial_template="plans/_link_results.html",
        context=context,
    )


@manager_required
def link_to_measure_view(request):
    """Link recommendations chosen elsewhere (ticked on the recommendation list, or the one of a
    recommendation's page) to a measure the coordinator picks here. The ticked ones arrive by
    POST from the list; choosing the measure posts them again with ``measure``."""
    data = request.POST if request.method == "POST" else request.GET
    ids = [pk for pk in map(as_id, data.getlist("recommendation")) if pk is not None]
    recommendations = chosen_recommendations(user=request.user, ids=ids)
    if request.method == "POST" and "measure" in request.POST:
        measure_id = as_id(request.POST.get("measure"))
        measure = (
            visible_measures(request.user).select_related("plan").filter(pk=measure_id).first()
            if measure_id
            else None
        )
        if measure is None:
            messages.error(request, _("Choose the measure to link them to."))
        elif not recommendations:
            messages.error(request, _("Tick at least one recommendation to link."))
        elif _linked(
            request,
            lambda: services.measure_link_recommendations(
                actor=request.user,
                measure=measure,
                recommendation_ids=[recommendation.pk for recommendation in recommendations],
            ),
        ):
            return redirect("plans:measure-link", pk=measure.pk)
    states = {recommendation.state_id for recommendation in recommendations}
    query, plan = data.get("q", ""), data.get("plan", "")
    context = {
        "recommendations": recommendations,
        "several_states": len(states) > 1,
        "query": query,
        "plan": plan,
        "plans": plans_to_link(user=request.user, recommendations=recommendations),
        "measures": measures_to_link(
            user=request.user, recommendations=recommendations, query=query, plan=plan
        ),
    }
    status = 400 if request.method == "POST" and "measure" in request.POST else 200
    return render(request, "plans/link_to_measure.html", context, status=status)


@manager_required
@require_POST
def measure_unlink_view(request, pk):
    measure = measure_get(user=request.user, pk=pk)
    return button_action(
        request,
        act=lambda: services.measure_unlink_recommendations(
            actor=request.user,
            measure=measure,
            recommendation_ids=request.POST.getlist("recommendations"),
        ),
        success=lambda removed: _("%(count)d recommendation(s) unlinked.") % {"count": removed},
        done=lambda removed: redirect("plans:measure-link", pk=measure.pk),
        refused=lambda: redirect("plans:measure-link", pk=measure.pk),
    )


@manager_required
def indicator_create_view(request, pk):
    measure = measure_get(user=request.user, pk=pk)
    return INDICATOR_PAGES.create_page(
        request,
        parent={"measure": measure},
        context={"plan": measure.plan},
        done=lambda saved: redirect(measure),
        initial={"reporting_frequency": "annual"},
    )


@manager_required
def indicator_edit_view(request, pk):
    indicator = indicator_get(user=request.user, pk=pk)
    measure = measure_get(user=request.user, pk=indicator.measure_id)
    return INDICATOR_PAGES.edit_page(
        request,
        indicator,
        context={"measure": measure, "plan": measure.plan},
        done=lambda saved: redirect(measure),
    )


@manager_required
@require_POST
def indicator_delete_view(request, pk):
    indicator = indicator_get(user=request.user, pk=pk)
    measure = indicator.measure
    return button_on(
        request,
        measure,
        act=lambda: services.indicator_delete(actor=request.user, indicator=indicator),
        success=_("The indicator was deleted."),
    )


@login_required
def my_measures_view(request):
    """A focal point's measures (those of their agency) and what they must report on soon."""
    if not focal_agency_id(request.user):
        raise PermissionDenied(_("This page lists the measures of a focal point's agency."))
    follow_up = registered.follow_up
    return MY_MEASURE_LIST.render(
        request,
        form=_measure_filter_form(request, user=request.user),
        scope={"mine": "1"},
        rows=lambda filters: measure_list(user=request.user, filters=filters),
        context={"agency": user_agency(request.user), "show_plan": True},
        page_context=lambda: (
            {"due": follow_up.due_for_user(user=request.user, today=timezone.localdate())}
            if follow_up is not None
            else {}
        ),
    )
