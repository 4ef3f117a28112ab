"""``{% recommendation_progress recommendation %}``: what is being done about a recommendation —
its implementation status, the measures answering it (with theirs), and beside them the
independent assessments and the mechanism's own follow-up grades. For the recommendation's own
page."""

from django import template

from rightstrack.plans.selectors import measures_for_recommendation
from rightstrack.plans.statuses import status_from_measure_statuses
from rightstrack.progress.access import may_assess
from rightstrack.progress.selectors import assessments_for, mechanism_assessments_for

register = template.Library()


@register.inclusion_tag("progress/_recommendation_progress.html", takes_context=True)
def recommendation_progress(context, recommendation):
    user = context["request"].user
    measures = list(measures_for_recommendation(user=user, recommendation=recommendation))
    return {
        "recommendation": recommendation,
        "implementation_status": status_from_measure_statuses(
            measure.status for measure in measures
        ),
        "measures": measures,
        "assessments": assessments_for(user=user, recommendation=recommendation),
        "mechanism_assessments": list(
            mechanism_assessments_for(user=user, recommendation=recommendation)
        ),
        "can_assess": may_assess(user),
    }
