import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from rightstrack.accounts.models import ApiToken, User
from rightstrack.accounts.services import (
    MAX_API_TOKENS_PER_USER,
    api_token_create,
    api_token_revoke,
    user_create,
    user_set_password,
    user_update,
)
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role

from .factories import STRONG_PASSWORD, AgencyFactory, UserFactory


def _entries_for(obj):
    return AuditEntry.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.FOCAL_POINT])
def test_it_creates_a_user_of_each_role_without_an_agency(role):
    user = user_create(username=f"new-{role}", role=role, email="New@Example.org")

    user.refresh_from_db()
    assert user.role == role
    assert user.agency is None
    assert user.email == "New@example.org"
    assert not user.has_usable_password()
    assert user.is_staff == user.is_superuser == (role == Role.ADMINISTRATOR)


@pytest.mark.django_db
def test_it_creates_a_focal_point_of_an_agency_given_by_code():
    agency = AgencyFactory(code="moj", name_en="Ministry of Justice")

    user = user_create(username="fp", role=Role.FOCAL_POINT, agency="moj")

    assert user.agency == agency


@pytest.mark.django_db
def test_it_audits_the_creation_with_every_initial_value():
    actor = UserFactory(username="boss", role=Role.ADMINISTRATOR)
    AgencyFactory(code="moj", name_en="Ministry of Justice")

    user = user_create(username="fp", role=Role.FOCAL_POINT, agency="moj", actor=actor)

    entry = _entries_for(user).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor_name == "boss"
    assert entry.changes["agency"] == {"label": "agency", "old": None, "new": "Ministry of Justice"}
    assert entry.changes["role"]["new"] == "focal_point"
    assert entry.changes["username"]["new"] == "fp"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "agency", "field", "message"),
    [
        (Role.FOCAL_POINT, None, "agency", "must belong to an agency"),
        (Role.VIEWER, "moj", "agency", "Only focal points"),
        (Role.FOCAL_POINT, "nope", "agency", "no agency with the code"),
        ("boss", None, "role", "Unknown role"),
    ],
)
def test_it_refuses_an_inconsistent_role_and_agency(role, agency, field, message):
    AgencyFactory(code="moj")

    with pytest.raises(ValidationError) as caught:
        user_create(username="x", role=role, agency=agency)

    assert message in " ".join(caught.value.message_dict[field])
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_it_refuses_an_inactive_agency_for_a_new_focal_point():
    AgencyFactory(code="old", is_active=False)

    with pytest.raises(ValidationError) as caught:
        user_create(username="x", role=Role.FOCAL_POINT, agency="old")

    assert "agency" in caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["taken", "TAKEN", " taken "])
def test_it_refuses_an_existing_user_name_whatever_its_case(username):
    UserFactory(username="taken")

    with pytest.raises(ValidationError) as caught:
        user_create(username=username, role=Role.VIEWER)

    assert "already exists" in caught.value.message_dict["username"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["", "has space", "x" * 151])
def test_it_refuses_a_malformed_user_name(username):
    with pytest.raises(ValidationError) as caught:
        user_create(username=username, role=Role.VIEWER)

    assert "username" in caught.value.message_dict


@pytest.mark.django_db
def test_it_validates_a_given_password_and_stores_only_its_hash():
    with pytest.raises(ValidationError) as caught:
        user_create(username="weak", role=Role.VIEWER, password="123")
    assert "password" in caught.value.message_dict
    assert not User.objects.filter(username="weak").exists()

    user = user_create(username="strong", role=Role.VIEWER, password=STRONG_PASSWORD)

    assert user.check_password(STRONG_PASSWORD)
    assert STRONG_PASSWORD not in user.password


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_it_lets_only_administrators_create_users(role):
    actor = UserFactory(role=role)

    with pytest.raises(PermissionDenied):
        user_create(username="x", role=Role.VIEWER, actor=actor)
    with pytest.raises(PermissionDenied):
        user_create(username="y", role=Role.VIEWER, actor=AnonymousUser())


@pytest.mark.django_db
def test_it_updates_a_user_and_audits_the_diff():
    admin = UserFactory(username="boss", role=Role.ADMINISTRATOR)
    user = UserFactory(role=Role.VIEWER, email="v@example.org")
    agency = AgencyFactory(code="moj", name_en="Ministry of Justice")

    user_update(
        actor=admin,
        user=user,
        data={"role": Role.FOCAL_POINT, "agency": agency, "email": "v@example.org"},
    )

    user.refresh_from_db()
    assert (user.role, user.agency) == (Role.FOCAL_POINT, agency)
    entry = _entries_for(user).get(action=AuditEntry.Action.UPDATE)
    assert entry.actor_name == "boss"
    assert entry.changes == {
        "role": {"label": "role", "old": "viewer", "new": "focal_point"},
        "agency": {"label": "agency", "old": None, "new": "Ministry of Justice"},
    }


