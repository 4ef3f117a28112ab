from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from rightstrack import views as project_views
from rightstrack.api import api

urlpatterns = [
    path("", project_views.home, name="home"),
    path("favicon.ico", project_views.FaviconView.as_view(), name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("rightstrack.accounts.urls")),
    path("audit/", include("rightstrack.audit.urls")),
    path("jobs/", include("rightstrack.jobs.urls")),
    path("notifications/", include("rightstrack.notifications.urls")),
    path("vocabularies/", include("rightstrack.taxonomy.urls")),
    path("presences/", include("rightstrack.presences.urls")),
    path("recommendations/", include("rightstrack.recommendations.urls")),
    path("plans/", include("rightstrack.plans.urls")),
    path("progress/", include("rightstrack.progress.urls")),
    path("activities/", include("rightstrack.activities.urls")),
    path("intelligence/", include("rightstrack.intelligence.urls")),
    path("reports/", include("rightstrack.reports.urls")),
    path("", include("rightstrack.reports.portal_urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# Error pages inside the layout (templates/400.html, 403.html, 404.html; 500.html through this
# view, which falls back to a plain page when the layout cannot be drawn).
handler500 = "rightstrack.views.server_error"
