"""Optimistic concurrency for measures: an edit made from an outdated version is refused, and the
person is told what others changed since the version they loaded (read from the audit history).
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from rightstrack.audit.display import change_rows
from rightstrack.audit.models import AuditEntry
from rightstrack.core.web import StaleEdit

from .models import Measure

# Recent history searched for the changes made since a version; older edits are not shown.
HISTORY_WINDOW = 100


@dataclass(frozen=True)
class ConcurrentChange:
    actor_name: str
    at: object
    rows: list

    def as_dict(self):
        return {
            "by": self.actor_name,
            "at": self.at.isoformat(),
            "fields": [
                {"name": row.name, "label": row.label, "old": row.old, "new": row.new}
                for row in self.rows
            ],
        }


class EditConflict(StaleEdit):
    """Raised when the version an edit was made from is no longer the measure's version."""

    def __init__(self, *, measure, loaded_version):
        self.measure = measure
        self.loaded_version = loaded_version
        self.current_version = measure.version
        self.changes = changes_since(measure, loaded_version)
        super().__init__(
            _(
                "Someone else saved this measure while you were editing it (your version %(old)s, "
                "now %(new)s). Your changes were not saved: review theirs and edit again."
            )
            % {"old": loaded_version, "new": measure.version}
        )

    def as_dict(self):
        return {
            "detail": str(self),
            "current_version": self.current_version,
            "changes": [change.as_dict() for change in self.changes],
        }


def _version_reached(entry):
    try:
        return int(entry.changes.get("version", {}).get("new"))
    except (TypeError, ValueError):
        return None


def changes_since(measure, loaded_version):
    """The audited changes that took the measure past ``loaded_version``, oldest first."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Measure),
        object_id=str(measure.pk),
    ).order_by("-at", "-pk")[:HISTORY_WINDOW]
    changes = []
    for entry in entries:
        reached = _version_reached(entry)
        if reached is None or reached <= loaded_version:
            continue
        shown = {name: change for name, change in entry.changes.items() if name != "version"}
        changes.append(
            ConcurrentChange(
                actor_name=entry.actor_name or _("system"),
                at=entry.at,
                rows=change_rows(Measure, shown),
            )
        )
    changes.reverse()
    return changes
