from django.urls import path

from . import views

app_name = "presences"

urlpatterns = [
    path("", views.presence_list_view, name="list"),
    path("new/", views.presence_create_view, name="create"),
    path("<slug:slug>/", views.presence_detail_view, name="detail"),
    path("<slug:slug>/edit/", views.presence_edit_view, name="edit"),
    path("<slug:slug>/publish/", views.presence_publish_view, name="publish"),
    path("<slug:slug>/stories/new/", views.feature_story_create_view, name="story-create"),
    path(
        "<slug:slug>/stories/<int:story_id>/edit/",
        views.feature_story_edit_view,
        name="story-edit",
    ),
    path(
        "<slug:slug>/stories/<int:story_id>/delete/",
        views.feature_story_delete_view,
        name="story-delete",
    ),
]
