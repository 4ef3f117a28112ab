"""Template helpers of the recommendation pages."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rightstrack.taxonomy.models import Scheme

from ..models import ImplementationStatus

register = template.Library()

_CHECKED = mark_safe(" checked")  # noqa: S308 - a constant attribute, no input in it


@register.simple_tag
def facet_checkboxes(facet, values, prefix):
    """The checkboxes of some values of a facet, as list items.

    Built in Python because a facet may have hundreds of values (States, SDG targets) and the
    template engine would spend most of the page's time on them; format_html escapes each part.
    """
    return format_html_join(
        "\n",
        '<li><input type="checkbox" name="{}" value="{}" id="{}"{}>'
        '<label for="{}">{} <span class="facet-count">({})</span></label></li>',
        (
            (
                facet.key,
                value.value,
                f"facet-{facet.key}-{prefix}{number}",
                _CHECKED if value.selected else "",
                f"facet-{facet.key}-{prefix}{number}",
                value.label,
                value.count,
            )
            for number, value in enumerate(values, start=1)
        ),
    )


@register.filter
def term_badge(term):
    """The short name of a tag's term in a list: SDG goals and targets by their number."""
    if term.scheme in (Scheme.SDG_GOAL, Scheme.SDG_TARGET):
        return _("SDG %(code)s") % {"code": term.code}
    return term.short_label


@register.filter
def implementation_status_label(value):
    """The label of a recommendation's implementation status (an ImplementationStatus value)."""
    try:
        return ImplementationStatus(value).label
    except ValueError:
        return value
