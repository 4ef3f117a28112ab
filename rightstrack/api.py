"""The JSON API at /api/v1/: each app contributes a router from its api.py."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI, Swagger

from rightstrack import __version__


class SwaggerDocs(Swagger):
    """The Swagger UI (a React bundle served from our static files) may set style attributes in
    the markup it renders: its page alone allows inline styles; its scripts stay limited to this
    site like every other page's. It loads nothing from elsewhere (no validator.swagger.io
    badge)."""

    def __init__(self):
        super().__init__(settings={"validatorUrl": None})

    def render_page(self, request, api, **kwargs):
        render = csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(super().render_page)
        return render(request, api, **kwargs)


api = NinjaAPI(
    title="rightstrack API",
    version=__version__,
    description=(
        "Read published data anonymously; sign in or send `Authorization: Bearer <token>` "
        "(created with `rightstrack user create NAME --role ROLE --token`) to read internal "
        "data and to write."
    ),
    urls_namespace="api",
    docs_url="/docs",
    docs=SwaggerDocs(),
)

api.add_router("/presences", "rightstrack.presences.api.router")
api.add_router("/vocabularies", "rightstrack.taxonomy.api.router")
api.add_router("/recommendations", "rightstrack.recommendations.api.router")
api.add_router("/plans", "rightstrack.plans.api.router")
api.add_router("/measures", "rightstrack.plans.api.measures_router")
api.add_router("/progress-reports", "rightstrack.progress.api.router")
api.add_router("/mechanism-assessments", "rightstrack.progress.api.mechanism_assessments_router")
api.add_router("/audit", "rightstrack.audit.api.router")
api.add_router("/jobs", "rightstrack.jobs.api.router")
api.add_router("/activities", "rightstrack.activities.api.router")
api.add_router("/organizations", "rightstrack.activities.api.organizations_router")
api.add_router("/intelligence", "rightstrack.intelligence.api.router")
api.add_router("/reports", "rightstrack.reports.api.router")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "You may not do this."}, status=403)


@api.exception_handler(ValidationError)
def validation_failed(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)