@pytest.mark.django_db
def test_it_records_nothing_when_an_update_changes_nothing():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory(email="same@example.org")

    user_update(actor=admin, user=user, data={"email": "same@example.org"})

    assert not _entries_for(user).exists()


@pytest.mark.django_db
def test_it_grants_and_removes_the_admin_site_with_the_administrator_role():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory(role=Role.VIEWER)

    user_update(actor=admin, user=user, data={"role": Role.ADMINISTRATOR})
    assert user.is_staff and user.is_superuser
    user_update(actor=admin, user=user, data={"role": Role.COORDINATOR})
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_it_lets_only_administrators_update_users(role):
    actor = UserFactory(role=role)
    user = UserFactory()

    with pytest.raises(PermissionDenied):
        user_update(actor=actor, user=user, data={"email": "x@example.org"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": Role.VIEWER}, "role"),
        ({"is_active": False}, "is_active"),
        ({"password": "x"}, "password"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_it_refuses_updates_that_lock_out_the_administrator_or_are_invalid(data, field):
    admin = UserFactory(role=Role.ADMINISTRATOR)

    with pytest.raises(ValidationError) as caught:
        user_update(actor=admin, user=admin, data=data)

    assert field in caught.value.message_dict
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR and admin.is_active


@pytest.mark.django_db
def test_it_keeps_an_inactive_agency_when_editing_its_existing_focal_point():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    old_agency = AgencyFactory(is_active=False)
    focal_point = UserFactory(role=Role.FOCAL_POINT, agency=old_agency)

    user_update(actor=admin, user=focal_point, data={"agency": old_agency, "first_name": "Ana"})

    focal_point.refresh_from_db()
    assert focal_point.first_name == "Ana"


@pytest.mark.django_db
def test_it_sets_a_password_for_oneself_or_as_administrator_without_auditing_the_value():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory()

    user_set_password(actor=user, user=user, password=STRONG_PASSWORD)
    user_set_password(actor=admin, user=user, password=STRONG_PASSWORD + "!")

    user.refresh_from_db()
    assert user.check_password(STRONG_PASSWORD + "!")
    entries = _entries_for(user).filter(note="password changed")
    assert entries.count() == 2
    assert all(STRONG_PASSWORD not in str(entry.changes) for entry in entries)
    with pytest.raises(PermissionDenied):
        user_set_password(actor=UserFactory(), user=user, password=STRONG_PASSWORD)
    with pytest.raises(ValidationError):
        user_set_password(actor=user, user=user, password="short")


@pytest.mark.django_db
def test_it_creates_an_api_token_storing_only_its_digest():
    user = UserFactory()

    token, raw = api_token_create(user=user, name="script", actor=user)

    assert len(raw) >= 40
    stored = ApiToken.objects.get()
    assert stored.digest == ApiToken.digest_of(raw) != raw
    assert stored.prefix == raw[:8]
    assert raw not in str(ApiToken.objects.values().get())
    entry = _entries_for(token).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["name"]["new"] == "script"
    assert raw not in str(entry.changes)


@pytest.mark.django_db
def test_it_lets_only_the_owner_an_administrator_or_the_system_create_tokens():
    owner, other = UserFactory(), UserFactory(role=Role.COORDINATOR)

    api_token_create(user=owner)
    api_token_create(user=owner, actor=UserFactory(role=Role.ADMINISTRATOR))
    with pytest.raises(PermissionDenied):
        api_token_create(user=owner, actor=other)
    with pytest.raises(PermissionDenied):
        api_token_create(user=owner, actor=AnonymousUser())
    assert ApiToken.objects.filter(user=owner).count() == 2


@pytest.mark.django_db
def test_it_refuses_tokens_for_deactivated_accounts_and_beyond_the_limit():
    with pytest.raises(ValidationError):
        api_token_create(user=UserFactory(is_active=False))
    user = UserFactory()
    for _ in range(MAX_API_TOKENS_PER_USER):
        api_token_create(user=user)

    with pytest.raises(ValidationError) as caught:
        api_token_create(user=user)

    assert "revoke one first" in caught.value.message_dict["name"][0]


@pytest.mark.django_db
def test_it_revokes_a_token_and_audits_it():
    owner = UserFactory()
    token, _raw = api_token_create(user=owner, name="laptop")
    token_pk = token.pk

    api_token_revoke(actor=owner, token=token)

    assert not ApiToken.objects.filter(pk=token_pk).exists()
    entry = AuditEntry.objects.get(object_id=str(token_pk), action=AuditEntry.Action.DELETE)
    assert entry.actor == owner
    assert entry.changes["name"] == {"label": "name", "old": "laptop", "new": None}


@pytest.mark.django_db
def test_it_lets_only_the_owner_or_an_administrator_revoke_a_token():
    owner = UserFactory()
    token, _raw = api_token_create(user=owner)

    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=UserFactory(role=Role.COORDINATOR), token=token)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=None, token=token)
    api_token_revoke(actor=UserFactory(role=Role.ADMINISTRATOR), token=token)

    assert not ApiToken.objects.exists()
