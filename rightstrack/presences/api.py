"""/api/v1/presences: the directory and profiles as JSON, and writes for managers."""

from rightstrack.core.api.endpoints import Router, list_endpoint
from rightstrack.core.api.writes import PublishableWrites
from rightstrack.core.api_auth import read_auth, write_auth

from . import services
from .schemas import (
    PresenceCreateIn,
    PresenceFiltersIn,
    PresenceOut,
    PresenceSummaryOut,
    PresenceUpdateIn,
)
from .selectors import presence_get, presence_list

router = Router(tags=["presences"])
PRESENCE_WRITES = PublishableWrites.of(services, "presence")


@list_endpoint(router, PresenceSummaryOut, PresenceFiltersIn)
def list_presences(user, filters):
    """List field presences

    The same filters and sort orders as the directory page. Anonymous callers see published
    presences only.
    """
    return presence_list(user=user, filters=filters)


@router.get("/{slug}", response=PresenceOut, auth=read_auth)
def get_presence(request, slug: str):
    """One field presence, the whole profile

    Blank facts (field offices, number of staff, …) are null: not reported.
    """
    return presence_get(user=request.user, slug=slug)


@router.post("/", response={201: PresenceOut}, auth=write_auth)
def create_presence(request, payload: PresenceCreateIn):
    """Create a field presence (administrators and coordinators)"""
    services.require_manager(request.user)
    presence = PRESENCE_WRITES.create(request.user, payload)
    return 201, presence_get(user=request.user, slug=presence.slug)


@router.patch("/{slug}", response=PresenceOut, auth=write_auth)
def update_presence(request, slug: str, payload: PresenceUpdateIn):
    """Change some fields of a field presence (administrators and coordinators)

    Only the fields sent are changed. `is_published` publishes or unpublishes.
    """
    services.require_manager(request.user)
    presence = presence_get(user=request.user, slug=slug)
    presence = PRESENCE_WRITES.update(request.user, presence, payload)
    return presence_get(user=request.user, slug=presence.slug)
