"""``audited`` on Django's own models, so the audit app's tests need no app above it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audited, audited_assign, audited_save

GROUP_FIELDS = ("name", "permissions")
PERMISSION_FIELDS = ("name", "codename", "content_type")


def entries_for(obj):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("id")
    )


def a_permission(codename):
    content_type = ContentType.objects.get_for_model(AuditEntry)
    return Permission.objects.create(name=codename, codename=codename, content_type=content_type)


@pytest.mark.django_db
def test_it_records_a_creation_of_an_object_saved_inside_the_block():
    actor = get_user_model().objects.create(username="admin")
    group = Group(name="editors")

    with audited(actor, group, GROUP_FIELDS, action=AuditEntry.Action.CREATE) as change:
        group.save()

    [entry] = entries_for(group)
    assert entry == change.entry
    assert (entry.action, entry.actor, entry.actor_name) == ("create", actor, "admin")
    assert entry.changes == {"name": {"label": "name", "old": None, "new": "editors"}}


@pytest.mark.django_db
def test_it_records_an_update_with_foreign_key_and_many_to_many_changes_and_a_note():
    group = Group.objects.create(name="readers")
    read = a_permission("read")
    group.permissions.add(read)
    permission = a_permission("write")
    old_type, write = str(permission.content_type), str(permission)

    with audited(None, group, GROUP_FIELDS, action=AuditEntry.Action.UPDATE, note="renamed"):
        group.name = "writers"
        group.save()
        group.permissions.set([permission])
    with audited(None, permission, PERMISSION_FIELDS, action=AuditEntry.Action.UPDATE):
        permission.content_type = ContentType.objects.get_for_model(Group)
        permission.save()

    [group_entry] = entries_for(group)
    assert (group_entry.note, group_entry.actor, group_entry.actor_name) == ("renamed", None, "")
    assert group_entry.changes == {
        "name": {"label": "name", "old": "readers", "new": "writers"},
        "permissions": {
            "label": "permissions",
            "old": [str(read)],
            "new": [write],
        },
    }
    [permission_entry] = entries_for(permission)
    assert permission_entry.changes == {
        "content_type": {
            "label": "content type",
            "old": old_type,
            "new": str(ContentType.objects.get_for_model(Group)),
        }
    }


@pytest.mark.django_db
def test_it_skips_an_unchanged_object_only_when_asked():
    group = Group.objects.create(name="same")

    with audited(None, group, GROUP_FIELDS, skip_unchanged=True) as change:
        group.name = "same"
        group.save()
    assert change.entry is None
    assert entries_for(group) == []

    with audited(None, group, GROUP_FIELDS, note="looked at"):
        group.save()
    [entry] = entries_for(group)
    assert (entry.action, entry.changes, entry.note) == ("update", {}, "looked at")


@pytest.mark.django_db
def test_it_previews_pending_changes_with_new_many_to_many_values_before_saving():
    group = Group.objects.create(name="a")
    permission = a_permission("read")

    with audited(None, group, GROUP_FIELDS, skip_unchanged=True) as change:
        assert change.pending() == {}
        group.name = "b"
        assert change.pending({"permissions": [permission]}) == {
            "name": {"label": "name", "old": "a", "new": "b"},
            "permissions": {
                "label": "permissions",
                "old": [],
                "new": [str(permission)],
            },
        }
        group.name = "a"
    assert entries_for(group) == []


@pytest.mark.django_db
def test_it_writes_nothing_when_the_block_raises():
    group = Group.objects.create(name="old")

    with pytest.raises(RuntimeError), audited(None, group, GROUP_FIELDS):
        group.name = "new"
        group.save()
        raise RuntimeError("interrupted")

    group.refresh_from_db()
    assert group.name == "old"
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_it_records_a_deletion_under_the_id_the_object_had():
    group = Group.objects.create(name="gone")
    group_id = group.pk

    with audited(None, group, GROUP_FIELDS, action=AuditEntry.Action.DELETE):
        group.delete()

    [entry] = AuditEntry.objects.all()
    assert (entry.action, entry.object_id, entry.object_repr) == ("delete", str(group_id), "gone")
    assert entry.changes == {"name": {"label": "name", "old": "gone", "new": None}}


@pytest.mark.django_db
def test_it_records_an_object_deleted_inside_the_block_as_emptied():
    owner = Group.objects.create(name="owner")
    member = Group.objects.create(name="member")

    with audited(None, member, ("name",), entry_for=owner):
        member.delete()

    [entry] = entries_for(owner)
    assert entry.changes == {"name": {"label": "name", "old": "member", "new": None}}


@pytest.mark.django_db
def test_it_files_changes_under_another_object_relabelled_and_with_added_changes():
    owner = Group.objects.create(name="owner")
    member = Group(name="member")

    def relabel(changes):
        return {f"member.{name}": change for name, change in changes.items()}

    with audited(None, member, ("name",), entry_for=owner, relabel=relabel) as change:
        member.save()
        change.add({"extra": {"label": "extra", "old": None, "new": "1"}})
        change.add({"first": {"label": "first", "old": None, "new": "0"}}, first=True)
        change.note = "member added"

    [entry] = entries_for(owner)
    assert entries_for(member) == []
    # The order as composed (PostgreSQL's jsonb keeps its own order once stored).
    assert list(change.entry.changes) == ["first", "member.name", "extra"]
    assert entry.changes["member.name"]["new"] == "member"
    assert entry.note == "member added"


@pytest.mark.django_db
def test_it_saves_a_new_object_with_its_many_to_many_values_as_a_creation():
    group, read = Group(), a_permission("read")

    def apply(errors):
        group.name = "readers"
        return {"permissions": [read]}

    audited_save(None, group, GROUP_FIELDS, apply=apply, validate=lambda errors: None)

    [entry] = entries_for(group)
    assert entry.action == "create"
    assert list(group.permissions.all()) == [read]
    assert entry.changes["permissions"]["new"] == [str(read)]


@pytest.mark.django_db
def test_it_saves_nothing_when_an_update_changes_nothing_or_is_refused():
    group = Group.objects.create(name="readers")
    saved_name = group.name

    def refuse(errors):
        errors.add("name", "taken")

    audited_save(None, group, GROUP_FIELDS, apply=lambda errors: {}, validate=lambda errors: None)
    with pytest.raises(ValidationError):
        audited_save(None, group, GROUP_FIELDS, apply=lambda errors: {}, validate=refuse)

    def rename(errors):
        group.name = "writers"
        return {}

    audited_save(None, group, GROUP_FIELDS, apply=rename, validate=lambda errors: None)

    [entry] = entries_for(group)
    assert entry.action == "update"
    assert entry.changes["name"] == {"label": "name", "old": saved_name, "new": "writers"}


@pytest.mark.django_db
def test_it_assigns_values_as_a_creation_then_records_only_a_real_update():
    group = Group()

    audited_assign(None, group, GROUP_FIELDS, {"name": "readers"})
    audited_assign(None, group, GROUP_FIELDS, {"name": "readers"})
    audited_assign(None, group, GROUP_FIELDS, {"name": "writers"})

    assert Group.objects.get(pk=group.pk).name == "writers"
    assert [entry.action for entry in entries_for(group)] == ["create", "update"]
