"""Audit entries are written explicitly by the services that change things, never by signals.

A service wraps a change in ``audited``: it takes a ``snapshot`` of the fields it may change
before and after the block, turns the two into ``changes`` with ``diff`` and stores them with
``audit_record``, all in one transaction::

    with audited(actor, presence, FIELDS, action=AuditEntry.Action.UPDATE):
        ...change and save presence, set its many-to-many fields...

Values are stored as text (related objects by their ``str``) so the history still reads
correctly after a related object is renamed or deleted.
"""

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar, cast

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from rightstrack.core.types import AnyUser, User
from rightstrack.core.validation import Errors

from .models import AuditEntry

# {field name: value as text, a list of texts, a boolean or None}
Snapshot = dict[str, Any]
# {field name: {"label": ..., "old": ..., "new": ...}}
Changes = dict[str, dict[str, Any]]
#: Who made a change; None is the system (the command line, the demo loader).
Actor = AnyUser | None

# Actions that record an object from nothing: every audited field is new.
_FROM_NOTHING = (AuditEntry.Action.CREATE, AuditEntry.Action.IMPORT)


def _display(value: object) -> Any:
    if value is None:
        return None
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(str(item) for item in value)
    if isinstance(value, bool):
        return value
    return str(value)


def _field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    # Audited fields are the model's own (forward) fields, never reverse relations.
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def snapshot(obj: models.Model, fields: Iterable[str]) -> Snapshot:
    """The audit-relevant state of obj: {field name: value as text}, many-to-many included.

    Many-to-many fields become sorted lists of the related objects' ``str``; an unsaved object
    has none yet. Booleans stay booleans so the history can show them as yes/no.
    """
    state: Snapshot = {}
    for name in fields:
        field = _field(type(obj), name)
        if field.many_to_many:
            state[name] = _display(list(getattr(obj, name).all())) if obj.pk else []
        elif field.is_relation and getattr(obj, field.attname) is None:
            # Skips a pointless query for an empty foreign key.
            state[name] = None
        else:
            state[name] = _display(getattr(obj, name))
    return state


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == []


def diff(model: type[models.Model], before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """Changes between two snapshots, each field with its verbose name, old and new values.

    A field present in only one snapshot counts as None in the other, so a creation can be
    recorded as ``diff(Model, {}, snapshot(obj, FIELDS))``. None, "" and [] all mean "empty"
    and never count as a change from one to another.
    """
    changes: Changes = {}
    for name in [*after, *(name for name in before if name not in after)]:
        old, new = before.get(name), after.get(name)
        if old != new and not (_is_empty(old) and _is_empty(new)):
            label = str(_field(model, name).verbose_name)
            changes[name] = {"label": label, "old": old, "new": new}
    return changes


def _json_safe(changes: Mapping[str, Any] | None) -> dict[str, Any]:
    # Callers sometimes pass dates or decimals straight from cleaned data.
    result: dict[str, Any] = json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))
    return result


def _store(
    *,
    actor: Actor,
    obj: models.Model,
    object_id: object,
    action: str,
    changes: Mapping[str, Any] | None,
    note: str,
) -> AuditEntry:
    if action not in AuditEntry.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if object_id is None:
        raise ValueError("audit_record needs a saved object")
    signed_in_user = actor if isinstance(actor, User) and actor.is_authenticated else None
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(object_id),
        object_repr=str(obj)[:300],
        action=action,
        actor=signed_in_user,
        actor_name=signed_in_user.get_username() if signed_in_user is not None else "",
        changes=_json_safe(changes),
        note=(note or "")[:300],
    )


