from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rightstrack.accounts.models import LoginFailure
from rightstrack.accounts.selectors import login_is_locked
from rightstrack.accounts.services import login_failure_record
from rightstrack.core.tests.settings_process import settings_refusal

from .factories import STRONG_PASSWORD, UserFactory

LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _known_limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900
    settings.LOGIN_FAILURE_DELAY_SECONDS = 30


@pytest.fixture
def member(db):
    return UserFactory(username="member", password=STRONG_PASSWORD)


def _sign_in(client, username, password, ip="10.0.0.1", **extra):
    return client.post(
        LOGIN_URL, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip
    )


def test_it_shows_the_sign_in_form(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_it_signs_in_with_the_right_password_and_clears_earlier_failures(client, member):
    for _ in range(3):
        _sign_in(client, "member", "wrong")

    response = _sign_in(client, "member", STRONG_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(member.pk)
    assert not LoginFailure.objects.filter(username="member").exists()


def test_it_records_a_failure_and_says_so_next_to_the_form(client, member):
    response = _sign_in(client, "member", "wrong")

    assert response.status_code == 200
    assert b"Please enter a correct" in response.content
    assert LoginFailure.objects.get().ip_address == "10.0.0.1"


def test_it_refuses_with_429_after_five_failures_even_with_the_right_password(client, member):
    for _ in range(5):
        assert _sign_in(client, "member", "wrong").status_code == 200

    response = _sign_in(client, "member", STRONG_PASSWORD)

    assert response.status_code == 429
    assert b"Too many failed sign-in attempts. Try again in 30 seconds." in response.content
    assert 0 < int(response["Retry-After"]) <= 30
    assert "_auth_user_id" not in client.session
    # The locked try is not counted, so the lock does not grow while it lasts.
    assert LoginFailure.objects.count() == 5


def test_it_counts_the_account_name_whatever_its_case_or_surrounding_spaces(client, member):
    for name in ("member", "MEMBER", " Member ", "member", "mEmber"):
        _sign_in(client, name, "wrong")

    assert _sign_in(client, "member", STRONG_PASSWORD).status_code == 429


def test_it_unlocks_when_the_failures_leave_the_window(client, member):
    for _ in range(5):
        _sign_in(client, "member", "wrong")
    assert _sign_in(client, "member", STRONG_PASSWORD).status_code == 429

    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=901))

    assert _sign_in(client, "member", STRONG_PASSWORD).status_code == 302


def _age_failures(seconds):
    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=seconds))


def test_it_doubles_the_wait_with_each_failure_past_the_limit(client, member):
    for _ in range(5):
        _sign_in(client, "member", "wrong")
    assert _sign_in(client, "member", STRONG_PASSWORD).status_code == 429

    waits = []
    for _ in range(5):
        _age_failures(seconds=1)
        response = _sign_in(client, "member", "wrong")
        assert response.status_code == 429
        waits.append(int(response["Retry-After"]))
        _age_failures(seconds=waits[-1] + 1)
        # Once the wait is over, the next try is heard (and, being wrong, counted).
        assert _sign_in(client, "member", "wrong").status_code == 200

    # The latest failure was a second old when asked: each wait is its delay less that second.
    for wait, delay in zip(waits, [30, 60, 120, 240, 480], strict=True):
        assert delay - 3 <= wait <= delay


def test_it_never_waits_longer_than_the_window(client, member, settings):
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 120
    for _ in range(12):
        login_failure_record(username="member", ip_address="10.0.0.1")

    response = _sign_in(client, "member", STRONG_PASSWORD)

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 120
    assert b"Try again in 2 minutes." in response.content


def test_it_never_lets_an_attacker_elsewhere_lock_the_owner_out(client, member):
    # Failures from address A lock the account from A only (and slow A down), however many.
    attacker = [_sign_in(client, "member", "wrong", ip="203.0.113.9") for _ in range(7)]
    assert [response.status_code for response in attacker] == [200] * 5 + [429] * 2

    owner = Client()
    assert _sign_in(owner, "member", STRONG_PASSWORD, ip="198.51.100.20").status_code == 302
    assert owner.session["_auth_user_id"] == str(member.pk)
    # The owner's success does not wipe the attacker's count on their own address.
    assert _sign_in(client, "member", STRONG_PASSWORD, ip="203.0.113.9").status_code == 429


def test_it_lets_the_owner_in_from_a_known_device_on_the_attackers_address(client, member):
    owner = Client()
    assert _sign_in(owner, "member", STRONG_PASSWORD, ip="203.0.113.9").status_code == 302
    owner.post("/accounts/logout/")
    # Someone else behind the same public address (an office, a café) tries the owner's name.
    for _ in range(8):
        _sign_in(client, "member", "wrong", ip="203.0.113.9")
    assert _sign_in(client, "member", STRONG_PASSWORD, ip="203.0.113.9").status_code == 429

    response = _sign_in(owner, "member", STRONG_PASSWORD, ip="203.0.113.9")

    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(member.pk)


