from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list_view, name="list"),
    path("export.<str:format>", views.activity_export_view, name="export"),
    path("new/", views.activity_create_view, name="create"),
    path("<int:pk>/", views.activity_detail_view, name="detail"),
    path("<int:pk>/edit/", views.activity_edit_view, name="edit"),
    path("<int:pk>/publish/", views.activity_publish_view, name="publish"),
    path("<int:pk>/delete/", views.activity_delete_view, name="delete"),
    path("organizations/", views.organization_list_view, name="organizations"),
    path("organizations/new/", views.organization_create_view, name="organization-create"),
    path("organizations/<int:pk>/", views.organization_detail_view, name="organization"),
    path("organizations/<int:pk>/edit/", views.organization_edit_view, name="organization-edit"),
]
