"""The one task of the task backend: run a job. What a job does depends on its kind."""

from django_tasks import task

from .execution import job_run


@task()
def run_job(job_id: int) -> str:
    return job_run(job_id).status
