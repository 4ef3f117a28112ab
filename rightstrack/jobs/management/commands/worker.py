"""`rightstrack worker`: run the queued jobs, beside the web server.

It is django-tasks-db's ``db_worker`` (TASKS_BACKEND=database) or django-rq's ``rqworker``
(TASKS_BACKEND=rq, jobs taken from Redis) plus what makes jobs safe: each job runs in a child
process with a memory and a time ceiling (execution.py), and a heartbeat thread renews the lease
of the job being run and, at start and at every heartbeat, fails the jobs whose worker died (see
jobs_fail_abandoned); it also starts the periodic jobs that are due (the daily digest, the
saved searches' check; see jobs_start_periodic).
"""

import logging
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from rightstrack.jobs.execution import isolate_jobs
from rightstrack.jobs.registry import WORKER_START
from rightstrack.jobs.running import Heartbeat
from rightstrack.jobs.services import jobs_fail_abandoned, jobs_start_periodic


def _check() -> None:
    """At every check of the heartbeat: fail the jobs whose worker died, start the periodic
    ones due."""
    jobs_fail_abandoned()
    jobs_start_periodic()


logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background jobs (imports, index building) as they are queued."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the jobs waiting now, then stop.",
        )
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="Run each job in the worker's own process, without the memory and time "
            "ceilings (debugging; tests on an in-memory database).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between two looks for new jobs when there are none (default 1).",
        )

    def handle(
        self, *args: Any, batch: bool, interval: float, in_process: bool, **options: Any
    ) -> None:
        if settings.TASKS_BACKEND not in ("database", "rq"):
            self.stdout.write(
                f"TASKS_BACKEND={settings.TASKS_BACKEND}: jobs run where they are started; "
                "no worker is needed."
            )
            return
        for job in jobs_fail_abandoned():
            self.stdout.write(f"job {job.pk} ({job.kind}) had lost its worker: marked failed")
        for job in jobs_start_periodic():
            self.stdout.write(f"job {job.pk} ({job.kind}) started: it runs periodically")
        heartbeat = Heartbeat(on_check=_check)
        heartbeat.start()
        for hook in WORKER_START:
            try:
                hook()
            except Exception:
                logger.exception("queueing work at the start of the worker failed")
        isolate_jobs(not in_process)
        try:
            if settings.TASKS_BACKEND == "rq":
                call_command(
                    "rqworker",
                    settings.JOBS_QUEUE,
                    job_class="django_tasks_rq.Job",
                    # One job at a time in this process; each job forks a child of its own.
                    worker_class="rq.worker.SimpleWorker",
                    burst=batch,
                    verbosity=options["verbosity"],
                )
            else:
                call_command(
                    "db_worker",
                    queue_name=settings.JOBS_QUEUE,
                    batch=batch,
                    interval=interval,
                    reload=False,
                    startup_delay=not batch,
                    verbosity=options["verbosity"],
                )
        finally:
            isolate_jobs(False)
            heartbeat.stop()
            heartbeat.join(timeout=5)
