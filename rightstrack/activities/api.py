"""/api/v1/activities and /api/v1/organizations: the presences' work as JSON, and writes for
managers."""

from rightstrack.core.api.endpoints import Router, list_endpoint
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


@list_endpoint(router, ActivityOut, ActivityFiltersIn)
def list_activities(user, filters):
    """List activities of field presences

    The same filters and sort orders as the activity list page and its exports. Anonymous
    callers see published activities of published presences only. Unknown numbers are null,
    never 0.
    """
    return activity_list(user=user, filters=filters)


@router.get("/{int:activity_id}", response=ActivityOut, auth=read_auth)
def get_activity(request, activity_id: int):
    """One activity"""
    return activity_get(user=request.user, pk=activity_id)


@router.post("/", response={201: ActivityOut}, auth=write_auth)
def create_activity(request, payload: ActivityCreateIn):
    """Record an activity (administrators and coordinators)"""
    activity = ACTIVITY_WRITES.create(request.user, payload)
    return 201, activity_get(user=request.user, pk=activity.pk)


@router.patch("/{int:activity_id}", response=ActivityOut, auth=write_auth)
def update_activity(request, activity_id: int, payload: ActivityUpdateIn):
    """Change some fields of an activity (administrators and coordinators)

    Only the fields sent are changed; null makes a number unknown. `is_published` publishes or
    unpublishes.
    """
    services.require_manager(request.user)
    activity = activity_get(user=request.user, pk=activity_id)
    activity = ACTIVITY_WRITES.update(request.user, activity, payload)
    return activity_get(user=request.user, pk=activity.pk)


@list_endpoint(organizations_router, OrganizationOut, OrganizationFiltersIn)
def list_organizations(user, filters):
    """List partner and donor organizations

    Anonymous callers see only organizations that took part in a published activity; the
    counts are of activities the caller may see.
    """
    return organization_list(user=user, filters=filters)


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


@organizations_router.get("/{int:organization_id}", response=OrganizationDetailOut, auth=read_auth)
def get_organization(request, organization_id: int):
    """One organization and the activities it took part in"""
    organization = organization_get(user=request.user, pk=organization_id)
    return _organization_detail(request.user, organization)


@organizations_router.post("/", response={201: OrganizationDetailOut}, auth=write_auth)
def create_organization(request, payload: OrganizationIn):
    """Add an organization (administrators and coordinators)"""
    organization = services.organization_create(actor=request.user, data=payload.model_dump())
    return 201, _organization_detail(
        request.user, organization_get(user=request.user, pk=organization.pk)
    )


@organizations_router.patch(
    "/{int:organization_id}", response=OrganizationDetailOut, auth=write_auth
)
def update_organization(request, organization_id: int, payload: OrganizationUpdateIn):
    """Change an organization (administrators and coordinators)"""
    services.require_manager(request.user)
    organization = organization_get(user=request.user, pk=organization_id)
    organization = services.organization_update(
        actor=request.user, organization=organization, data=payload.model_dump(exclude_unset=True)
    )
    return _organization_detail(
        request.user, organization_get(user=request.user, pk=organization.pk)
    )
