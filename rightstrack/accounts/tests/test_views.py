import pytest
from django.test import Client

from rightstrack.accounts.models import ApiToken, User
from rightstrack.accounts.services import api_token_create
from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role
from rightstrack.core.tests.htmx import results_fragment

from .factories import STRONG_PASSWORD, AgencyFactory, UserFactory

ADMIN_PAGES = ["/accounts/users/", "/accounts/users/new/", "/accounts/users/{viewer}/"]
SIGNED_IN_PAGES = ["/accounts/me/", "/accounts/me/password/"]


def _expected_admin_page_status(role):
    return {"anonymous": 302, "administrator": 200}.get(role, 403)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_it_shows_user_administration_to_administrators_only(client_for, users, role, url):
    response = client_for(role).get(url.format(viewer=users["viewer"].pk))

    assert response.status_code == _expected_admin_page_status(role)
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_administrators_create_users_by_post(client_for, users, role):
    response = client_for(role).post(
        "/accounts/users/new/", {"username": "posted", "role": Role.VIEWER}
    )

    created = User.objects.filter(username="posted").exists()
    assert created == (role == "administrator")
    assert response.status_code == {"anonymous": 302, "administrator": 302}.get(role, 403)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_administrators_edit_users_by_post(client_for, users, role):
    target = users["viewer"]

    client_for(role).post(
        f"/accounts/users/{target.pk}/",
        {"role": Role.COORDINATOR, "email": "changed@example.org", "is_active": "on"},
    )

    target.refresh_from_db()
    assert (target.role == Role.COORDINATOR) == (role == "administrator")


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_it_shows_account_pages_to_every_signed_in_user(client_for, role, url):
    response = client_for(role).get(url)

    assert response.status_code == (302 if role == "anonymous" else 200)


def test_it_shows_my_role_agency_and_tokens(client_for, users):
    focal_point = users["focal_point"]
    api_token_create(user=focal_point, name="reporting script")
    api_token_create(user=users["viewer"], name="somebody else's")

    response = client_for("focal_point").get("/accounts/me/")

    content = response.content.decode()
    assert "Focal point" in content
    assert "Own agency" in content
    assert "reporting script" in content
    assert "somebody else" not in content


@pytest.fixture
def viewer_password(users):
    users["viewer"].set_password("viewer-password-42")
    users["viewer"].save(update_fields=["password"])
    return "viewer-password-42"


def test_it_shows_a_new_token_once_and_it_works(client_for, users, viewer_password):
    client = client_for("viewer")

    response = client.post("/accounts/me/tokens/", {"name": "laptop", "password": viewer_password})

    token = ApiToken.objects.get(user=users["viewer"])
    raw = response.context["new_token_raw"]
    assert ApiToken.digest_of(raw) == token.digest
    assert raw in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert raw not in client.get("/accounts/me/").content.decode()
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/v1/audit/").status_code == 200


