"""A job: long work (an import, building an index) run by a worker, watched from any process.

Jobs live in the "jobs" database (see routers.py): a job writes its progress and heartbeat
while its work holds a long write transaction on the default database, which other
connections could not see until the end and, on SQLite, would not even let them write.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from rightstrack.core.types import User


class Job(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    # What the job does: a key of registry.KINDS ("recommendations.import").
    kind = models.CharField(_("kind"), max_length=60)
    # The record the job works on, of the model its kind names (an import batch's id).
    subject_id = models.PositiveBigIntegerField(_("subject"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=300, blank=True)
    # What the kind needs to know beyond the subject (which schemes to train, from what data).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    # The user lives in the default database: no constraint can cross to it, and deleting a
    # user leaves the job's record of who started it.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Renewed every few seconds by the process running the job: its lease on the job.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    # What the work did, in a sentence for people ("12 tag suggestions were made for review").
    result = models.TextField(_("result"), blank=True)
    # A coordinator asked the running job to stop; it does at its next progress report.
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    # The id of the task that runs the job, as the task backend gave it.
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    # The file the job made for the user who started it (files.py): its path under
    # JOBS_FILES_DIR ("" once removed), its name for the download, and until when it is kept.
    file = models.CharField(_("file"), max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    file_expires_at = models.DateTimeField(_("file kept until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "subject_id"]),
            models.Index(fields=["status", "heartbeat_at"]),
            # The jobs page, newest first: every write queues a count job, so the table grows
            # by thousands a day and was sorted whole on every visit.
            models.Index(fields=["-created_at", "-id"], name="job_newest_first"),
        ]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return self.label or self.kind

    @property
    def percent(self) -> int | None:
        """How far the work is, 0–100; None while its size is not known."""
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


FINISHED = frozenset({Job.Status.SUCCEEDED, Job.Status.FAILED, Job.Status.CANCELLED})


def started_by(job: Job) -> User | None:
    """Who started the job; None for the system, or once that user has been deleted (the job
    keeps the id: no constraint crosses to the users' database)."""
    if job.started_by_id is None:
        return None
    try:
        return job.started_by
    except ObjectDoesNotExist:
        return None
