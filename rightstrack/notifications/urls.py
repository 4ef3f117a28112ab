from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("<int:pk>/", views.notification_open_view, name="open"),
    path("read/", views.mark_read_view, name="mark-read"),
    path("settings/", views.settings_view, name="settings"),
]
