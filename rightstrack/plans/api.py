"""/api/v1/plans and /api/v1/measures: the same rules as the pages (published data for everyone,
internal data for internal readers, a focal point's own measures for them; writes by managers,
indicator values by the responsible focal points)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from ninja import File, Form, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from rightstrack.core.api.endpoints import Router, list_endpoint
from rightstrack.core.api.writes import PublishableWrites
from rightstrack.core.api_auth import read_auth, write_auth
from rightstrack.core.intake import UNPROCESSABLE
from rightstrack.recommendations.imports.api import BatchOut, batch_out
from rightstrack.recommendations.imports.selectors import import_batch_get
from rightstrack.recommendations.imports.service import ImportFileError

from . import services
from .conflicts import EditConflict
from .imports import PLAN_FORMAT
from .imports.jobs import start_plan_import
from .imports.service import plan_import_batch, plan_import_confirm, plan_import_upload
from .imports.template import template_download
from .schemas import (
    ConflictOut,
    IndicatorValuesIn,
    MeasureCreateIn,
    MeasureFiltersIn,
    MeasureOut,
    MeasureUpdateIn,
    PlanCreateIn,
    PlanFiltersIn,
    PlanOut,
    PlanUpdateIn,
    RecommendationLinksIn,
)
from .selectors import (
    measure_get,
    measure_record,
    measure_records,
    plan_get,
    plan_list,
    with_linked_records,
)

router = Router(tags=["action plans"])
measures_router = Router(tags=["measures"])
PLAN_WRITES = PublishableWrites.of(services, "plan", derived_when_null=("slug",))


@list_endpoint(router, PlanOut, PlanFiltersIn)
def list_plans(user, filters):
    """List action plans

    Anonymous callers see published plans only.
    """
    return plan_list(user=user, filters=filters)


class PlanImportIn(Schema):
    dry_run: bool = True
    create_agencies: bool = False


class NewPlanImportIn(PlanImportIn):
    new_plan_title: str
    state: str


class PlanImportOut(Schema):
    batch: BatchOut
    # What was (or, for a dry run, would be) done: "plan", "agencies", and per measure its
    # "line", "number", "title", "action" (create, update, unchanged), "fields" changed,
    # recommendations "linked" and "unlinked", "indicators" created or changed. Empty while the
    # job runs: read the batch (GET /recommendations/import/{id}) and then its page.
    outcome: dict[str, Any] = {}


def _import_out(request, start):
    """Record the import's waiting batch (``start()``) and queue its job: 202 with the batch
    (status "pending") and the job's address; where jobs run at once (TASKS_BACKEND=immediate)
    200 with the finished batch and its outcome. A file that cannot be read answers 422 (at
    once), or 413 when it is larger than the largest upload."""
    try:
        batch = start()
        if settings.TASKS_BACKEND != "immediate":
            job = start_plan_import(batch, user=request.user)
            batch.refresh_from_db()
            return 202, {"batch": {**batch_out(batch), "job": f"/api/v1/jobs/{job.pk}"}}
        result = plan_import_batch(batch)
    except ImportFileError as error:
        if error.status != UNPROCESSABLE:
            raise HttpError(error.status, error.reason) from None
        raise ValidationError({"file": [error.reason]}) from None
    return 200, {"batch": batch_out(result.batch), "outcome": result.outcome}


@router.get("/template", auth=read_auth)
def plan_template(request):
    """The action plan template (XLSX; administrators and coordinators)

    Sheets Measures and Indicators with their header rows, and Instructions: what every column
    holds, the allowed values and the agency list.
    """
    services.require_manager(request.user)
    return template_download()


@router.post("/import", response={200: PlanImportOut, 202: PlanImportOut}, auth=write_auth)
def import_new_plan(request, data: Form[NewPlanImportIn], file: File[UploadedFile]):
    """Import measures into a new plan (administrators and coordinators)

    As `POST /plans/{slug}/import`, creating the plan titled `new_plan_title` for the State
    `state` (its code).
    """
    return _import_out(
        request,
        lambda: plan_import_upload(
            actor=request.user,
            upload=file,
            new_plan_title=data.new_plan_title,
            state=data.state,
            dry_run=data.dry_run,
            create_agencies=data.create_agencies,
        ),
    )


@router.post(
    "/imports/{batch_id}/confirm",
    response={200: PlanImportOut, 202: PlanImportOut},
    auth=write_auth,
)
def confirm_plan_import(request, batch_id: int, data: Form[PlanImportIn]):
    """Carry out a previewed import (administrators and coordinators)

    Imports the file a dry run (`dry_run` true) kept, into the same plan; `create_agencies`
    (administrators) creates the new agencies the preview listed.
    """
    services.require_manager(request.user)
    preview = import_batch_get(user=request.user, pk=batch_id)
    if preview.format != PLAN_FORMAT:
        raise Http404
    return _import_out(
        request,
        lambda: plan_import_confirm(
            actor=request.user, preview=preview, create_agencies=data.create_agencies
        ),
    )


@router.get("/{slug}/export", auth=read_auth)
def export_plan(request, slug: str):
    """A plan's measures and indicators in the template (XLSX; administrators and coordinators)

    Importing the file back changes nothing.
    """
    services.require_manager(request.user)
    return template_download(plan_get(user=request.user, slug=slug))


@router.post("/{slug}/import", response={200: PlanImportOut, 202: PlanImportOut}, auth=write_auth)
def import_plan(request, slug: str, data: Form[PlanImportIn], file: File[UploadedFile]):
    """Import measures and indicators from the template or a Word table (administrators and
    coordinators)

    By default a dry run: the answer is the preview (what would be created, changed and
    linked) and the row errors, with nothing written; send `dry_run` false to import, or
    confirm the preview with `POST /plans/imports/{batch_id}/confirm`. A measure is known by its
    number, so importing again updates. Rows that cannot be used answer 200 with batch status
    "failed" and nothing written; an unreadable file answers 422. `create_agencies`
    (administrators) creates the agencies the file names that are not on the list.

    The import runs as a job: 202 with the batch (status "pending") and `batch.job`, the
    address of the job (progress, cancel); read the batch at `/recommendations/import/{id}`
    until it ends, its outcome on its page. Where jobs run at once
    (TASKS_BACKEND=immediate) the answer is the finished batch and its outcome (200).
    """
    services.require_manager(request.user)
    plan = plan_get(user=request.user, slug=slug)
    return _import_out(
        request,
        lambda: plan_import_upload(
            actor=request.user,
            upload=file,
            plan=plan,
            dry_run=data.dry_run,
            create_agencies=data.create_agencies,
        ),
    )


@router.get("/{slug}", response=PlanOut, auth=read_auth)
def get_plan(request, slug: str):
    """One action plan"""
    return plan_get(user=request.user, slug=slug)


@router.post("/", response={201: PlanOut}, auth=write_auth)
def create_plan(request, payload: PlanCreateIn):
    """Create an action plan (administrators and coordinators)"""
    plan = PLAN_WRITES.create(request.user, payload)
    return 201, plan_get(user=request.user, slug=plan.slug)


@router.patch("/{slug}", response=PlanOut, auth=write_auth)
def update_plan(request, slug: str, payload: PlanUpdateIn):
    """Change some fields of an action plan (administrators and coordinators)

    Only the fields sent are changed. `is_published` publishes or withdraws it.
    """
    services.require_manager(request.user)
    plan = PLAN_WRITES.update(request.user, plan_get(user=request.user, slug=slug), payload)
    return plan_get(user=request.user, slug=plan.slug)


@list_endpoint(measures_router, MeasureOut, MeasureFiltersIn, rows=with_linked_records)
def list_measures(user, filters):
    """List measures

    Filters: `plan` (slug), `agency` (code), `status` (derived status), `theme` (UHRI theme
    code), `mine` (the caller's agency), `q`. Anonymous callers see the measures of published
    plans only; focal points also see their agency's.
    """
    return measure_records(user=user, filters=filters)


@measures_router.get("/{measure_id}", response=MeasureOut, auth=read_auth)
def get_measure(request, measure_id: int):
    """One measure"""
    return measure_record(user=request.user, pk=measure_id)


@measures_router.post("/", response={201: MeasureOut}, auth=write_auth)
def create_measure(request, payload: MeasureCreateIn):
    """Add a measure to a plan (administrators and coordinators)"""
    services.require_manager(request.user)
    plan = plan_get(user=request.user, slug=payload.plan)
    measure = services.measure_create(
        actor=request.user, plan=plan, data=payload.model_dump(exclude={"plan"})
    )
    return 201, measure_record(user=request.user, pk=measure.pk)


@measures_router.patch(
    "/{measure_id}", response={200: MeasureOut, 409: ConflictOut}, auth=write_auth
)
def update_measure(request, measure_id: int, payload: MeasureUpdateIn):
    """Change some fields of a measure (administrators and coordinators)

    Send the `version` you read. When someone saved the measure since, nothing is changed and the
    answer is 409 with what they changed.
    """
    services.require_manager(request.user)
    measure = measure_get(user=request.user, pk=measure_id)
    data = payload.model_dump(exclude_unset=True, exclude={"version"})
    try:
        services.measure_update(
            actor=request.user, measure=measure, data=data, version=payload.version
        )
    except EditConflict as conflict:
        return 409, conflict.as_dict()
    return 200, measure_record(user=request.user, pk=measure.pk)


@measures_router.put(
    "/{measure_id}/indicator-values", response={200: MeasureOut, 409: ConflictOut}, auth=write_auth
)
def update_indicator_values(request, measure_id: int, payload: IndicatorValuesIn):
    """Set the current values of a measure's indicators (responsible focal points)"""
    measure = measure_get(user=request.user, pk=measure_id)
    try:
        services.indicator_values_update(
            actor=request.user, measure=measure, values=payload.values, version=payload.version
        )
    except EditConflict as conflict:
        return 409, conflict.as_dict()
    return 200, measure_record(user=request.user, pk=measure.pk)


@measures_router.post("/{measure_id}/recommendations", response=MeasureOut, auth=write_auth)
def link_recommendations(request, measure_id: int, payload: RecommendationLinksIn):
    """Link and unlink recommendations (administrators and coordinators)"""
    services.require_manager(request.user)
    measure = measure_get(user=request.user, pk=measure_id)
    with transaction.atomic():
        if payload.add:
            services.measure_link_recommendations(
                actor=request.user, measure=measure, recommendation_ids=payload.add
            )
        if payload.remove:
            services.measure_unlink_recommendations(
                actor=request.user, measure=measure, recommendation_ids=payload.remove
            )
    return measure_record(user=request.user, pk=measure.pk)
