import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audit_record, diff, snapshot
from rightstrack.core.roles import Role

# Users are the audited objects here (plain, foreign-key and many-to-many fields); audit sits
# below accounts, so it names the user model through Django and makes users with the shared
# user_factory and agency_factory fixtures.
User = get_user_model()

FIELDS = ("email", "role", "agency", "is_active", "groups")


@pytest.mark.django_db
def test_it_snapshots_plain_foreign_key_boolean_and_many_to_many_fields(
    user_factory, agency_factory
):
    agency = agency_factory(name_en="Ministry of Justice")
    user = user_factory(email="a@example.org", role=Role.FOCAL_POINT, agency=agency)
    user.groups.set([Group.objects.create(name="zeta"), Group.objects.create(name="alpha")])

    state = snapshot(user, FIELDS)

    assert state == {
        "email": "a@example.org",
        "role": "focal_point",
        "agency": "Ministry of Justice",
        "is_active": True,
        "groups": ["alpha", "zeta"],
    }


@pytest.mark.django_db
def test_it_snapshots_an_unsaved_object_with_empty_many_to_many():
    user = User(username="new", email="", role=Role.VIEWER)

    assert snapshot(user, ("email", "agency", "groups")) == {
        "email": "",
        "agency": None,
        "groups": [],
    }


@pytest.mark.django_db
def test_it_diffs_only_changed_fields_with_labels_old_and_new_values(user_factory):
    user = user_factory(email="old@example.org", role=Role.VIEWER)
    before = snapshot(user, FIELDS)
    user.email = "new@example.org"
    user.save()
    user.groups.add(Group.objects.create(name="editors"))
    after = snapshot(user, FIELDS)

    changes = diff(User, before, after)

    assert changes == {
        "email": {"label": "email address", "old": "old@example.org", "new": "new@example.org"},
        "groups": {"label": "groups", "old": [], "new": ["editors"]},
    }


@pytest.mark.django_db
def test_it_diffs_many_to_many_removals_and_replacements(user_factory):
    user = user_factory()
    editors, readers, writers = (Group.objects.create(name=n) for n in ("e", "r", "w"))
    user.groups.set([editors, readers])
    before = snapshot(user, ("groups",))
    user.groups.set([readers, writers])

    changes = diff(User, before, snapshot(user, ("groups",)))

    assert changes["groups"]["old"] == ["e", "r"]
    assert changes["groups"]["new"] == ["r", "w"]


def test_it_diffs_a_creation_and_a_deletion_against_an_empty_snapshot():
    created = diff(User, {}, {"email": "x@example.org", "is_active": True})
    deleted = diff(User, {"email": "x@example.org"}, {})

    assert created == {
        "email": {"label": "email address", "old": None, "new": "x@example.org"},
        "is_active": {"label": "active", "old": None, "new": True},
    }
    assert deleted == {"email": {"label": "email address", "old": "x@example.org", "new": None}}


def test_it_treats_none_empty_text_and_empty_lists_as_the_same_empty_value():
    changes = diff(
        User,
        {"email": None, "first_name": "", "groups": []},
        {"email": "", "first_name": None, "groups": None, "last_name": ""},
    )

    assert changes == {}


def test_it_finds_no_changes_between_equal_snapshots():
    state = {"email": "same@example.org", "groups": ["a", "b"]}

    assert diff(User, state, dict(state)) == {}


@pytest.mark.django_db
def test_it_records_who_changed_what_on_which_object(user_factory):
    actor = user_factory(username="editor", role=Role.ADMINISTRATOR)
    target = user_factory(username="target")
    changes = {"email": {"label": "email address", "old": "a", "new": "b"}}

    entry = audit_record(
        actor=actor, obj=target, action=AuditEntry.Action.UPDATE, changes=changes, note="why"
    )

    entry.refresh_from_db()
    assert entry.content_type == ContentType.objects.get_for_model(User)
    assert entry.object_id == str(target.pk)
    assert entry.object_repr == "target"
    assert entry.actor == actor
    assert entry.actor_name == "editor"
    assert entry.action == "update"
    assert entry.changes == changes
    assert entry.note == "why"
    assert entry.at is not None
    assert entry.target == target


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_it_records_changes_without_a_signed_in_actor_as_the_system(actor, user_factory):
    target = user_factory()

    entry = audit_record(actor=actor, obj=target, action=AuditEntry.Action.CREATE)

    assert entry.actor is None
    assert entry.actor_name == ""
    assert entry.changes == {}
    assert "system" in str(entry)


@pytest.mark.django_db
def test_it_stores_dates_and_decimals_given_directly_as_text(user_factory):
    target = user_factory()
    changes = {
        "due": {"label": "due", "old": datetime.date(2024, 1, 31), "new": None},
        "budget": {"label": "budget", "old": None, "new": Decimal("10.50")},
    }

    entry = audit_record(actor=None, obj=target, action=AuditEntry.Action.UPDATE, changes=changes)

    entry.refresh_from_db()
    assert entry.changes["due"]["old"] == "2024-01-31"
    assert entry.changes["budget"]["new"] == "10.50"


@pytest.mark.django_db
def test_it_refuses_an_unknown_action_and_an_unsaved_object(user_factory):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit_record(actor=None, obj=user_factory(), action="renamed")
    with pytest.raises(ValueError, match="saved object"):
        audit_record(actor=None, obj=User(username="unsaved"), action=AuditEntry.Action.CREATE)
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_it_truncates_long_representations_and_notes(user_factory):
    target = user_factory(username="u" * 150)

    entry = audit_record(actor=None, obj=target, action=AuditEntry.Action.UPDATE, note="n" * 400)

    assert len(entry.note) == 300
    assert entry.object_repr == "u" * 150


@pytest.mark.django_db
def test_it_shows_changes_in_the_readers_language_with_choice_labels_and_lists(user_factory):
    target = user_factory()
    entry = audit_record(
        actor=None,
        obj=target,
        action=AuditEntry.Action.UPDATE,
        changes=diff(
            User,
            {"role": "viewer", "is_active": True, "groups": []},
            {"role": "focal_point", "is_active": False, "groups": ["a", "b"]},
        ),
    )

    rows = {row.name: row for row in entry.change_rows}

    assert (rows["role"].label, rows["role"].old, rows["role"].new) == (
        "role",
        "Viewer",
        "Focal point",
    )
    assert (rows["is_active"].old, rows["is_active"].new) == ("yes", "no")
    assert (rows["groups"].old, rows["groups"].new) == (None, "a, b")
    assert entry.object_type == "accounts.user"
    assert entry.object_type_label == "user"
