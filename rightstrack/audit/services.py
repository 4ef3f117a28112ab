"""Audit entries are written explicitly by the services that change things, never by signals.

A service takes a ``snapshot`` of the fields it may change before and after the change, turns the
two into ``changes`` with ``diff`` and stores them with ``audit_record``::

    before = snapshot(presence, FIELDS)
    ...change and save presence, set its many-to-many fields...
    after = snapshot(presence, FIELDS)
    audit_record(actor=actor, obj=presence, action=AuditEntry.Action.UPDATE,
                 changes=diff(Presence, before, after))

Values are stored as text (related objects by their ``str``) so the history still reads
correctly after a related object is renamed or deleted.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .models import AuditEntry


def _display(value):
    if value is None:
        return None
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(str(item) for item in value)
    if isinstance(value, bool):
        return value
    return str(value)


def snapshot(obj, fields):
    """The audit-relevant state of obj: {field name: value as text}, many-to-many included.

    Many-to-many fields become sorted lists of the related objects' ``str``; an unsaved object
    has none yet. Booleans stay booleans so the history can show them as yes/no.
    """
    state = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            state[name] = _display(list(getattr(obj, name).all())) if obj.pk else []
        elif field.is_relation and getattr(obj, field.attname) is None:
            # Skips a pointless query for an empty foreign key.
            state[name] = None
        else:
            state[name] = _display(getattr(obj, name))
    return state


def _is_empty(value):
    return value is None or value == "" or value == []


def diff(model, before, after):
    """Changes between two snapshots, each field with its verbose name, old and new values.

    A field present in only one snapshot counts as None in the other, so a creation can be
    recorded as ``diff(Model, {}, snapshot(obj, FIELDS))``. None, "" and [] all mean "empty"
    and never count as a change from one to another.
    """
    changes = {}
    for name in [*after, *(name for name in before if name not in after)]:
        old, new = before.get(name), after.get(name)
        if old != new and not (_is_empty(old) and _is_empty(new)):
            label = str(model._meta.get_field(name).verbose_name)
            changes[name] = {"label": label, "old": old, "new": new}
    return changes


def _json_safe(changes):
    # Callers sometimes pass dates or decimals straight from cleaned data.
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))


def audit_record(*, actor, obj, action, changes=None, note=""):
    """Store one audit entry for obj. ``actor`` None (or anonymous) is recorded as the system."""
    if action not in AuditEntry.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if obj.pk is None:
        raise ValueError("audit_record needs a saved object")
    signed_in = actor is not None and actor.is_authenticated
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        action=action,
        actor=actor if signed_in else None,
        actor_name=actor.get_username() if signed_in else "",
        changes=_json_safe(changes),
        note=(note or "")[:300],
    )
