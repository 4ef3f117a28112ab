from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, SafeString, mark_safe
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


# The template Django draws each option of a select with; select_options writes it itself.
SELECT_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _as_attribute(value, context):
    """``{{ value|stringformat:'s' }}``, as Django's widget templates write a value."""
    text = stringformat(value, "s")
    if isinstance(value, SafeData):
        # stringformat is a safe filter: what was safe stays so, as in the template.
        text = mark_safe(text)  # noqa: S308 - the value was marked safe by whoever gave it
    return render_value_in_context(text, context)


@register.simple_tag(takes_context=True)
def select_options(context, options):
    """The options of one group of a select widget (templates/django/forms/widgets/select.html),
    written exactly as Django's ``{% include option.template_name with widget=option %}`` of
    select_option.html and attrs.html writes them; an option drawn with another template is
    still rendered with it."""
    parts = []
    for option in options:
        if option["template_name"] != SELECT_OPTION_TEMPLATE:
            drawn = context.template.engine.get_template(option["template_name"])
            with context.push(widget=option):
                parts.append(f"\n  {drawn.render(context)}")
            continue
        attributes = "".join(
            f" {render_value_in_context(name, context)}"
            + ("" if value is True else f'="{_as_attribute(value, context)}"')
            for name, value in option["attrs"].items()
            if value is not False
        )
        value = _as_attribute(option["value"], context)
        label = render_value_in_context(option["label"], context)
        parts.append(f'\n  <option value="{value}"{attributes}>{label}</option>\n')
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped as a template would
