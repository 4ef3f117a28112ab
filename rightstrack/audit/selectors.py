from django.contrib.contenttypes.models import ContentType

from rightstrack.accounts.roles import can_read_internal

from .models import AuditEntry


def history_for(*, user, obj, limit=200):
    """The change history of one object, newest first; internal readers only."""
    if not can_read_internal(user):
        return AuditEntry.objects.none()
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=str(obj.pk),
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def entry_list(*, user, filters=None):
    if not can_read_internal(user):
        return AuditEntry.objects.none()
    filters = filters or {}
    entries = AuditEntry.objects.select_related("content_type").order_by("-at", "-id")
    if filters.get("actor"):
        entries = entries.filter(actor_name=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("model"):
        entries = entries.filter(content_type__model=filters["model"])
    return entries
