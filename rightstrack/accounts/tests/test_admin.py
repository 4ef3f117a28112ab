import pytest

from rightstrack.accounts.models import ApiToken, LoginFailure, User
from rightstrack.accounts.services import api_token_create, login_failure_record
from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audit_record
from rightstrack.core.roles import Role


@pytest.fixture
def admin_client(client_for):
    return client_for("administrator")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_opens_the_admin_to_administrators_only(client_for, role):
    response = client_for(role).get("/admin/accounts/user/")

    assert response.status_code == (200 if role == "administrator" else 302)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/user/{viewer}/change/",
        "/admin/accounts/apitoken/",
        "/admin/accounts/apitoken/{token}/change/",
        "/admin/accounts/loginfailure/",
        "/admin/audit/auditentry/",
        "/admin/audit/auditentry/{entry}/change/",
    ],
)
def test_it_renders_every_admin_page(admin_client, users, url):
    token, _raw = api_token_create(user=users["viewer"])
    login_failure_record(username="x", ip_address="10.0.0.1")
    entry = AuditEntry.objects.get(object_id=str(token.pk))

    response = admin_client.get(
        url.format(viewer=users["viewer"].pk, token=token.pk, entry=entry.pk)
    )

    assert response.status_code == 200


def test_it_saves_admin_user_changes_through_the_audited_service(admin_client, users):
    target = users["viewer"]

    response = admin_client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {
            "first_name": "Vera",
            "last_name": "",
            "email": "vera@example.org",
            "role": Role.COORDINATOR,
            "agency": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert (target.role, target.first_name) == (Role.COORDINATOR, "Vera")
    entry = AuditEntry.objects.get(object_id=str(target.pk), action="update")
    assert entry.actor == users["administrator"]
    assert entry.changes["role"]["new"] == "coordinator"


def test_it_shows_role_errors_in_the_admin_instead_of_failing(admin_client, users):
    target = users["viewer"]

    response = admin_client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {"email": "", "role": Role.FOCAL_POINT, "agency": "", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "must belong to an agency" in str(response.context["adminform"].form.errors)
    target.refresh_from_db()
    assert target.role == Role.VIEWER


def test_it_adds_a_user_in_the_admin_through_the_service(admin_client, users):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "added",
            "email": "",
            "role": Role.FOCAL_POINT,
            "agency": users["focal_point"].agency.pk,
            "usable_password": "false",
            "password1": "",
            "password2": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    added = User.objects.get(username="added")
    assert added.agency == users["focal_point"].agency
    assert not added.has_usable_password()
    assert AuditEntry.objects.get(object_id=str(added.pk)).action == "create"


def test_it_never_deletes_users_and_revokes_tokens_with_an_audit_entry(admin_client, users):
    token, _raw = api_token_create(user=users["viewer"])

    user_delete = admin_client.post(
        f"/admin/accounts/user/{users['viewer'].pk}/delete/", {"post": "yes"}
    )
    token_delete = admin_client.post(
        f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"}
    )

    assert user_delete.status_code == 403
    assert token_delete.status_code == 302
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(object_id=str(token.pk), action="delete").exists()


def test_it_keeps_the_audit_trail_read_only_in_the_admin(admin_client, users):
    login_failure_record(username="x", ip_address=None)
    entry = audit_record(actor=None, obj=users["viewer"], action="create")

    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/accounts/loginfailure/add/").status_code == 403
    assert LoginFailure.objects.count() == 1


def test_it_sends_admin_password_changes_to_the_audited_form(admin_client, users):
    response = admin_client.get(f"/admin/accounts/user/{users['viewer'].pk}/password/")

    assert response["Location"] == f"/accounts/users/{users['viewer'].pk}/"
