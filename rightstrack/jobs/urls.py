from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list_view, name="list"),
    path("<int:pk>/cancel/", views.job_cancel_view, name="cancel"),
    path("<int:pk>/retry/", views.job_retry_view, name="retry"),
]
