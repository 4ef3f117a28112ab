"""Imports left half-written by a process that died with no job to notice it.

An import writing in steps (service.py) is taken back by itself when it fails, and by the jobs'
lease check when the worker running its job dies. A foreground `rightstrack import` killed with
kill -9 (or the machine stopping) has neither: its batch stays "running" over the steps it wrote.
Its batch names the process that wrote it (``options["process"]``); once that process is gone
from this machine, the next `rightstrack import` or starting worker takes the import back from
its undo log and fails the batch.
"""

import logging
import os
import socket

from django.utils.translation import gettext as _

from rightstrack.jobs.models import Job

from ..models import ImportBatch
from .selectors import IMPORT_JOB
from .service import batch_finish, undo_batch

logger = logging.getLogger(__name__)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process: alive
        return True
    return True


def _died_here(batch: ImportBatch, host: str) -> bool:
    process = (batch.options or {}).get("process") or {}
    pid = process.get("pid")
    return process.get("host") == host and isinstance(pid, int) and not _alive(pid)


def take_back_dead_imports() -> list[ImportBatch]:
    """Take back the imports whose writing process on this machine died with no job, and fail
    their batches; returns them. Imports run by a job are the lease check's
    (jobs_fail_abandoned). A process of another machine cannot be asked: left to it."""
    host = socket.gethostname()
    running = ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING)
    orphans = [batch for batch in running if _died_here(batch, host)]
    if not orphans:
        return []
    with_jobs = set(
        Job.objects.filter(
            kind=IMPORT_JOB, subject_id__in=[batch.pk for batch in orphans]
        ).values_list("subject_id", flat=True)
    )
    taken_back = []
    for batch in orphans:
        if batch.pk in with_jobs:
            continue
        undo_batch(batch)
        batch.created = batch.updated = batch.unchanged = batch.matched = 0
        batch_finish(
            batch,
            user=None,
            status=ImportBatch.Status.FAILED,
            message=_(
                "The process importing this file stopped before it finished; everything it "
                "wrote was taken back. Import the file again."
            ),
        )
        logger.warning("Import batch %s: its process died; what it wrote was taken back", batch.pk)
        taken_back.append(batch)
    return taken_back


def take_back_dead_imports_quietly() -> None:
    """As a starting worker's hook: never raises (logged)."""
    try:
        take_back_dead_imports()
    except Exception:
        logger.exception("Taking back the imports of dead processes failed")
