import pytest
from django.conf import settings


def _directory_or_skip(path, what, variable):
    """The directory, or the test skipped when this machine does not have it."""
    if not path.is_dir():
        pytest.skip(f"{what} not found at {path} (set {variable})")
    return path


@pytest.fixture
def shared_data_dir():
    return _directory_or_skip(settings.SHARED_DATA_DIR, "real data", "RIGHTSTRACK_DATA_DIR")


@pytest.fixture
def shared_seed_dir():
    return _directory_or_skip(settings.SHARED_SEED_DIR, "seed page", "RIGHTSTRACK_SEED_DIR")


# Role fixtures for permission tests: users, client_for, api_token_for, api_client_for.
pytest_plugins = ["rightstrack.accounts.tests.fixtures"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings, tmp_path_factory):
    """Background tasks run at once, in the test's thread and transaction (no worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TASKS_BACKEND = "immediate"
    # Jobs stay in the test's database and transaction (see rightstrack/jobs/routers.py).
    settings.JOBS_DATABASE = "default"
    # Imports do not build indexes as they go; the tests of that turn it on.
    settings.INTELLIGENCE_AUTO_BUILD = False
    # The files jobs make for their users (documents, large exports) go to a directory of
    # the test's own.
    settings.JOBS_FILES_DIR = tmp_path_factory.mktemp("job-files")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Passwords hashed fast: the production hasher is slow on purpose (the demo loader and the
    sign-in tests set real passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a test's data, rolled back, may reach the same
    data version as the last test's, under which searches are remembered (counts.py)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language_after_the_test():
    """A request in another language leaves that language active in the thread (LocaleMiddleware
    does not undo it): the next test starts in the default language again."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
