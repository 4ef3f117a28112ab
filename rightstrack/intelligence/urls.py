from django.urls import path

from . import views

app_name = "intelligence"

urlpatterns = [
    path("review/", views.review_view, name="review"),
    path("review/accept-above/", views.accept_above_view, name="accept-above"),
    path("suggestions/<int:pk>/accept/", views.suggestion_accept_view, name="accept"),
    path("suggestions/<int:pk>/reject/", views.suggestion_reject_view, name="reject"),
    path("similar/<int:pk>/", views.similar_view, name="similar"),
    path("clusters/", views.clusters_view, name="clusters"),
    path("models/", views.models_view, name="models"),
    path("indexes/build/", views.build_indexes_view, name="build-indexes"),
    path("models/train/", views.train_view, name="train"),
]
