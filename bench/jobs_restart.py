"""Restart safety of imports run by `rightstrack worker`, timed: kill -9 a worker mid-import.

    .venv/bin/python bench/jobs_restart.py [--rows 250000] [--lease 30] [--heartbeat 10]

A site of its own in a temporary directory (SQLite, or LIVE_DATABASE_URL's PostgreSQL): a UPR
Info file of --rows recommendations is queued, a worker takes it, and once it has reported
progress the worker alone is killed (kill -9; its job's process dies with it). A new worker is
started at once. Printed: how long until the job is marked failed (the figure promised: within
60 s), whether anything was written, the batch's state, and the retry: its time and how many
recommendations it wrote. With the default lease (30 s) and heartbeat (10 s) the floor is the
time from the last heartbeat to the end of the lease: between 20 and 30 s.
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")

import django  # noqa: E402

django.setup()

from rightstrack.jobs.tests.live import LiveSite, wait_for  # noqa: E402
from rightstrack.recommendations.tests import test_import_workers as live  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=250000)
    parser.add_argument("--lease", type=int, default=30)
    parser.add_argument("--heartbeat", type=int, default=10)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="jobs-restart-"))
    environment = {
        "JOBS_LEASE_SECONDS": str(options.lease),
        "JOBS_HEARTBEAT_SECONDS": str(options.heartbeat),
    }
    if os.environ.get("LIVE_DATABASE_URL"):
        environment["DATABASE_URL"] = os.environ["LIVE_DATABASE_URL"]
    site = LiveSite(root, **environment)
    try:
        started = time.monotonic()
        site.manage("migrate", "--noinput")
        site.manage("migrate", "--noinput", "--database", "jobs")
        site.python(live.CREATE_SITE)
        print(f"site ready in {time.monotonic() - started:.1f} s ({root})")
        path = live.upr_info_file(root / "big.csv", options.rows)
        batch, job = live.queue_import(site, path)
        worker = site.start("worker")
        progress = wait_for(
            lambda: live.job_state(site, job)[1] > 0 and live.job_state(site, job), timeout=600
        )
        os.kill(worker.pid, signal.SIGKILL)
        killed_at = time.time()
        worker.wait(timeout=30)
        site.start("worker")
        failed = wait_for(
            lambda: live.job_state(site, job)[0] == "failed" and live.job_state(site, job),
            timeout=600,
            every=1,
        )
        noticed = failed[4] - killed_at
        after_kill = live.state(site)
        retry_started = time.monotonic()
        again = int(
            site.python(
                "from rightstrack.accounts.models import User\n"
                "from rightstrack.jobs.models import Job\n"
                "from rightstrack.jobs.services import job_retry\n"
                "coordinator = User.objects.get(username='coordinator')\n"
                f"print(job_retry(user=coordinator, job=Job.objects.get(pk={job})).pk)"
            )
        )
        wait_for(
            lambda: live.job_state(site, again)[0] in ("succeeded", "failed"),
            timeout=3600,
            every=1,
        )
        retried = live.state(site)
        retry_seconds = time.monotonic() - retry_started
    finally:
        site.stop_all()
    rows = [
        ("rows in the file", f"{options.rows}", ""),
        ("progress when killed", f"{progress[1]} of {progress[2]}", ""),
        (
            "kill -9 -> job marked failed",
            f"{noticed:.1f} s",
            f"lease {options.lease} s, heartbeat {options.heartbeat} s; promised <= 60 s",
        ),
        ("job error", failed[3][:60] + "...", ""),
        ("batch after the kill", after_kill["batches"][str(batch)][0], "failed"),
        ("recommendations after the kill", str(after_kill["recommendations"]), "0"),
        (
            "retry: job, batch",
            f"{retried['jobs'][str(again)][0]}, {retried['batches'][str(batch)][0]}",
            "succeeded",
        ),
        ("retry: recommendations written", str(retried["recommendations"]), str(options.rows)),
        ("retry: seconds (queue to done)", f"{retry_seconds:.1f} s", ""),
    ]
    width = max(len(row[0]) for row in rows)
    for name, value, floor in rows:
        print(f"{name:<{width}}  {value:<28}  {floor}")
    print(
        json.dumps({"noticed_seconds": round(noticed, 1), "retry_seconds": round(retry_seconds, 1)})
    )


if __name__ == "__main__":
    main()
