from django.urls import path

from . import views
from .imports import views as imports_views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommendation_list_view, name="list"),
    path("<int:pk>/", views.recommendation_detail_view, name="detail"),
    path("<int:pk>/merge/", views.recommendation_merge_view, name="merge"),
    path("merges/<int:pk>/undo/", views.merge_undo_view, name="merge-undo"),
    path("sources/<int:pk>/split/", views.source_split_view, name="source-split"),
    path("duplicates/", views.duplicates_view, name="duplicates"),
    path("duplicates/<int:pk>/", views.duplicate_decide_view, name="duplicate-decide"),
    path("export.<str:fmt>", views.export_view, name="export"),
    path("saved/", views.saved_search_list_view, name="saved-searches"),
    path("saved/new/", views.saved_search_create_view, name="saved-search-create"),
    path("saved/<int:pk>/delete/", views.saved_search_delete_view, name="saved-search-delete"),
    path("clusters/", views.cluster_list_view, name="clusters"),
    path("clusters/new/", views.cluster_create_view, name="cluster-create"),
    path("clusters/add/", views.cluster_add_view, name="cluster-add"),
    path("clusters/<slug:slug>/", views.cluster_detail_view, name="cluster"),
    path("clusters/<slug:slug>/edit/", views.cluster_edit_view, name="cluster-edit"),
    path("clusters/<slug:slug>/remove/", views.cluster_remove_view, name="cluster-remove"),
    path("import/", imports_views.upload, name="import"),
    path("import/<int:pk>/", imports_views.batch_detail, name="import-batch"),
    path("import/<int:pk>/progress/", imports_views.batch_progress, name="import-progress"),
    path("imports/", imports_views.batch_list, name="import-batches"),
]
