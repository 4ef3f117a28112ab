"""The audit trail over the API: internal readers only (401 without a user, 403 for others)."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from rightstrack.core.api.endpoints import Router
from rightstrack.core.api.pagination import paginated
from rightstrack.core.api_auth import internal_auth

from .selectors import entry_list, may_read_audit_trail

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: str = Field(..., alias="actor_name", description="User name; empty for the system.")
    action: str
    object_type: str = Field(..., description='The changed object\'s model, "app_label.model".')
    object_id: str
    object_repr: str
    changes: dict[str, Any] = Field(
        ..., description='{"field": {"label": …, "old": …, "new": …}} for each changed field.'
    )
    note: str


@router.get("/", response=list[AuditEntryOut], auth=internal_auth)
@paginated
def list_entries(
    request,
    actor: str = "",
    action: str = "",
    model: str = "",
    object_id: str = "",
    sort: str = "newest",
):
    """Audit entries

    Every recorded change, newest first (``sort=oldest`` reverses). Filters: ``actor`` (user
    name), ``action``, ``model`` ("app_label.model"), ``object_id``.
    """
    may_read_audit_trail(request.user)
    filters = {
        "actor": actor,
        "action": action,
        "model": model,
        "object_id": object_id,
        "sort": sort,
    }
    return entry_list(user=request.user, filters=filters)
