"""`rightstrack worker`: run the jobs waiting in the database, beside the web server.

It is django-tasks-db's ``db_worker`` plus what makes jobs safe across restarts: a heartbeat
thread that renews the lease of the jobs this process runs and, at start and every half
minute, fails the jobs whose worker died (see jobs_fail_abandoned).
"""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from rightstrack.jobs.running import Heartbeat
from rightstrack.jobs.services import jobs_fail_abandoned


class Command(BaseCommand):
    help = "Run background jobs (imports, index building) as they are queued."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the jobs waiting now, then stop.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between two looks for new jobs when there are none (default 1).",
        )

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        if settings.TASKS_BACKEND != "database":
            self.stdout.write(
                f"TASKS_BACKEND={settings.TASKS_BACKEND}: jobs run where they are started; "
                "no worker is needed."
            )
            return
        for job in jobs_fail_abandoned():
            self.stdout.write(f"job {job.pk} ({job.kind}) had lost its worker: marked failed")
        heartbeat = Heartbeat(on_check=jobs_fail_abandoned)
        heartbeat.start()
        try:
            call_command(
                "db_worker",
                batch=batch,
                interval=interval,
                reload=False,
                startup_delay=not batch,
                verbosity=options["verbosity"],
            )
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=5)