def audit_record(
    *,
    actor: Actor,
    obj: models.Model,
    action: str,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Store one audit entry for obj. ``actor`` None (or anonymous) is recorded as the system."""
    return _store(actor=actor, obj=obj, object_id=obj.pk, action=action, changes=changes, note=note)


class AuditedChange:
    """The change an ``audited`` block is making: the block may look at its changes before it
    saves anything, and add changes that no audited field shows."""

    def __init__(
        self,
        *,
        obj: models.Model,
        fields: Collection[str],
        before: Snapshot,
        relabel: Callable[[Changes], Changes] | None,
        note: str,
    ) -> None:
        self.obj = obj
        #: The entry's note; the block may set it once it knows what happened.
        self.note = note
        self.fields = fields
        self.before = before
        self._relabel = relabel
        self._added_first: Changes = {}
        self._added: Changes = {}
        #: The stored entry, once the block has ended (None when nothing was written).
        self.entry: AuditEntry | None = None

    def add(self, changes: Mapping[str, dict[str, Any]], *, first: bool = False) -> None:
        """Record changes no audited field shows (e.g. indicator values), after the field
        changes or, with ``first``, before them."""
        (self._added_first if first else self._added).update(changes)

    def pending(self, many: Mapping[str, Iterable[object]] | None = None) -> Changes:
        """The changes so far, as if obj were saved now with the many-to-many values ``many``
        ({field name: related objects}) in place of the stored ones. A block that writes
        nothing when nothing changed asks this before saving."""
        after = snapshot(self.obj, self.fields)
        for name, related in (many or {}).items():
            after[name] = sorted(str(item) for item in related)
        return self._compose(diff(type(self.obj), self.before, after))

    def _compose(self, field_changes: Changes) -> Changes:
        if self._relabel is not None:
            field_changes = self._relabel(field_changes)
        return {**self._added_first, **field_changes, **self._added}


@contextmanager
def audited(
    actor: Actor,
    obj: models.Model,
    fields: Collection[str],
    *,
    action: str = AuditEntry.Action.UPDATE,
    note: str = "",
    skip_unchanged: bool = False,
    entry_for: models.Model | None = None,
    relabel: Callable[[Changes], Changes] | None = None,
) -> Iterator[AuditedChange]:
    """Run the block in a transaction and record what it changed on ``fields`` of ``obj`` as
    one audit entry (``action``, by ``actor``, None being the system); an exception in the
    block rolls everything back and records nothing.

    A creation (action CREATE or IMPORT, or an object still unsaved when the block starts) is
    recorded from nothing; the block saves the object. A deletion (action DELETE, or an object
    the block deletes) is recorded as every field emptied, under the id the object had.
    ``skip_unchanged`` writes no entry when nothing changed (otherwise one is written, e.g.
    with just a note). ``entry_for`` files the entry under another object (a feature story's
    changes are in its presence's history); ``relabel`` reshapes the field changes first.
    """
    with transaction.atomic():
        object_id = obj.pk
        from_nothing = object_id is None or action in _FROM_NOTHING
        change = AuditedChange(
            obj=obj,
            fields=fields,
            before={} if from_nothing else snapshot(obj, fields),
            relabel=relabel,
            note=note,
        )
        yield change
        deleted = action == AuditEntry.Action.DELETE or (object_id is not None and obj.pk is None)
        changes = change._compose(
            diff(type(obj), change.before, {} if deleted else snapshot(obj, fields))
        )
        if changes or not skip_unchanged:
            if entry_for is not None:
                target, target_id = entry_for, entry_for.pk
            else:
                # A deleted object no longer has its id; the entry keeps the one it had.
                target, target_id = obj, object_id if deleted else obj.pk
            change.entry = _store(
                actor=actor,
                obj=target,
                object_id=target_id,
                action=action,
                changes=changes,
                note=change.note,
            )


Saved = TypeVar("Saved", bound=models.Model)
Data = TypeVar("Data")


def locked(obj: Saved) -> Saved:
    """A fresh copy of the saved ``obj`` under a row lock, for the caller's transaction: the
    caller's instance may hold unsaved edits, and two people must not change the row at once."""
    return cast(Saved, type(obj)._default_manager.select_for_update().get(pk=obj.pk))


def audited_set_published(actor: Actor, obj: Saved, published: bool) -> Saved:
    """Publish obj or withdraw it (its ``is_published``), recorded as publishing or
    unpublishing it; nothing is written when it already is. obj has an ``updated_at`` too.
    Returns obj as it now is: read again under a row lock (``locked``), in the caller's
    transaction."""
    obj = locked(obj)
    published = bool(published)
    if getattr(obj, "is_published") == published:  # noqa: B009 - any publishable model
        return obj
    action = AuditEntry.Action.PUBLISH if published else AuditEntry.Action.UNPUBLISH
    with audited(actor, obj, ["is_published"], action=action):
        setattr(obj, "is_published", published)  # noqa: B010 - any publishable model
        obj.save(update_fields=["is_published", "updated_at"])
    return obj


def audited_save(
    actor: Actor,
    obj: models.Model,
    fields: Collection[str],
    *,
    apply: Callable[[Errors], Mapping[str, Iterable[models.Model]]],
    validate: Callable[[Errors], None],
) -> None:
    """Put a change onto obj and save it with its many-to-many values, as one audit entry.

    ``apply`` writes the input onto obj, adds what it refuses to the errors and returns the
    many-to-many values to set ({field name: related objects}); ``validate`` adds obj's own
    checks. Any error raises ValidationError and nothing is written. An unsaved obj is
    recorded as created; a saved one as updated, and nothing is written when nothing changed.
    """
    creating = obj.pk is None
    action = AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE
    with audited(actor, obj, fields, action=action, skip_unchanged=not creating) as change:
        errors = Errors()
        many = apply(errors)
        validate(errors)
        errors.raise_if_any()
        if not creating and not change.pending(many):
            return
        obj.save()
        for name, related in many.items():
            getattr(obj, name).set(related)


@dataclass(frozen=True)
class AuditedRecords(Generic[Saved, Data]):
    """The create, update and publish services of a kind of record kept from input (activities,
    presences, organizations), declared once: the model (its ``created_by``, if it has one, is
    who creates a record), who may write (``require``, called with the actor before anything
    else), the fields the audit records, and ``audited_save``'s two steps, here taking the
    record and, for ``apply``, the input. Each call is one transaction."""

    model: type[Saved]
    require: Callable[[Any], None]
    fields: Collection[str]
    apply: Callable[[Saved, Data, Errors], Mapping[str, Iterable[models.Model]]]
    validate: Callable[[Saved, Errors], None]

    @transaction.atomic
    def create(self, actor: Any, data: Data) -> Saved:
        """A new record made from ``data``, recorded as created."""
        self.require(actor)
        has_creator = any(field.name == "created_by" for field in self.model._meta.fields)
        record = self.model(created_by=actor) if has_creator else self.model()
        self._save(actor, record, data)
        return record

    @transaction.atomic
    def update(self, actor: Any, record: Saved, data: Data) -> Saved:
        """Change the fields given in data, on a fresh copy of the record under a row lock;
        nothing is written when nothing changes. Returns the record as it now is."""
        self.require(actor)
        record = locked(record)
        self._save(actor, record, data)
        return record

    @transaction.atomic
    def set_published(self, actor: Any, record: Saved, published: bool) -> Saved:
        self.require(actor)
        return audited_set_published(actor, record, published)

    def _save(self, actor: Any, record: Saved, data: Data) -> None:
        apply = partial(self.apply, record, data)
        validate = partial(self.validate, record)
        audited_save(actor, record, self.fields, apply=apply, validate=validate)


def audited_assign(
    actor: Actor, obj: models.Model, fields: Collection[str], values: Mapping[str, object]
) -> None:
    """Set ``values`` ({field name: value}, already validated) on obj and save it, as one audit
    entry: a creation when obj is unsaved, else an update recorded only if something changed."""
    creating = obj.pk is None
    action = AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE
    with audited(actor, obj, fields, action=action, skip_unchanged=not creating):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
