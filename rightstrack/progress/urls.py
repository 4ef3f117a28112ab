from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("reports/", views.report_list_view, name="list"),
    path("review/", views.review_queue_view, name="review"),
    path("measures/<int:measure_pk>/report/", views.report_create_view, name="report-create"),
    path("reports/<int:pk>/", views.report_detail_view, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit_view, name="report-edit"),
    path("reports/<int:pk>/submit/", views.report_submit_view, name="report-submit"),
    path("reports/<int:pk>/review/", views.report_review_view, name="report-review"),
    path("reports/<int:pk>/evidence/", views.evidence_add_view, name="evidence-add"),
    path("evidence/<int:pk>/delete/", views.evidence_delete_view, name="evidence-delete"),
    path("evidence/<int:pk>/download/", views.evidence_download_view, name="evidence-download"),
    path("measures/<int:pk>/assess/", views.assess_measure_view, name="assess-measure"),
    path(
        "recommendations/<int:pk>/assess/",
        views.assess_recommendation_view,
        name="assess-recommendation",
    ),
    path("assessments/moderation/", views.moderation_queue_view, name="moderation"),
    path("assessments/<int:pk>/moderate/", views.moderate_view, name="moderate"),
]
