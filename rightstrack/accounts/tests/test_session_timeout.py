"""Sessions end after a time without requests (shorter for staff) and a time after sign-in."""

import time

import pytest

from rightstrack.accounts.session_keys import LAST_SEEN_AT, SIGNED_IN_AT
from rightstrack.core.tests.settings_process import settings_refusal, settings_values

ME_URL = "/accounts/me/"


@pytest.fixture(autouse=True)
def _known_timeouts(settings):
    settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS = 8 * 3600
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 3600
    settings.STAFF_SESSION_IDLE_TIMEOUT_SECONDS = 600


def _age_session(client, *, signed_in_ago, last_seen_ago):
    session = client.session
    now = time.time()
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN_AT] = now - last_seen_ago
    session.save()


def test_it_starts_the_clocks_at_sign_in(client_for):
    client = client_for("viewer")

    assert time.time() - client.session[SIGNED_IN_AT] < 60
    assert client.get(ME_URL).status_code == 200


def test_it_keeps_a_session_in_use_within_the_idle_time(client_for):
    client = client_for("viewer")
    _age_session(client, signed_in_ago=3 * 3600, last_seen_ago=3000)

    assert client.get(ME_URL).status_code == 200
    assert time.time() - client.session[LAST_SEEN_AT] < 60


def test_it_signs_out_after_the_idle_time_and_asks_to_sign_in_again(client_for):
    client = client_for("viewer")
    _age_session(client, signed_in_ago=3700, last_seen_ago=3700)

    response = client.get(ME_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert b"Your session expired" in page.content


def test_it_signs_staff_out_sooner(client_for):
    coordinator, viewer = client_for("coordinator"), client_for("viewer")
    for client in (coordinator, viewer):
        _age_session(client, signed_in_ago=700, last_seen_ago=700)

    assert coordinator.get(ME_URL).status_code == 302
    assert viewer.get(ME_URL).status_code == 200


def test_it_signs_out_after_the_absolute_time_even_when_busy(client_for):
    client = client_for("viewer")
    _age_session(client, signed_in_ago=8 * 3600 + 1, last_seen_ago=1)

    assert client.get(ME_URL).status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_treats_an_expired_api_session_as_anonymous_without_redirecting(client_for):
    client = client_for("viewer")
    _age_session(client, signed_in_ago=3700, last_seen_ago=3700)

    response = client.get("/api/v1/audit/")

    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SESSION_IDLE_TIMEOUT_SECONDS": "an hour"}, "must be a whole number"),
        ({"SESSION_IDLE_TIMEOUT_SECONDS": "10"}, "SESSION_IDLE_TIMEOUT_SECONDS must be between"),
        (
            {"SESSION_ABSOLUTE_TIMEOUT_SECONDS": "3600", "SESSION_IDLE_TIMEOUT_SECONDS": "7200"},
            "SESSION_IDLE_TIMEOUT_SECONDS must be between 60 and 3600",
        ),
        (
            {"SESSION_IDLE_TIMEOUT_SECONDS": "600", "STAFF_SESSION_IDLE_TIMEOUT_SECONDS": "900"},
            "STAFF_SESSION_IDLE_TIMEOUT_SECONDS must be between 60 and 600",
        ),
    ],
)
def test_it_refuses_to_start_with_a_bad_timeout(env, message):
    assert message in settings_refusal(env)


def test_it_defaults_the_idle_times_within_a_short_absolute_time():
    values = settings_values(
        {"SESSION_ABSOLUTE_TIMEOUT_SECONDS": "900"},
        "SESSION_IDLE_TIMEOUT_SECONDS",
        "STAFF_SESSION_IDLE_TIMEOUT_SECONDS",
        "SESSION_COOKIE_AGE",
    )

    assert values == ["900", "900", "900"]
