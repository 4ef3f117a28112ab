import time

import pytest
from django.test import Client

from rightstrack.accounts.models import LoginFailure
from rightstrack.accounts.session_keys import SIGNED_IN_AT
from rightstrack.core.roles import Role

from .factories import STRONG_PASSWORD, UserFactory
from .test_two_factor import enrolled, next_code

CONFIRM = "/accounts/me/confirm/"


@pytest.fixture(autouse=True)
def _known_limits(settings):
    settings.REAUTHENTICATION_MAX_AGE_SECONDS = 900
    settings.LOGIN_FAILURE_LIMIT = 5


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="admin",
        password=STRONG_PASSWORD,
        role=Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )


def _signed_in_long_ago(user, seconds=1000):
    client = Client()
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - seconds
    session.save()
    return client


def test_it_lets_a_fresh_sign_in_make_sensitive_changes(administrator):
    client = Client()
    client.force_login(administrator)

    assert client.get("/accounts/users/new/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/accounts/users/new/", "/accounts/me/two-factor/", "/admin/", "/admin/accounts/user/"]
)
def test_it_asks_an_old_session_to_confirm_its_password_first(administrator, path):
    client = _signed_in_long_ago(administrator)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(CONFIRM + "?next=")


def test_it_does_not_replay_a_post_and_sends_it_back_to_the_page(administrator):
    client = _signed_in_long_ago(administrator)
    target = UserFactory(role=Role.VIEWER)

    response = client.post(
        f"/accounts/users/{target.pk}/",
        {"role": Role.ADMINISTRATOR, "username": target.username},
        HTTP_REFERER=f"http://testserver/accounts/users/{target.pk}/",
    )

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{CONFIRM}?next=http%3A%2F%2Ftestserver%2Faccounts%2Fusers%2F{target.pk}%2F"
    )
    target.refresh_from_db()
    assert target.role == Role.VIEWER


def test_it_goes_on_after_the_password_is_confirmed(administrator):
    client = _signed_in_long_ago(administrator)

    response = client.post(CONFIRM, {"password": STRONG_PASSWORD, "next": "/accounts/users/new/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/users/new/"
    assert client.get("/accounts/users/new/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_it_refuses_a_wrong_password_and_counts_it_like_a_sign_in(administrator):
    client = _signed_in_long_ago(administrator)

    for _ in range(5):
        response = client.post(CONFIRM, {"password": "wrong", "next": "/accounts/users/new/"})
        assert response.status_code == 422
        assert b"That password is not right." in response.content
    assert LoginFailure.objects.filter(username="admin").count() == 5

    response = client.post(CONFIRM, {"password": STRONG_PASSWORD, "next": "/accounts/users/new/"})
    assert response.status_code == 429
    assert client.get("/accounts/users/new/").status_code == 302


def test_it_asks_for_the_code_too_when_the_account_has_an_authenticator_app(administrator):
    device, _codes = enrolled(administrator)
    client = _signed_in_long_ago(administrator)

    page = client.get(CONFIRM)
    assert b'name="code"' in page.content
    assert client.post(CONFIRM, {"password": STRONG_PASSWORD}).status_code == 422

    response = client.post(
        CONFIRM, {"password": STRONG_PASSWORD, "code": next_code(device), "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_it_never_sends_the_user_on_to_another_site(administrator):
    client = _signed_in_long_ago(administrator)

    response = client.post(CONFIRM, {"password": STRONG_PASSWORD, "next": "https://evil.example/"})

    assert response["Location"] == "/accounts/me/"


def test_it_sends_the_anonymous_to_sign_in_not_to_confirm(db):
    response = Client().get(CONFIRM)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
