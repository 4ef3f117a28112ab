"""/api/v1/presences: the directory and profiles as JSON, and writes for managers."""

from ninja import Router

from rightstrack.core.api.endpoints import list_endpoint
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


list_endpoint(
    router,
    name="list_presences",
    response=PresenceSummaryOut,
    filters=PresenceFiltersIn,
    select=presence_list,
    auth=read_auth,
    summary="List field presences",
    description="The same filters and sort orders as the directory page. Anonymous callers see "
    "published presences only.",
)


@router.get(
    "/{slug}",
    response=PresenceOut,
    auth=read_auth,
    summary="One field presence, the whole profile",
    description="Blank facts (field offices, number of staff, …) are null: not reported.",
)
def get_presence(request, slug: str):
    return presence_get(user=request.user, slug=slug)


@router.post(
    "/",
    response={201: PresenceOut},
    auth=write_auth,
    summary="Create a field presence (administrators and coordinators)",
)
def create_presence(request, payload: PresenceCreateIn):
    services.require_manager(request.user)
    presence = PRESENCE_WRITES.create(request.user, payload)
    return 201, presence_get(user=request.user, slug=presence.slug)


@router.patch(
    "/{slug}",
    response=PresenceOut,
    auth=write_auth,
    summary="Change some fields of a field presence (administrators and coordinators)",
    description="Only the fields sent are changed. `is_published` publishes or unpublishes.",
)
def update_presence(request, slug: str, payload: PresenceUpdateIn):
    services.require_manager(request.user)
    presence = presence_get(user=request.user, slug=slug)
    presence = PRESENCE_WRITES.update(request.user, presence, payload)
    return presence_get(user=request.user, slug=presence.slug)
