from django.urls import path

from . import views

app_name = "presences"

urlpatterns = [
    path("", views.index, name="list"),
]