def test_it_counts_the_failures_of_a_known_device_on_their_own(client, member):
    assert _sign_in(client, "member", STRONG_PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(5):
        assert _sign_in(client, "member", "wrong").status_code == 200

    assert _sign_in(client, "member", STRONG_PASSWORD).status_code == 429
    # Another browser on the same address is not slowed by the device's failures.
    assert _sign_in(Client(), "member", STRONG_PASSWORD).status_code == 302


def test_it_ignores_a_known_device_cookie_that_is_forged_or_of_another_account(client, member):
    UserFactory(username="other", password=STRONG_PASSWORD)
    assert _sign_in(client, "other", STRONG_PASSWORD, ip="203.0.113.9").status_code == 302
    for _ in range(5):
        _sign_in(Client(), "member", "wrong", ip="203.0.113.9")

    # The cookie names "other": it does not make this browser a known device of "member".
    assert _sign_in(client, "member", STRONG_PASSWORD, ip="203.0.113.9").status_code == 429
    client.cookies["rightstrack_device"] = "forged"
    assert _sign_in(client, "member", STRONG_PASSWORD, ip="203.0.113.9").status_code == 429


def test_it_does_not_lock_an_account_tried_from_many_addresses(client, member):
    for number in range(6):
        _sign_in(client, "member", "wrong", ip=f"10.0.1.{number}")

    assert _sign_in(client, "member", STRONG_PASSWORD, ip="10.0.9.9").status_code == 302


def test_it_locks_an_address_that_tries_many_accounts(client, member):
    for number in range(8):
        _sign_in(client, f"guess{number}", "wrong", ip="192.0.2.7")

    assert _sign_in(client, "member", STRONG_PASSWORD, ip="192.0.2.7").status_code == 429
    assert _sign_in(client, "member", STRONG_PASSWORD, ip="192.0.2.8").status_code == 302


def test_it_does_not_trust_forwarded_addresses_unless_behind_a_proxy(client, member, settings):
    for number in range(8):
        client.post(
            LOGIN_URL,
            {"username": f"guess{number}", "password": "wrong"},
            REMOTE_ADDR="192.0.2.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    assert login_is_locked(username="someone", ip_address="192.0.2.7")


def test_it_counts_the_address_the_trusted_proxy_appended(client, member, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    client.post(
        LOGIN_URL,
        {"username": "member", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.4",
    )

    assert LoginFailure.objects.get().ip_address == "198.51.100.4"


@pytest.mark.django_db
def test_it_locks_by_account_and_address_or_by_address_alone_in_the_selector():
    for _ in range(4):
        login_failure_record(username="a", ip_address="10.1.1.1")
    assert not login_is_locked(username="a", ip_address="10.1.1.1")

    login_failure_record(username="a", ip_address="10.1.1.1")

    assert login_is_locked(username="a", ip_address="10.1.1.1")
    assert not login_is_locked(username="a", ip_address="10.1.1.2")
    assert not login_is_locked(username="c", ip_address="10.1.1.1")
    for name in "bcd":
        login_failure_record(username=name, ip_address="10.1.1.1")
    assert login_is_locked(username="e", ip_address="10.1.1.1")
    assert not login_is_locked(username="e", ip_address="10.1.1.2")


@pytest.mark.django_db
def test_it_forgets_failures_older_than_the_retention_period():
    login_failure_record(username="a", ip_address="not an address")
    LoginFailure.objects.update(at=timezone.now() - timedelta(days=31))

    login_failure_record(username="b", ip_address="10.1.1.1")

    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["b"]


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/presences/?country=by", "/presences/?country=by"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_it_follows_next_only_to_this_site(client, member, next_url, expected):
    response = _sign_in(client, "member", STRONG_PASSWORD, next=next_url)

    assert response.status_code == 302
    assert response["Location"] == expected


def test_it_keeps_a_safe_next_in_the_form_and_drops_an_unsafe_one(client, db):
    safe = client.get(LOGIN_URL, {"next": "/audit/"})
    unsafe = client.get(LOGIN_URL, {"next": "https://evil.example.com/"})

    assert b'type="hidden" name="next" value="/audit/"' in safe.content
    assert b'type="hidden" name="next"' not in unsafe.content


def test_it_signs_out_by_post_only(client, member):
    client.force_login(member)

    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_sign_out_without_a_csrf_token(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in client.session


def test_it_refuses_deactivated_accounts(client, db):
    UserFactory(username="gone", password=STRONG_PASSWORD, is_active=False)

    response = _sign_in(client, "gone", STRONG_PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_sends_the_admin_sign_in_through_the_rate_limited_page(client, db):
    response = client.get("/admin/login/", {"next": "/admin/accounts/user/"})

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("accounts:login") + "?next=%2Fadmin%2Faccounts%2Fuser%2F"
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LOGIN_FAILURE_LIMIT": "five"}, "LOGIN_FAILURE_LIMIT must be a whole number"),
        ({"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT must be between 1 and 1000"),
        (
            {"LOGIN_FAILURE_LIMIT": "10", "LOGIN_ADDRESS_FAILURE_LIMIT": "5"},
            "LOGIN_ADDRESS_FAILURE_LIMIT must be >= 10",
        ),
    ],
)
def test_it_refuses_to_start_with_a_bad_sign_in_limit(env, message):
    assert message in settings_refusal(env)
