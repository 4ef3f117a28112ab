from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.audit.selectors import history_for
from rightstrack.core.listing import paginate
from rightstrack.core.record_views import button_on
from rightstrack.core.roles import can_read_internal
from rightstrack.core.web import (
    ListPage,
    add_service_errors,
    form_page,
    show_service_errors,
)
from rightstrack.plans.access import may_report_on
from rightstrack.plans.selectors import measure_get
from rightstrack.recommendations.selectors import visible_recommendations

from . import services
from .access import may_assess, may_edit_report, may_moderate, may_review
from .evidence import MAX_EVIDENCE_BYTES
from .filters import REPORT_SORTS
from .forms import (
    AssessmentFilterForm,
    AssessmentForm,
    EvidenceForm,
    ModerationForm,
    ReportFilterForm,
    ReportForm,
    ReviewForm,
)
from .models import ReportStatus
from .selectors import (
    assessment_get,
    evidence_for_download,
    evidence_get,
    moderation_queue,
    report_get,
    report_list,
    review_queue,
)

# Room for the form's other fields and the multipart boundaries around the file itself.
UPLOAD_FORM_OVERHEAD = 64 * 1024


def _declared_size(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


REPORT_LIST = ListPage(
    template="progress/report_list.html",
    partial_template="progress/_report_results.html",
    default_sort="-period",
    sorts=REPORT_SORTS,
)
REVIEW_QUEUE = ListPage(
    template="progress/review_queue.html",
    partial_template="progress/_report_results.html",
    default_sort="submitted",
    sorts=REPORT_SORTS,
)


def report_list_view(request):
    return REPORT_LIST.render(
        request,
        form=ReportFilterForm(request.GET),
        rows=lambda filters: report_list(user=request.user, filters=filters),
        context={"can_read_internal": can_read_internal(request.user)},
    )


@login_required
def review_queue_view(request):
    return REVIEW_QUEUE.render(
        request,
        form=ReportFilterForm(request.GET),
        rows=lambda filters: review_queue(user=request.user, filters=filters),
        context={"can_read_internal": can_read_internal(request.user), "is_review_queue": True},
    )


@login_required
def report_create_view(request, measure_pk):
    measure = measure_get(user=request.user, pk=measure_pk)
    if not may_report_on(request.user, measure):
        raise PermissionDenied(
            _("Only focal points of the responsible agencies may report on this measure.")
        )
    return _report_form_page(request, measure)


def _report_form_page(request, measure, report=None):
    """The form of a new report on ``measure`` (saved as a draft), or of ``report``."""
    form = ReportForm(request.POST or None, indicators=measure.indicators.all(), report=report)
    if report is None:
        save = partial(services.report_create, actor=request.user, measure=measure)
        success = _("The report was saved as a draft. Add evidence, then submit it for review.")
    else:
        save = partial(services.report_update, actor=request.user, report=report)
        success = _("Your changes were saved.")
    return form_page(
        request,
        form,
        save=lambda: save(data=form.service_data()),
        success=success,
        template="progress/report_form.html",
        context={"measure": measure, "report": report},
    )


def _report_context(request, report, **forms):
    user = request.user
    return {
        "report": report,
        "measure": report.measure,
        "plan": report.measure.plan,
        "can_edit": may_edit_report(user, report),
        "can_review": may_review(user) and report.status == ReportStatus.SUBMITTED,
        # Who wrote it and what the reviewer said stay among staff and the reporting agencies.
        "show_internal": can_read_internal(user) or may_report_on(user, report.measure),
        "review_form": forms.get("review_form", ReviewForm()),
        "evidence_form": forms.get("evidence_form", EvidenceForm()),
        "history": history_for(user=user, obj=report),
    }


def report_detail_view(request, pk):
    report = report_get(user=request.user, pk=pk)
    return render(request, "progress/report_detail.html", _report_context(request, report))


@login_required
def report_edit_view(request, pk):
    report = report_get(user=request.user, pk=pk)
    if not may_edit_report(request.user, report):
        raise PermissionDenied(_("You may not change this report."))
    return _report_form_page(request, report.measure, report)


@login_required
@require_POST
def report_submit_view(request, pk):
    report = report_get(user=request.user, pk=pk)
    return button_on(
        request,
        report,
        act=lambda: services.report_submit(actor=request.user, report=report),
        success=_("The report was submitted for review."),
    )


@login_required
@require_POST
def report_review_view(request, pk):
    report = report_get(user=request.user, pk=pk)
    if not may_review(request.user):
        raise PermissionDenied(_("Only administrators and coordinators review reports."))
    form = ReviewForm(request.POST)
    if form.is_valid() and form.cleaned_data["decision"] == "approve":
        decide, success = services.report_approve, _("The report was approved.")
    else:
        decide, success = services.report_return, _("The report was returned to its authors.")
    return _report_form_post(
        request,
        report,
        form,
        form_name="review_form",
        act=lambda: decide(actor=request.user, report=report, comment=form.cleaned_data["comment"]),
        success=success,
    )


@login_required
@require_POST
def evidence_add_view(request, pk):
    report = report_get(user=request.user, pk=pk)
    if not may_edit_report(request.user, report):
        raise PermissionDenied(_("You may not change this report."))
    if _declared_size(request) > MAX_EVIDENCE_BYTES + UPLOAD_FORM_OVERHEAD:
        # Refused before reading the body, so an oversized upload never reaches the disk.
        messages.error(
            request,
            _("The file is larger than %(size)d MB.")
            % {"size": MAX_EVIDENCE_BYTES // (1024 * 1024)},
        )
        return redirect(report)
    form = EvidenceForm(request.POST, request.FILES)
    return _report_form_post(
        request,
        report,
        form,
        form_name="evidence_form",
        act=lambda: services.evidence_add(
            actor=request.user,
            report=report,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"],
            upload=form.cleaned_data["file"],
        ),
        success=_("The evidence was added."),
    )


def _report_form_post(request, report, form, *, form_name, act, success):
    """A form posted from the report's page: when it is valid and ``act()`` (the service)
    accepts it, ``success`` is flashed and the answer is the report; otherwise the report's page
    again (422) with this form, as ``form_name``, showing why."""
    if form.is_valid():
        try:
            act()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(report)
    context = _report_context(request, report, **{form_name: form})
    return render(request, "progress/report_detail.html", context, status=422)


@login_required
@require_POST
def evidence_delete_view(request, pk):
    evidence = evidence_get(user=request.user, pk=pk)
    report = evidence.report
    return button_on(
        request,
        report,
        act=lambda: services.evidence_delete(actor=request.user, evidence=evidence),
        success=_("The evidence was removed."),
    )


def evidence_download_view(request, pk):
    """Send an evidence file to those who may see its report; never shown inline."""
    evidence = evidence_for_download(user=request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("No such file.")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _assessment_view(request, *, measure=None, recommendation=None):
    if not may_assess(request.user):
        raise PermissionDenied(_("Only civil society contributors write independent assessments."))
    form = AssessmentForm(request.POST or None)
    target = measure or recommendation
    return form_page(
        request,
        form,
        save=lambda: services.assessment_create(
            actor=request.user,
            data=form.cleaned_data,
            measure=measure,
            recommendation=recommendation,
        ),
        success=_("Thank you. Your assessment will be shown once a coordinator has published it."),
        template="progress/assessment_form.html",
        context={"measure": measure, "recommendation": recommendation},
        done=lambda saved: redirect(target.get_absolute_url()),
    )


@login_required
def assess_measure_view(request, pk):
    return _assessment_view(request, measure=measure_get(user=request.user, pk=pk))


@login_required
def assess_recommendation_view(request, pk):
    recommendation = visible_recommendations(request.user).filter(pk=pk).first()
    if recommendation is None:
        raise Http404(_("No such recommendation."))
    return _assessment_view(request, recommendation=recommendation)


@login_required
def moderation_queue_view(request):
    filter_form = AssessmentFilterForm(request.GET)
    assessments = moderation_queue(user=request.user, filters=filter_form.filters())
    context = {
        "page": paginate(assessments, page=request.GET.get("page")),
        "filter_form": filter_form,
    }
    return render(request, "progress/moderation_queue.html", context)


@login_required
@require_POST
def moderate_view(request, pk):
    if not may_moderate(request.user):
        raise PermissionDenied(_("Only administrators and coordinators moderate assessments."))
    assessment = assessment_get(user=request.user, pk=pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_moderate(
                actor=request.user,
                assessment=assessment,
                publish=form.cleaned_data["decision"] == "publish",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            show_service_errors(request, error)
        else:
            messages.success(request, _("The assessment was moderated."))
    else:
        messages.error(request, _("Choose whether to publish the assessment."))
    return redirect("progress:moderation")
