from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rightstrack.core.chart_svg import draw_svg
from rightstrack.core.sanitize import sanitize_html

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some keys replaced (None removes a key)."""
    # A component included with ``only`` has no context variables, but still its request.
    request = getattr(context, "request", None) or context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def fields_except(form, names=""):
    """The form's fields but those named (space-separated)."""
    skipped = set((names or "").split())
    return [field for field in form if field.name not in skipped]


@register.filter
def or_not_reported(value):
    """Unknown facts are shown as unknown, never as zero."""
    if value is None or value == "":
        return _("not reported")
    return value


@register.filter
def rich_text(stored: str | None) -> SafeString:
    """Stored rich text, sanitised again on the way out so a row written around the services
    cannot inject markup."""
    return mark_safe(sanitize_html(stored))  # noqa: S308 - sanitised with nh3 just above


@register.filter
def total(items, attribute):
    """The sum of one attribute over ``items`` (a missing or empty value counts 0)."""
    return sum(getattr(item, attribute, 0) or 0 for item in items or ())


@register.simple_tag
def chart_svg(chart, kind):
    """One drawing of a bar chart (core.chart_svg): ``kind`` "wide" or "stacked"."""
    return draw_svg(chart, kind)
