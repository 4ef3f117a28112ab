from django.urls import path

from . import views
from .imports import views as import_views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list_view, name="list"),
    path("new/", views.plan_create_view, name="create"),
    path("mine/", views.my_measures_view, name="mine"),
    path("template.xlsx", import_views.template_view, name="template"),
    path("imports/<int:pk>/", import_views.batch_view, name="import-batch"),
    path("imports/<int:pk>/confirm/", import_views.confirm_view, name="import-confirm"),
    path("measures/<int:pk>/", views.measure_detail_view, name="measure"),
    path("measures/<int:pk>/edit/", views.measure_edit_view, name="measure-edit"),
    path("measures/<int:pk>/values/", views.indicator_values_view, name="indicator-values"),
    path("measures/<int:pk>/delete/", views.measure_delete_view, name="measure-delete"),
    path("measures/<int:pk>/recommendations/", views.measure_link_view, name="measure-link"),
    path("link/", views.link_to_measure_view, name="link-to-measure"),
    path(
        "measures/<int:pk>/recommendations/remove/",
        views.measure_unlink_view,
        name="measure-unlink",
    ),
    path("measures/<int:pk>/indicators/new/", views.indicator_create_view, name="indicator-create"),
    path("indicators/<int:pk>/edit/", views.indicator_edit_view, name="indicator-edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete_view, name="indicator-delete"),
    path("<slug:slug>/", views.plan_detail_view, name="detail"),
    path("<slug:slug>/edit/", views.plan_edit_view, name="edit"),
    path("<slug:slug>/publish/", views.plan_publish_view, name="publish"),
    path("<slug:slug>/uncovered/", views.plan_uncovered_view, name="uncovered"),
    path("<slug:slug>/measures/new/", views.measure_create_view, name="measure-create"),
    path("<slug:slug>/import/", import_views.upload_view, name="import"),
    path("<slug:slug>/measures.xlsx", import_views.export_view, name="export"),
]
