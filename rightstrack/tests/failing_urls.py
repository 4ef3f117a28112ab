"""A URL configuration whose one page fails, to see the 500 page (test_layout.py)."""

from django.urls import include, path


def fail(request):
    raise RuntimeError("a failure for the test")


urlpatterns = [path("fail/", fail), path("", include("rightstrack.urls"))]
handler500 = "rightstrack.views.server_error"
