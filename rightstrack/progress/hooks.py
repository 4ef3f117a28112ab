"""What progress adds to the pages of plans and measures, registered in plans/extensions.py (the
plans app is below this one and never imports it)."""

from rightstrack.plans import extensions

from .access import may_assess
from .selectors import assessments_for, due_for_plan, due_for_user, measure_reports


def measure_page_context(*, user, measure):
    return {
        "reports": measure_reports(user=user, measure=measure),
        "assessments": assessments_for(user=user, measure=measure),
        "can_assess": may_assess(user),
    }


def register() -> None:
    extensions.registered.follow_up = extensions.FollowUpHooks(
        measure_page_context=measure_page_context,
        due_for_user=due_for_user,
        due_for_plan=due_for_plan,
    )
