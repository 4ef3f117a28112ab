"""What progress adds to the pages of plans, measures and recommendations, registered in
plans/extensions.py and recommendations/extensions.py (those apps are below this one and never
import it)."""

from django.template.loader import render_to_string

from rightstrack.plans import extensions
from rightstrack.recommendations.extensions import registered as recommendation_extensions

from .access import may_assess
from .selectors import assessments_for, due_for_plan, due_for_user, measure_reports
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


def register() -> None:
    extensions.registered.follow_up = extensions.FollowUpHooks(
        measure_page_context=measure_page_context,
        due_for_user=due_for_user,
        due_for_plan=due_for_plan,
    )
    recommendation_extensions.detail_sections.add(recommendation_section)
