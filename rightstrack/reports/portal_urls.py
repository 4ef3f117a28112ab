"""The public portal: a home page per State and the open-data downloads, at the site root."""

from django.urls import path

from . import portal_views

app_name = "portal"

urlpatterns = [
    path("states/", portal_views.state_list_view, name="state_list"),
    path("states/<slug:slug>/", portal_views.state_home_view, name="state_home"),
    path("open-data/", portal_views.open_data_view, name="open_data"),
    path("open-data/datapackage.json", portal_views.data_package_view, name="datapackage"),
    path("open-data/<slug:dataset>.<str:fmt>", portal_views.download_view, name="download"),
]
