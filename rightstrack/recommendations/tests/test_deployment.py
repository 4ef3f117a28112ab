"""The deployment of issue #12 as an operator runs it: PostgreSQL, jobs through Redis (RQ), two
web processes and one worker. A file is uploaded through one web process and its progress read
through the other; the worker is killed (kill -9) mid-import and a new one started: the job is
failed within a minute, nothing of the import is written, and its retry imports exactly the
file's records. Runs where PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) are (CI's PostgreSQL
run), in well under two minutes; skips elsewhere."""

import json
import os
import signal
import socket
import time
import urllib.request
import uuid
from datetime import datetime
from urllib.parse import urlparse

import pytest
from django.conf import settings

from rightstrack.jobs.tests.live import LiveSite, redis_reachable, wait_for

from .test_import_workers import CREATE_SITE, state, upr_info_file

# Twenty chunks: the import outlasts its first progress report (written once a second) by
# seconds, so the kill lands after the first report and before the end.
ROWS = 40000

CREATE_TOKEN = """
from rightstrack.accounts.models import User
from rightstrack.accounts.services import api_token_create
print(api_token_create(user=User.objects.get(username="coordinator"), name="deploy")[1])
"""


def _postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the deployment test runs on PostgreSQL: set DATABASE_URL (CI's second run)")
    return url


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_database():
    """A PostgreSQL database of the test's own on DATABASE_URL's server, dropped afterwards."""
    import psycopg

    url = _postgres_url()
    name = f"rightstrack_deploy_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlparse(url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Api:
    """The API of one web process, as the coordinator (token)."""

    def __init__(self, port, token):
        self.base, self.token = f"http://127.0.0.1:{port}/api/v1", token

    def call(self, method, path, *, body=None, content_type=None):
        request = urllib.request.Request(self.base + path, data=body, method=method)  # noqa: S310
        request.add_header("Authorization", f"Bearer {self.token}")
        if content_type:
            request.add_header("Content-Type", content_type)
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - localhost
            return answer.status, json.loads(answer.read() or b"null")

    def upload(self, path):
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\nupr-info\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{path.name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + path.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.call(
            "POST",
            "/recommendations/import/",
            body=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )

    def job(self, job_id):
        return self.call("GET", f"/jobs/{job_id}")[1]


def _serving(api):
    try:
        urllib.request.urlopen(api.base + "/openapi.json", timeout=5)  # noqa: S310 - localhost
    except OSError:
        return False
    return True


def test_a_killed_worker_behind_two_web_processes_on_postgresql_and_redis(live_database, tmp_path):
    redis_url = os.environ.get("REDIS_URL", settings.REDIS_URL)
    if not redis_reachable(redis_url):
        pytest.skip(f"Redis is not reachable at {redis_url} (CI runs one)")
    started = time.monotonic()
    site = LiveSite(
        tmp_path / "site",
        DATABASE_URL=live_database,
        TASKS_BACKEND="rq",
        REDIS_URL=redis_url,
        # A queue of the test's own: no other worker takes its jobs.
        JOBS_QUEUE=f"deploy-{uuid.uuid4().hex[:12]}",
    )
    try:
        site.manage("migrate", "--noinput")
        site.python(CREATE_SITE)
        token = site.python(CREATE_TOKEN).strip()
        ports = [_free_port(), _free_port()]
        for port in ports:
            site.start("runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}")
        upload_web, watch_web = (Api(port, token) for port in ports)
        wait_for(lambda: _serving(upload_web) and _serving(watch_web), timeout=60, every=0.5)
        worker = site.start("worker")

        status, batch = upload_web.upload(upr_info_file(tmp_path / "big.csv", ROWS))
        assert status == 202, batch
        job_id = int(batch["job"].rsplit("/", 1)[1])
        # The progress, read through the other web process.
        progress = wait_for(lambda: watch_web.job(job_id)["done"], timeout=60, every=0.1)
        assert progress < ROWS, "the import ended before the worker could be killed"

        os.kill(worker.pid, signal.SIGKILL)
        killed_at = time.time()
        worker.wait(timeout=30)
        site.start("worker")
        failed = wait_for(
            lambda: (job := watch_web.job(job_id))["status"] == "failed" and job, timeout=60
        )

        noticed = datetime.fromisoformat(failed["finished_at"]).timestamp() - killed_at
        assert noticed < 60, f"noticed after {noticed:.1f} s"
        assert "stopped" in failed["error"]
        now = state(site)
        assert now["batches"][str(batch["id"])][0] == "failed"
        assert now["recommendations"] == 0  # nothing half-written

        status, retried = watch_web.call("POST", f"/jobs/{job_id}/retry")
        again = wait_for(
            lambda: (
                (job := watch_web.job(retried["id"]))["status"] in ("succeeded", "failed") and job
            ),
            timeout=max(30, 110 - (time.monotonic() - started)),
            every=0.5,
        )
        assert again["status"] == "succeeded", again
        now = state(site)
        assert now["batches"][str(batch["id"])][:2] == ["succeeded", ROWS]
        assert now["recommendations"] == ROWS
    finally:
        site.stop_all()
