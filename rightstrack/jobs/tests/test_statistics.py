"""The periodic job that keeps the planner's statistics current."""

import pytest
from django.contrib.auth.models import Group

from rightstrack.core.db_statistics import planned_row_count, refresh_planner_statistics
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import PERIODIC
from rightstrack.jobs.services import jobs_start_periodic
from rightstrack.jobs.statistics import STATISTICS_JOB

pytestmark = pytest.mark.django_db

GROUPS = Group._meta.db_table


def test_it_is_a_periodic_job_every_ten_minutes():
    assert PERIODIC[STATISTICS_JOB].every.total_seconds() == 600


def test_it_analyses_the_tables_many_small_writes_changed_and_says_which():
    refresh_planner_statistics()
    for number in range(200):
        Group.objects.create(name=f"group {number}")

    assert STATISTICS_JOB in {job.kind for job in jobs_start_periodic()}

    job = Job.objects.get(kind=STATISTICS_JOB)
    assert job.status == Job.Status.SUCCEEDED
    assert GROUPS in job.result
    assert planned_row_count(GROUPS) == 200
