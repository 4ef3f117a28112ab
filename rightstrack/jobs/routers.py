"""Jobs, and the task queue of the database backend (django-tasks-db), are read and written
through the "jobs" database; everything else through "default".

On PostgreSQL "jobs" is a second connection to the same database, on SQLite a file of its own
(see settings.py): either way a job's progress commits while the work it reports on is still
inside its transaction, and on SQLite a worker takes its next task while an import holds the
main database's write lock. Tests set JOBS_DATABASE to "default", so that their jobs stay
inside the test's transaction ("jobs" mirrors "default" there and is never opened).
"""

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

JOBS_APP = "jobs"
JOBS_APPS = frozenset({JOBS_APP, "django_tasks_db"})
JOBS_DATABASE = "jobs"


def jobs_database() -> str:
    return str(settings.JOBS_DATABASE)


class JobsRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if model._meta.app_label in JOBS_APPS:  # type: ignore[attr-defined]
            return jobs_database()
        instance = hints.get("instance")
        if instance is not None and instance._meta.app_label in JOBS_APPS:
            # Whatever a job points to (the user who started it) lives in "default". Without
            # this Django reads it from the job's own database, which on SQLite is a file
            # without the users' table (the jobs page failed once a job had been started by
            # someone).
            return DEFAULT_DB_ALIAS
        return None

    db_for_write = db_for_read

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # A job names the user who started it, who lives in "default".
        if JOBS_APPS & {obj1._meta.app_label, obj2._meta.app_label}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The jobs database holds only the jobs and the task queue; their tables exist in
        # "default" too, where they stay empty, so that the default database alone is a
        # complete schema.
        if db == JOBS_DATABASE:
            return app_label in JOBS_APPS
        return None
