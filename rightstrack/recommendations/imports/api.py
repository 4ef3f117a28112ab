"""API of imports, mounted at /api/v1/recommendations/import: run an import, read a batch."""

from django.conf import settings
from django.core.exceptions import ValidationError
from ninja import Field, File, Form, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from rightstrack.core.api.endpoints import Router
from rightstrack.core.api_auth import read_auth, write_auth
from rightstrack.core.intake import UNPROCESSABLE

from .formats import AUTOMATIC
from .jobs import start_import
from .selectors import import_batch_get, import_batch_progress
from .service import (
    FORMAT_OPTIONS,
    ImportFileError,
    import_file,
    import_upload,
    stored_upload_path,
)

router = Router(tags=["imports"])


class RowErrorOut(Schema):
    line: int | None
    reason: str


class BatchOut(Schema):
    id: int
    file_name: str
    format: str
    checksum: str
    status: str
    dry_run: bool
    total: int | None
    processed: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RowErrorOut]
    # Doubtful values that did not stop a row ("State name “Slove nia” read as “Slovenia”").
    warnings: list[RowErrorOut]
    message: str
    started_at: str
    finished_at: str | None
    job: str | None = Field(
        None,
        description="202: the address of the job running the import (/api/v1/jobs/{id}), "
        "which shows its progress; the batch's address shows how it ended.",
    )


class ImportIn(Schema):
    format: str = AUTOMATIC
    state: str = ""
    symbol: str = ""
    map: str = ""
    mechanism: str = ""
    encoding: str = ""
    dry_run: bool = False
    skip_invalid: bool = False


def batch_out(batch):
    processed, total = import_batch_progress(batch)
    return {
        "id": batch.pk,
        "file_name": batch.file_name,
        "format": batch.format,
        "checksum": batch.checksum,
        "status": batch.status,
        "dry_run": batch.dry_run,
        "total": total,
        "processed": processed,
        **batch.outcome(),
        "started_at": batch.started_at.isoformat(),
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
    }


@router.post("/", response={200: BatchOut, 202: BatchOut}, auth=write_auth)
def import_create(request, data: Form[ImportIn], file: File[UploadedFile]):
    """Import a file of recommendations

    The file is kept and its import queued as a job: 202 with the batch (status "pending") and
    `job`, the address of the job (progress, cancel); read the batch at its address until its
    status is "succeeded" or "failed". Where jobs run at once (TASKS_BACKEND=immediate) the
    answer is the finished batch (200).

    format "auto" (the default) recognises the format from the file's content. A file with
    unreadable rows ends with status "failed" (nothing written unless skip_invalid); an
    unrecognised format answers 422, a file larger than the largest upload 413, each with the
    reason and nothing written. With jobs at once, an unreadable file or one beyond a limit (zip
    container, line length, encoding) also answers 422; queued, its batch fails with the reason.
    """
    options = {name: getattr(data, name) for name in FORMAT_OPTIONS}
    try:
        batch = import_upload(
            user=request.user,
            format=data.format,
            upload=file,
            state=data.state,
            dry_run=data.dry_run,
            skip_invalid=data.skip_invalid,
            options=options,
        )
        if settings.TASKS_BACKEND != "immediate":
            job = start_import(batch, user=request.user)
            batch.refresh_from_db()
            return 202, {**batch_out(batch), "job": f"/api/v1/jobs/{job.pk}"}
        batch = import_file(
            user=request.user,
            format=batch.format,
            path=stored_upload_path(batch),
            state=data.state or None,
            dry_run=data.dry_run,
            skip_invalid=data.skip_invalid,
            options=options,
            batch=batch,
        )
    except ImportFileError as error:
        if error.status != UNPROCESSABLE:
            raise HttpError(error.status, error.reason) from None
        raise ValidationError({"file": [error.reason]}) from None
    return 200, batch_out(batch)


@router.get("/{int:batch_id}", response=BatchOut, auth=read_auth)
def import_detail(request, batch_id: int):
    """An import batch"""
    return batch_out(import_batch_get(user=request.user, pk=batch_id))
