import pytest
from django.conf import settings


@pytest.fixture
def shared_data_dir():
    path = settings.SHARED_DATA_DIR
    if not path.is_dir():
        pytest.skip(f"real data not found at {path} (set RIGHTSTRACK_DATA_DIR)")
    return path


@pytest.fixture
def shared_seed_dir():
    path = settings.SHARED_SEED_DIR
    if not path.is_dir():
        pytest.skip(f"seed page not found at {path} (set RIGHTSTRACK_SEED_DIR)")
    return path


# Role fixtures for permission tests: users, client_for, api_token_for, api_client_for.
pytest_plugins = ["rightstrack.accounts.tests.fixtures"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run at once, in the test's thread and transaction (no worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TASKS_BACKEND = "immediate"
    # Jobs stay in the test's database and transaction (see rightstrack/jobs/routers.py).
    settings.JOBS_DATABASE = "default"
