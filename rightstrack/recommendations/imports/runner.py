"""Running an uploaded import in a background thread, so the page can show its progress."""

import logging
import threading

from django.core.exceptions import ValidationError
from django.db import connections

from ..models import ImportBatch
from . import progress
from .service import FORMAT_OPTIONS, import_file, stored_upload_path

logger = logging.getLogger(__name__)


def run_batch(batch_id):
    """Import the uploaded file of a waiting batch; the batch records the outcome."""
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    options = batch.options
    try:
        import_file(
            user=batch.user,
            format=batch.format,
            path=stored_upload_path(batch),
            state=options.get("state") or None,
            dry_run=batch.dry_run,
            skip_invalid=bool(options.get("skip_invalid")),
            options={name: options.get(name) for name in FORMAT_OPTIONS},
            progress=lambda processed, total: progress.report(batch_id, processed, total),
            batch=batch,
        )
    except ValidationError:
        pass  # An unreadable file: already recorded on the batch for the page to show.
    finally:
        progress.forget(batch_id)


def _thread_main(batch_id):
    try:
        run_batch(batch_id)
    except Exception:
        logger.exception("import batch %s failed", batch_id)
    finally:
        # This thread's database connections would otherwise stay open until the process ends.
        connections.close_all()


def start_background_import(batch):
    progress.report(batch.pk, 0, batch.total)
    thread = threading.Thread(
        target=_thread_main, args=(batch.pk,), name=f"import-{batch.pk}", daemon=True
    )
    thread.start()
    return thread
