import pytest
from django.contrib.auth.models import Group

from rightstrack.accounts.models import User
from rightstrack.accounts.tests.factories import AgencyFactory, UserFactory
from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audited
from rightstrack.core.roles import Role

FIELDS = ("email", "role", "agency", "groups")


def entries_for(obj):
    return list(AuditEntry.objects.filter(object_id=str(obj.pk)).order_by("id"))


@pytest.mark.django_db
def test_it_records_a_creation_of_an_object_saved_inside_the_block():
    actor = UserFactory(role=Role.ADMINISTRATOR)
    user = User(username="new", email="new@example.org", role=Role.VIEWER)

    with audited(actor, user, FIELDS, action=AuditEntry.Action.CREATE) as change:
        user.save()

    [entry] = entries_for(user)
    assert entry == change.entry
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == actor
    assert entry.changes == {
        "email": {"label": "email address", "old": None, "new": "new@example.org"},
        "role": {"label": "role", "old": None, "new": "viewer"},
    }


@pytest.mark.django_db
def test_it_records_an_update_with_many_to_many_changes_and_a_note():
    user = UserFactory(email="old@example.org", role=Role.VIEWER)
    user.groups.add(Group.objects.create(name="readers"))
    agency = AgencyFactory(name_en="Ministry of Justice")

    with audited(None, user, FIELDS, action=AuditEntry.Action.UPDATE, note="moved"):
        user.role, user.agency = Role.FOCAL_POINT, agency
        user.save()
        user.groups.set([Group.objects.create(name="editors")])

    [entry] = entries_for(user)
    assert entry.note == "moved"
    assert entry.changes == {
        "role": {"label": "role", "old": "viewer", "new": "focal_point"},
        "agency": {"label": "agency", "old": None, "new": "Ministry of Justice"},
        "groups": {"label": "groups", "old": ["readers"], "new": ["editors"]},
    }


@pytest.mark.django_db
def test_it_skips_an_unchanged_object_only_when_asked():
    user = UserFactory(email="same@example.org")

    with audited(
        None, user, FIELDS, action=AuditEntry.Action.UPDATE, skip_unchanged=True
    ) as change:
        user.email = "same@example.org"
        user.save()
    assert change.entry is None
    assert entries_for(user) == []

    with audited(None, user, FIELDS, action=AuditEntry.Action.UPDATE, note="n"):
        user.save()
    [entry] = entries_for(user)
    assert (entry.changes, entry.note) == ({}, "n")


@pytest.mark.django_db
def test_it_previews_pending_changes_with_new_many_to_many_values_before_saving():
    user = UserFactory(email="a@example.org")
    editors = Group.objects.create(name="editors")

    with audited(None, user, FIELDS, action=AuditEntry.Action.UPDATE) as change:
        assert change.pending() == {}
        user.email = "b@example.org"
        assert change.pending({"groups": [editors]}) == {
            "email": {"label": "email address", "old": "a@example.org", "new": "b@example.org"},
            "groups": {"label": "groups", "old": [], "new": ["editors"]},
        }
        user.email = "a@example.org"


@pytest.mark.django_db
def test_it_writes_nothing_when_the_block_raises():
    user = UserFactory(email="old@example.org")

    with (
        pytest.raises(RuntimeError),
        audited(None, user, FIELDS, action=AuditEntry.Action.UPDATE),
    ):
        user.email = "new@example.org"
        user.save()
        raise RuntimeError("interrupted")

    user.refresh_from_db()
    assert user.email == "old@example.org"
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_it_records_a_deletion_under_the_id_the_object_had():
    user = UserFactory(email="gone@example.org", role=Role.VIEWER)
    user_id = user.pk

    with audited(None, user, FIELDS, action=AuditEntry.Action.DELETE):
        user.delete()

    [entry] = AuditEntry.objects.all()
    assert entry.object_id == str(user_id)
    assert entry.changes["email"] == {
        "label": "email address",
        "old": "gone@example.org",
        "new": None,
    }


@pytest.mark.django_db
def test_it_files_changes_under_another_object_relabelled_and_with_added_changes():
    owner = UserFactory()
    group = Group(name="editors")

    def relabel(changes):
        return {f"group.{name}": change for name, change in changes.items()}

    with audited(
        None,
        group,
        ("name",),
        action=AuditEntry.Action.UPDATE,
        entry_for=owner,
        relabel=relabel,
    ) as change:
        group.save()
        change.add({"extra": {"label": "extra", "old": None, "new": "1"}})
        change.add({"first": {"label": "first", "old": None, "new": "0"}}, first=True)

    [entry] = entries_for(owner)
    assert list(entry.changes) == ["first", "group.name", "extra"]
    assert entry.changes["group.name"]["new"] == "editors"
