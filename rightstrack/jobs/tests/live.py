"""A site of its own for tests that need real processes: `rightstrack worker` processes, a
killed worker, jobs over Redis. Its database is a SQLite file (or DATABASE_URL's PostgreSQL
when LIVE_DATABASE_URL names one) migrated once per test session and copied for each test;
every process is `manage.py` in a subprocess with the site's environment."""

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[3]


def redis_reachable(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 1):
            return True
    except OSError:
        return False


class LiveSite:
    """One site: its var/ directory, its database files and the environment of its processes."""

    def __init__(self, root: Path, **environment: str) -> None:
        self.root = root
        self.var = root / "var"
        self.var.mkdir(parents=True, exist_ok=True)
        self.database = self.var / "site.sqlite3"
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **{key: value for key, value in os.environ.items() if not key.startswith("PYTEST")},
            "PYTHONPATH": str(PROJECT_DIR),
            "DJANGO_SETTINGS_MODULE": "rightstrack.settings",
            "RIGHTSTRACK_VAR_DIR": str(self.var),
            "DATABASE_URL": f"sqlite:///{self.database}",
            "TASKS_BACKEND": "database",
            "JOBS_HEARTBEAT_SECONDS": "1",
            "JOBS_LEASE_SECONDS": "3",
            "INTELLIGENCE_AUTO_BUILD": "0",
            "STAFF_TWO_FACTOR_REQUIRED": "0",
            **environment,
        }

    def copy_database_from(self, template: "LiveSite") -> None:
        for suffix in ("", "-jobs"):
            source = template.var / f"site{suffix}.sqlite3"
            shutil.copyfile(source, self.var / f"site{suffix}.sqlite3")

    def manage(self, *args: str, check: bool = True, timeout: float = 600) -> str:
        done = subprocess.run(  # noqa: S603 - the tests' interpreter, the project's manage.py
            [sys.executable, str(PROJECT_DIR / "manage.py"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            command = " ".join(args)
            raise AssertionError(f"manage.py {command} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def python(self, code: str, *, timeout: float = 600) -> str:
        """Run ``code`` in a process of the site (Django set up) and return what it prints."""
        prelude = "import django; django.setup()\n"
        done = subprocess.run(  # noqa: S603 - the tests' interpreter, the tests' own code
            [sys.executable, "-c", prelude + code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=PROJECT_DIR,
        )
        if done.returncode != 0:
            raise AssertionError(f"site code failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, *args: str, **environment: str) -> subprocess.Popen:
        """Start ``manage.py args`` in the background (a worker); stopped at the end."""
        log = open(self.root / f"process-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(  # noqa: S603 - the tests' interpreter, manage.py
            [sys.executable, str(PROJECT_DIR / "manage.py"), *args],
            env={**self.env, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def start_python(self, code: str) -> subprocess.Popen:
        """Run ``code`` (Django set up) in the background; its output in ``log_of``."""
        log = open(self.root / f"process-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(  # noqa: S603 - the tests' interpreter, the tests' own code
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=PROJECT_DIR,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def job_progress(self, job: int) -> tuple[str, int]:
        """The job's status and done count, read straight from the site's SQLite jobs database:
        milliseconds, where a site process takes a second or more to start, so a test that must
        act while a job is part-way through sees it part-way through."""
        address = f"file:{self.var / 'site-jobs.sqlite3'}?mode=ro"
        with contextlib.closing(sqlite3.connect(address, uri=True, timeout=10)) as connection:
            row = connection.execute("SELECT status, done FROM jobs_job WHERE id = ?", (job,))
            status, done = row.fetchone()
        return status, done

    def log_of(self, process: subprocess.Popen) -> str:
        index = self.processes.index(process)
        return (self.root / f"process-{index}.log").read_text()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def wait_for(predicate, *, timeout: float, every: float = 0.2):
    """Call ``predicate`` until it returns something true; that value, or AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s")
        time.sleep(every)
