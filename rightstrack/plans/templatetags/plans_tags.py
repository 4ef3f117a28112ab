from django import template
from django.utils.formats import number_format

from rightstrack.plans.models import MeasureStatus
from rightstrack.recommendations.templatetags.recommendation_tags import (
    implementation_status_label,
)

register = template.Library()


@register.filter
def measure_status_label(value):
    """The label of a measure's derived status (a MeasureStatus value)."""
    try:
        return MeasureStatus(value).label
    except ValueError:
        return value


@register.filter
def budget(measure):
    """A measure's budget as "1,000 USD", or an empty string when none is given."""
    if measure.budget_amount is None:
        return ""
    amount = number_format(measure.budget_amount, decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"{amount} {measure.budget_currency}".strip()


@register.inclusion_tag("components/status_badge.html")
def status_badge(value, kind="measure"):
    label = (
        implementation_status_label(value)
        if kind == "recommendation"
        else measure_status_label(value)
    )
    return {"value": value, "label": label}
