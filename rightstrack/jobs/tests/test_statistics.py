"""The periodic job that keeps the planner's statistics current, and what makes it safe beside
other work: it never waits for a lock others hold, never runs twice at once, and a job's process
is never forked while the worker's heartbeat is inside a transaction."""

import pytest
from django.contrib.auth.models import Group

from rightstrack.core.db_statistics import planned_row_count, refresh_planner_statistics
from rightstrack.core.tests.test_db_statistics import committed, writes_reported
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import PERIODIC
from rightstrack.jobs.services import job_start, jobs_start_periodic
from rightstrack.jobs.statistics import STATISTICS_JOB
from rightstrack.jobs.tests.live import LiveSite

pytestmark = pytest.mark.django_db

GROUPS = Group._meta.db_table


def test_it_is_a_periodic_job_every_ten_minutes():
    assert PERIODIC[STATISTICS_JOB].every.total_seconds() == 600


@committed
def test_it_analyses_the_tables_many_small_writes_changed_and_says_which():
    refresh_planner_statistics()
    for number in range(200):
        Group.objects.create(name=f"group {number}")
    writes_reported()

    assert STATISTICS_JOB in {job.kind for job in jobs_start_periodic()}

    job = Job.objects.get(kind=STATISTICS_JOB)
    assert job.status == Job.Status.SUCCEEDED
    assert GROUPS in job.result
    assert planned_row_count(GROUPS) == 200


def test_it_leaves_the_work_to_the_one_already_running():
    # Another worker's, started at the same moment.
    Job.objects.create(kind=STATISTICS_JOB, status=Job.Status.RUNNING)
    refresh_planner_statistics()
    Group.objects.bulk_create(Group(name=f"group {number}") for number in range(200))

    job = job_start(kind=STATISTICS_JOB, user=None)

    assert job.status == Job.Status.SUCCEEDED
    assert "left it the work" in job.result
    assert planned_row_count(GROUPS) != 200


# In real processes, on a SQLite site of its own (a file, so that another process can lock it).

SMALL_WRITES = """
import time
from django.contrib.auth.models import Group
for number in range(300):
    Group.objects.create(name=f"group {time.time()} {number}")
"""

# A worker's heartbeat whose lease check is inside a write transaction of the main database (as
# when it takes back a killed worker's import, step by step) while the worker's own thread forks
# the statistics job's process. The child used to find SQLite's write lock held for ever (held,
# in the memory it inherited, by the heartbeat's connection) and waited out its time limit.
FORK_BESIDE_A_CHECK = """
import threading, time
from django.contrib.auth.models import Group
from django.db import transaction
from rightstrack.jobs.execution import isolate_jobs, job_run
from rightstrack.jobs.models import Job
from rightstrack.jobs.running import Heartbeat
from rightstrack.jobs.statistics import STATISTICS_JOB

inside = threading.Event()
def undoing_an_import():
    if inside.is_set():
        return
    with transaction.atomic():
        Group.objects.create(name="written by the lease check")
        inside.set()
        time.sleep(1)
heartbeat = Heartbeat(on_check=undoing_an_import)
heartbeat.start()
inside.wait()
job = Job.objects.create(kind=STATISTICS_JOB)
isolate_jobs(True)
started = time.monotonic()
job = job_run(job.pk)
print(job.status, round(time.monotonic() - started, 1), job.error or job.result)
heartbeat.stop()
"""

HOLD_THE_WRITE_LOCK = """
import sqlite3, sys, time
from django.conf import settings
other = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
other.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(60)
"""

REFRESH = """
import time
from rightstrack.core.db_statistics import refresh_stale_statistics
started = time.monotonic()
analysed, skipped = refresh_stale_statistics()
print(round(time.monotonic() - started, 1), ",".join(analysed), ",".join(skipped))
"""


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    # A job may run 30 s here: a child that waits out its time limit fails in 30 s, not hours.
    site = LiveSite(tmp_path_factory.mktemp("statistics-site"), JOBS_TIME_LIMIT_SECONDS="30")
    site.manage("migrate", "--noinput")
    site.manage("migrate", "--noinput", "--database", "jobs")
    yield site
    site.stop_all()


def test_it_forks_no_job_while_the_heartbeat_is_inside_a_transaction(sqlite_site):
    sqlite_site.python(SMALL_WRITES)

    status, seconds, said = sqlite_site.python(FORK_BESIDE_A_CHECK).split(" ", 2)

    assert status == "succeeded", said
    # It waited for the check's transaction (a second), no longer, and could then write: the
    # lock it would otherwise find held is not skipped as another's, it is analysed.
    assert float(seconds) < 15, said
    assert said.startswith("Statistics gathered again") and GROUPS in said, said
    assert "Left to the next run" not in said, said


def test_it_skips_a_table_whose_write_lock_another_process_holds_on_sqlite(sqlite_site):
    from rightstrack.jobs.tests.live import wait_for

    sqlite_site.python(SMALL_WRITES)
    holder = sqlite_site.start_python(HOLD_THE_WRITE_LOCK)
    wait_for(lambda: "held" in sqlite_site.log_of(holder), timeout=60)

    seconds, analysed, skipped = sqlite_site.python(REFRESH).strip("\n").split(" ")

    assert float(seconds) < 5
    assert GROUPS in skipped.split(",")
    assert GROUPS not in analysed.split(",")
    holder.kill()
    holder.wait(timeout=30)
    seconds, analysed, skipped = sqlite_site.python(REFRESH).strip("\n").split(" ")
    assert GROUPS in analysed.split(",")
    assert skipped == ""
