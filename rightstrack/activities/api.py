"""/api/v1/activities and /api/v1/organizations: the presences' work as JSON, and writes for
managers."""

from ninja import Router

from rightstrack.core.api.endpoints import list_endpoint
from rightstrack.core.api.writes import PublishableWrites
from rightstrack.core.api_auth import read_auth, write_auth

from . import services
from .schemas import (
    ActivityCreateIn,
    ActivityFiltersIn,
    ActivityOut,
    ActivityUpdateIn,
    OrganizationDetailOut,
    OrganizationFiltersIn,
    OrganizationIn,
    OrganizationOut,
    OrganizationUpdateIn,
)
from .selectors import (
    activity_get,
    activity_list,
    organization_activities,
    organization_get,
    organization_list,
)

router = Router(tags=["activities"])
organizations_router = Router(tags=["organizations"])
ACTIVITY_WRITES = PublishableWrites.of(services, "activity")


list_endpoint(
    router,
    name="list_activities",
    response=ActivityOut,
    filters=ActivityFiltersIn,
    select=activity_list,
    auth=read_auth,
    summary="List activities of field presences",
    description="The same filters and sort orders as the activity list page and its exports. "
    "Anonymous callers see published activities of published presences only. Unknown numbers "
    "are null, never 0.",
)


@router.get("/{int:activity_id}", response=ActivityOut, auth=read_auth, summary="One activity")
def get_activity(request, activity_id: int):
    return activity_get(user=request.user, pk=activity_id)


@router.post(
    "/",
    response={201: ActivityOut},
    auth=write_auth,
    summary="Record an activity (administrators and coordinators)",
)
def create_activity(request, payload: ActivityCreateIn):
    activity = ACTIVITY_WRITES.create(request.user, payload)
    return 201, activity_get(user=request.user, pk=activity.pk)


@router.patch(
    "/{int:activity_id}",
    response=ActivityOut,
    auth=write_auth,
    summary="Change some fields of an activity (administrators and coordinators)",
    description="Only the fields sent are changed; null makes a number unknown. `is_published` "
    "publishes or unpublishes.",
)
def update_activity(request, activity_id: int, payload: ActivityUpdateIn):
    services.require_manager(request.user)
    activity = activity_get(user=request.user, pk=activity_id)
    activity = ACTIVITY_WRITES.update(request.user, activity, payload)
    return activity_get(user=request.user, pk=activity.pk)


list_endpoint(
    organizations_router,
    name="list_organizations",
    response=OrganizationOut,
    filters=OrganizationFiltersIn,
    select=organization_list,
    auth=read_auth,
    summary="List partner and donor organizations",
    description="Anonymous callers see only organizations that took part in a published "
    "activity; the counts are of activities the caller may see.",
)


def _organization_detail(user, organization):
    as_partner, as_donor = organization_activities(user=user, organization=organization)
    return {
        "id": organization.pk,
        "name": organization.name,
        "kind": organization.kind,
        "kind_label": str(organization.get_kind_display()),
        "country": organization.country,
        "website": organization.website or None,
        "activities_as_partner": as_partner,
        "activities_as_donor": as_donor,
    }


@organizations_router.get(
    "/{int:organization_id}",
    response=OrganizationDetailOut,
    auth=read_auth,
    summary="One organization and the activities it took part in",
)
def get_organization(request, organization_id: int):
    organization = organization_get(user=request.user, pk=organization_id)
    return _organization_detail(request.user, organization)


@organizations_router.post(
    "/",
    response={201: OrganizationDetailOut},
    auth=write_auth,
    summary="Add an organization (administrators and coordinators)",
)
def create_organization(request, payload: OrganizationIn):
    organization = services.organization_create(actor=request.user, data=payload.model_dump())
    return 201, _organization_detail(
        request.user, organization_get(user=request.user, pk=organization.pk)
    )


@organizations_router.patch(
    "/{int:organization_id}",
    response=OrganizationDetailOut,
    auth=write_auth,
    summary="Change an organization (administrators and coordinators)",
)
def update_organization(request, organization_id: int, payload: OrganizationUpdateIn):
    services.require_manager(request.user)
    organization = organization_get(user=request.user, pk=organization_id)
    organization = services.organization_update(
        actor=request.user, organization=organization, data=payload.model_dump(exclude_unset=True)
    )
    return _organization_detail(
        request.user, organization_get(user=request.user, pk=organization.pk)
    )
