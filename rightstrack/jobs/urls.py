from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list_view, name="list"),
    path("<int:pk>/cancel/", views.job_cancel_view, name="cancel"),
    path("<int:pk>/retry/", views.job_retry_view, name="retry"),
    path("<int:pk>/file/", views.job_file_view, name="file"),
    path("<int:pk>/file/status/", views.job_file_progress_view, name="file-status"),
    path("<int:pk>/file/download/", views.job_file_download_view, name="file-download"),
]