def test_it_creates_a_token_only_with_the_owners_password(client_for, users, viewer_password):
    client = client_for("viewer")

    for wrong in ({"name": "laptop"}, {"name": "laptop", "password": "guess"}):
        response = client.post("/accounts/me/tokens/", wrong)
        assert response.status_code == 422
    assert "That is not your password." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_refuses_to_create_a_token_with_a_too_long_name(client_for, users, viewer_password):
    response = client_for("viewer").post(
        "/accounts/me/tokens/", {"name": "x" * 101, "password": viewer_password}
    )

    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_it_creates_tokens_only_by_post_with_csrf(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["viewer"])

    assert client.get("/accounts/me/tokens/").status_code == 405
    assert client.post("/accounts/me/tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_it_revokes_my_token(client_for, users):
    token, raw = api_token_create(user=users["viewer"])

    response = client_for("viewer").post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    assert not ApiToken.objects.exists()
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/v1/audit/").status_code == 401


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_the_owner_or_an_administrator_revoke_a_token(client_for, users, role):
    token, _raw = api_token_create(user=users["coordinator"])

    response = client_for(role).post(f"/accounts/tokens/{token.pk}/revoke/")

    revoked = not ApiToken.objects.filter(pk=token.pk).exists()
    assert revoked == (role in {"administrator", "coordinator"})
    if role == "anonymous":
        assert response.status_code == 302
    elif not revoked:
        assert response.status_code == 404


def test_it_creates_a_focal_point_through_the_form(client_for, users):
    agency = users["focal_point"].agency

    response = client_for("administrator").post(
        "/accounts/users/new/",
        {
            "username": "new-fp",
            "role": Role.FOCAL_POINT,
            "agency": agency.pk,
            "email": "fp@example.org",
        },
    )

    created = User.objects.get(username="new-fp")
    assert response["Location"] == f"/accounts/users/{created.pk}/"
    assert created.agency == agency
    assert not created.has_usable_password()
    assert AuditEntry.objects.get(object_id=str(created.pk)).actor == users["administrator"]


def test_it_shows_service_errors_next_to_the_fields(client_for, users):
    response = client_for("administrator").post(
        "/accounts/users/new/",
        {"username": "viewer", "role": Role.FOCAL_POINT, "password": "a", "password_confirm": "b"},
    )

    assert response.status_code == 422
    form = response.context["form"]
    assert "password_confirm" in form.errors
    response = client_for("administrator").post(
        "/accounts/users/new/", {"username": "Viewer", "role": Role.FOCAL_POINT}
    )
    errors = response.context["form"].errors
    assert "already exists" in errors["username"][0]
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_edits_a_user_and_shows_the_history_on_the_page(client_for, users):
    target = users["viewer"]
    client = client_for("administrator")

    response = client.post(
        f"/accounts/users/{target.pk}/",
        {"role": Role.COORDINATOR, "email": "new@example.org", "is_active": "on"},
    )
    assert response.status_code == 302
    page = client.get(f"/accounts/users/{target.pk}/").content.decode()

    assert "History" in page
    assert "Coordinator" in page and "Viewer" in page
    assert "new@example.org" in page
    assert "administrator</strong> changed" in page


def test_it_refuses_to_let_an_administrator_demote_themself(client_for, users):
    admin = users["administrator"]

    response = client_for("administrator").post(
        f"/accounts/users/{admin.pk}/", {"role": Role.VIEWER, "is_active": "on"}
    )

    assert response.status_code == 422
    assert "own administrator role" in response.context["form"].errors["role"][0]


# What a password form posts to set STRONG_PASSWORD, typed twice.
NEW_PASSWORD_TWICE = {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD}


def _assert_password_set(response, user):
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG_PASSWORD)


def test_it_sets_another_users_password(client_for, users):
    target = users["viewer"]

    response = client_for("administrator").post(
        f"/accounts/users/{target.pk}/", {"set_password": "1", **NEW_PASSWORD_TWICE}
    )

    _assert_password_set(response, target)


def test_it_changes_my_own_password_and_keeps_me_signed_in(users):
    viewer = users["viewer"]
    viewer.set_password("old-password-that-is-long")
    viewer.save()
    client = Client()
    client.force_login(viewer)

    response = client.post(
        "/accounts/me/password/",
        {"old_password": "old-password-that-is-long", **NEW_PASSWORD_TWICE},
    )

    _assert_password_set(response, viewer)
    assert client.get("/accounts/me/").status_code == 200


def test_it_filters_and_sorts_the_user_list(client_for, users):
    client = client_for("administrator")

    by_role = client.get("/accounts/users/", {"role": Role.FOCAL_POINT})
    sorted_desc = client.get("/accounts/users/", {"sort": "-username"})
    searched = client.get("/accounts/users/", {"q": "civil"})

    assert {u.username for u in by_role.context["page"].object_list} == {
        "focal_point",
        "outsider",
    }
    names = [u.username for u in sorted_desc.context["page"].object_list]
    assert names == sorted(names, reverse=True)
    assert [u.username for u in searched.context["page"].object_list] == ["civil_society"]


def test_it_answers_htmx_with_the_results_only(client_for, users):
    assert "focal_point" in results_fragment(client_for("administrator"), "/accounts/users/")


def test_it_lists_users_in_a_bounded_number_of_queries(
    client_for, users, django_assert_max_num_queries
):
    client = client_for("administrator")
    for _ in range(30):
        UserFactory(role=Role.FOCAL_POINT, agency=AgencyFactory())

    # Four for the page, one for the menu's counts (the work waiting for an administrator and
    # their unread notifications, in one query).
    with django_assert_max_num_queries(5):
        response = client.get("/accounts/users/")

    assert len(response.context["page"].object_list) == 36
