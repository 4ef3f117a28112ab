"""The JSON API at /api/v1/: each app contributes a router from its api.py."""

from ninja import NinjaAPI

from rightstrack import __version__

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
)

api.add_router("/presences", "rightstrack.presences.api.router")
api.add_router("/vocabularies", "rightstrack.taxonomy.api.router")
api.add_router("/recommendations", "rightstrack.recommendations.api.router")
