"""`rightstrack serve`: the production web server, as `make run` starts it.

gunicorn with ``WEB_CONCURRENCY`` worker processes (default: one per core), each with
``WEB_THREADS`` threads: processes, not threads alone, because Python runs one thread of a
process at a time (the GIL), so a single-process server uses one core however many threads it
has (11 API requests/s at most on two cores with waitress, against twice that with two
processes). Where gunicorn does not run (Windows) waitress serves, in one process.
"""

import os
import shutil
import sys
from importlib.util import find_spec
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rightstrack.settings import env_int

WSGI_APPLICATION = "rightstrack.wsgi:application"


def server_command(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    """The command line that serves the site: gunicorn when it can run here, else waitress."""
    bind = f"{host}:{port}"
    if os.name == "posix" and find_spec("gunicorn") is not None:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            # gthread: each process answers several requests at once (slow clients, streaming
            # exports) while the processes share the cores.
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            # No control socket: it sits at one path per user, which two servers would share.
            "--no-control-socket",
            WSGI_APPLICATION,
        ]
    waitress = shutil.which("waitress-serve") or "waitress-serve"
    return [waitress, "--listen", bind, "--threads", str(threads * workers), WSGI_APPLICATION]


class Command(BaseCommand):
    help = "Serve the site with the production web server (gunicorn, one process per core)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes (default: WEB_CONCURRENCY, else the number of cores).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="Threads per process (default: WEB_THREADS, else 4).",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int | None,
        threads: int | None,
        **options: Any,
    ) -> None:
        if workers is None:
            workers = env_int("WEB_CONCURRENCY", os.cpu_count() or 1, minimum=1, maximum=64)
        if threads is None:
            threads = env_int("WEB_THREADS", 4, minimum=1, maximum=64)
        command = server_command(host=host, port=port, workers=workers, threads=threads)
        sys.stdout.flush()
        # The server takes this process's place, so signals (Ctrl-C, a supervisor's TERM) reach it.
        os.execv(command[0], command)  # noqa: S606 - a fixed program, arguments from our options
