import re
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from rightstrack.accounts import totp, two_factor
from rightstrack.accounts.models import LoginFailure, RecoveryCode, TwoFactorDevice
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role

from .factories import STRONG_PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _two_factor_required_and_known_limits(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    settings.LOGIN_FAILURE_LIMIT = 5


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coord", password=STRONG_PASSWORD, role=Role.COORDINATOR)


@pytest.fixture
def viewer(db):
    return UserFactory(username="reader", password=STRONG_PASSWORD, role=Role.VIEWER)


def enrolled(user):
    device = two_factor.setup_begin(user=user)
    codes = two_factor.setup_confirm(user=user, code=totp.code_at(device.secret))
    device.refresh_from_db()
    # The confirming code's step is used up; later codes come from the next step.
    return device, codes


def next_code(device):
    return totp.code_at(device.secret, now=time.time() + totp.STEP_SECONDS)


def sign_in(client, username, next_url=""):
    data = {"username": username, "password": STRONG_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def test_it_computes_the_rfc_6238_reference_codes():
    # RFC 6238 appendix B, SHA-1, secret "12345678901234567890", last 6 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp.code_at(secret, now=59) == "287082"
    assert totp.code_at(secret, now=1111111109) == "081804"
    assert totp.code_at(secret, now=2000000000) == "279037"


def test_it_accepts_one_step_of_clock_drift_and_nothing_more():
    secret = totp.new_secret()
    now = 1_700_000_000
    early = totp.code_at(secret, now=now - totp.STEP_SECONDS)
    too_early = totp.code_at(secret, now=now - 3 * totp.STEP_SECONDS)
    assert totp.matching_step(secret, early, now=now) is not None
    assert totp.matching_step(secret, too_early, now=now) is None
    assert totp.matching_step(secret, "12 34", now=now) is None


def test_it_never_accepts_the_same_code_twice(coordinator):
    device, _codes = enrolled(coordinator)
    code = next_code(device)
    TwoFactorDevice.objects.filter(pk=device.pk).update(last_used_step=totp.current_step() - 5)

    assert two_factor.verify(user=coordinator, code=code)
    assert not two_factor.verify(user=coordinator, code=code)


def test_it_sends_staff_without_an_app_to_set_one_up_before_anything_else(client, coordinator):
    response = sign_in(client, "coord", next_url="/plans/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/me/two-factor/")
    blocked = client.get("/recommendations/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/accounts/me/two-factor/")

    page = client.get("/accounts/me/two-factor/?next=/plans/")
    assert page.status_code == 200
    assert b'value="begin"' in page.content and b"<svg" not in page.content
    assert not TwoFactorDevice.objects.filter(user=coordinator).exists()

    page = client.post("/accounts/me/two-factor/", {"action": "begin", "next": "/plans/"})
    assert page.status_code == 200
    assert b"<svg" in page.content
    assert b'name="next" value="/plans/"' in page.content
    key = re.search(r'class="setup-key">([A-Z2-7 ]+)<', page.content.decode())[1]
    secret = key.replace(" ", "")
    assert TwoFactorDevice.objects.get(user=coordinator).secret == secret

    done = client.post(
        "/accounts/me/two-factor/",
        {"action": "confirm", "code": totp.code_at(secret), "next": "/plans/"},
    )
    assert done.status_code == 200
    shown = re.findall(r"<li><code>([0-9a-f]{8}-[0-9a-f]{8})</code></li>", done.content.decode())
    assert len(shown) == two_factor.RECOVERY_CODE_COUNT
    assert client.get("/recommendations/").status_code == 200
    assert AuditEntry.objects.filter(note="Two-factor sign-in set up").exists()


def test_it_creates_no_device_when_the_page_is_only_read(client_for, users):
    client = client_for("viewer")

    for _ in range(2):
        assert client.get("/accounts/me/two-factor/").status_code == 200
    assert not TwoFactorDevice.objects.exists()

    client.post("/accounts/me/two-factor/", {"action": "begin"})
    again = client.get("/accounts/me/two-factor/")
    device = TwoFactorDevice.objects.get(user=users["viewer"])
    assert device.confirmed_at is None
    assert totp.grouped(device.secret).encode() in again.content


def test_it_asks_for_the_code_after_the_password(client, coordinator):
    device, _codes = enrolled(coordinator)

    response = sign_in(client, "coord", next_url="/plans/")

    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/login/code/", {"code": "000000"})
    assert wrong.status_code == 422 and "_auth_user_id" not in client.session
    right = client.post("/accounts/login/code/", {"code": next_code(device)})
    assert right.status_code == 302 and right["Location"] == "/plans/"
    assert client.session["_auth_user_id"] == str(coordinator.pk)


def test_it_signs_in_once_with_each_recovery_code(client, coordinator):
    _device, codes = enrolled(coordinator)

    sign_in(client, "coord")
    assert client.post("/accounts/login/code/", {"code": codes[0]}).status_code == 302
    client.logout()
    sign_in(client, "coord")
    again = client.post("/accounts/login/code/", {"code": codes[0]})

    assert again.status_code == 422
    assert RecoveryCode.objects.filter(user=coordinator, used_at__isnull=False).count() == 1


def test_it_counts_wrong_codes_towards_the_sign_in_lock(client, coordinator, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    device, _codes = enrolled(coordinator)
    sign_in(client, "coord")
    client.post("/accounts/login/code/", {"code": "000000"})
    client.post("/accounts/login/code/", {"code": "000001"})

    locked = client.post("/accounts/login/code/", {"code": next_code(device)})

    assert locked.status_code == 302 and locked["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.count() == 2


def test_it_forgets_the_password_step_after_five_minutes(client, coordinator, monkeypatch):
    device, _codes = enrolled(coordinator)
    sign_in(client, "coord")
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)

    response = client.post("/accounts/login/code/", {"code": totp.code_at(device.secret, later)})

    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_it_leaves_two_factor_optional_for_other_roles(client, viewer):
    response = sign_in(client, "reader")

    assert response["Location"] == "/"
    assert client.get("/recommendations/").status_code == 200


def test_it_lets_a_viewer_turn_it_off_with_a_code_but_not_staff(viewer, coordinator):
    device, _codes = enrolled(viewer)
    with pytest.raises(ValidationError):
        two_factor.turn_off(actor=viewer, user=viewer, code="000000")
    assert two_factor.turn_off(actor=viewer, user=viewer, code=next_code(device))

    staff_device, _codes = enrolled(coordinator)
    with pytest.raises(ValidationError):
        two_factor.turn_off(actor=coordinator, user=coordinator, code=next_code(staff_device))


def test_it_lets_only_administrators_reset_another_users_app(
    viewer, coordinator, client_for, users
):
    enrolled(viewer)
    with pytest.raises(PermissionDenied):
        two_factor.turn_off(actor=coordinator, user=viewer)

    response = client_for("administrator").post(f"/accounts/users/{viewer.pk}/two-factor/reset/")

    assert response.status_code == 302
    assert not TwoFactorDevice.objects.filter(user=viewer).exists()
    assert not RecoveryCode.objects.filter(user=viewer).exists()
    assert AuditEntry.objects.filter(note="Two-factor sign-in removed").exists()
    assert (
        client_for("coordinator").post(f"/accounts/users/{viewer.pk}/two-factor/reset/").status_code
        == 403
    )


def test_it_resets_from_the_command_line(viewer):
    enrolled(viewer)

    call_command("user", "reset-2fa", "reader")

    assert not TwoFactorDevice.objects.filter(user=viewer).exists()


def test_it_makes_new_recovery_codes_that_replace_the_old(viewer):
    device, old = enrolled(viewer)

    new = two_factor.recovery_codes_renew(user=viewer, code=next_code(device))

    assert set(new).isdisjoint(old)
    assert not two_factor.verify(user=viewer, code=old[1])
    assert two_factor.verify(user=viewer, code=new[1])


def test_it_can_be_made_optional_for_staff(client, coordinator, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False

    response = sign_in(client, "coord")

    assert response["Location"] == "/"
