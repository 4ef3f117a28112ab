from django import template
from django.utils.formats import number_format

from rightstrack.plans.models import MeasureStatus
from rightstrack.recommendations.models import ImplementationStatus

register = template.Library()


@register.filter
def measure_status_label(value):
    """The label of a measure's derived status (a MeasureStatus value)."""
    try:
        return MeasureStatus(value).label
    except ValueError:
        return value


@register.filter
def implementation_status_label(value):
    try:
        return ImplementationStatus(value).label
    except ValueError:
        return value


@register.filter
def budget(measure):
    """A measure's budget as "1,000 USD", or an empty string when none is given."""
    if measure.budget_amount is None:
        return ""
    amount = number_format(measure.budget_amount, decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"{amount} {measure.budget_currency}".strip()


@register.inclusion_tag("plans/_status.html")
def status_badge(value, kind="measure"):
    label = (
        implementation_status_label(value)
        if kind == "recommendation"
        else measure_status_label(value)
    )
    return {"value": value, "label": label}
