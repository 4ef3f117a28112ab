"""Audit entries are written explicitly by the services that change things, never by signals."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _display(value):
    if value is None:
        return None
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
    return str(value)


def snapshot(obj, fields):
    """The audit-relevant state of obj: {field name: display value}, many-to-many included."""
    state = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            state[name] = _display(list(getattr(obj, name).all())) if obj.pk else []
        elif field.is_relation:
            state[name] = _display(getattr(obj, name))
        else:
            state[name] = _display(getattr(obj, name))
    return state


def diff(model, before, after):
    """Changes between two snapshots, each field with its verbose name, old and new values."""
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            label = str(model._meta.get_field(name).verbose_name)
            changes[name] = {"label": label, "old": old, "new": new}
    return changes


def audit_record(*, actor, obj, action, changes=None, note=""):
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        changes=changes or {},
        note=note[:300],
    )
