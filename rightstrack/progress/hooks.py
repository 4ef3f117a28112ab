"""What progress adds to the pages of plans, measures and recommendations, registered in
plans/extensions.py and recommendations/extensions.py (those apps are below this one and never
import it)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rightstrack.notifications import extensions as notifications
from rightstrack.notifications.models import Category
from rightstrack.plans import extensions
from rightstrack.plans.access import focal_agency_id
from rightstrack.recommendations.extensions import registered as recommendation_extensions

from .access import may_assess, may_moderate, may_review
from .models import ReportStatus
from .selectors import (
    assessments_for,
    due_for_plan,
    due_for_user,
    measure_reports,
    moderation_queue,
    returned_reports,
    review_queue,
)
from .services import due_digest_section
from .templatetags.progress_tags import recommendation_progress


def measure_page_context(*, user, measure):
    return {
        "reports": measure_reports(user=user, measure=measure),
        "assessments": assessments_for(user=user, measure=measure),
        "can_assess": may_assess(user),
    }


def recommendation_section(request, recommendation) -> str:
    """The recommendation page's section on what is being done about it."""
    context = recommendation_progress({"request": request}, recommendation)
    return render_to_string("progress/_recommendation_progress.html", context, request)


def _is_focal_point(user) -> bool:
    return bool(focal_agency_id(user))


WORK_KINDS = (
    notifications.WorkKind(
        key=notifications.REPORTS_DUE,
        label=_("Reports due or overdue"),
        url=lambda user: reverse("plans:mine"),
        applies=_is_focal_point,
        count=lambda user, today: len(due_for_user(user=user, today=today)),
        order=10,
    ),
    notifications.WorkKind(
        key=notifications.REPORTS_RETURNED,
        label=_("Reports returned for changes"),
        url=lambda user: reverse("progress:list") + f"?status={ReportStatus.RETURNED}&mine=1",
        applies=_is_focal_point,
        count=lambda user, today: returned_reports(user=user),
        order=20,
    ),
    notifications.WorkKind(
        key=notifications.REPORTS_TO_REVIEW,
        label=_("Reports to review"),
        url=lambda user: reverse("progress:review"),
        applies=may_review,
        count=lambda user, today: review_queue(user=user),
        order=30,
    ),
    notifications.WorkKind(
        key=notifications.ASSESSMENTS_TO_MODERATE,
        label=_("Assessments to moderate"),
        url=lambda user: reverse("progress:moderation"),
        applies=may_moderate,
        count=lambda user, today: moderation_queue(user=user),
        order=40,
    ),
)


def register() -> None:
    for kind in WORK_KINDS:
        notifications.work.add(kind)
    notifications.digest.add(
        notifications.DigestSection(
            key=notifications.REPORTS_DUE,
            category=Category.REPORTS,
            start=due_digest_section,
        )
    )
    extensions.registered.follow_up = extensions.FollowUpHooks(
        measure_page_context=measure_page_context,
        due_for_user=due_for_user,
        due_for_plan=due_for_plan,
    )
    recommendation_extensions.detail_sections.add(recommendation_section)
