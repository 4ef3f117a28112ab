"""Template helpers of the recommendation pages."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rightstrack.taxonomy.models import Scheme

from ..models import ImplementationStatus

register = template.Library()


@register.simple_tag
def facet_checkboxes(facet, values, prefix):
    """The checkboxes of some values of a facet, as list items.

    Built in Python because a facet may have hundreds of values (States, SDG targets) and the
    template engine would spend most of the page's time on them. Each text is escaped with the
    standard library's ``html.escape`` (what Django's escape does, without its checks for lazy
    and safe strings, a third of the page's time over 650 values); the numbers need none.
    """
    key = escape(str(facet.key))
    items = []
    for number, value in enumerate(values, start=1):
        box = f"facet-{key}-{escape(str(prefix))}{number}"
        checked = " checked" if value.selected else ""
        items.append(
            f'<li><input type="checkbox" name="{key}" value="{escape(str(value.value))}" '
            f'id="{box}"{checked}><label for="{box}">{escape(str(value.label))} '
            f'<span class="facet-count">({int(value.count)})</span></label></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every text in it is escaped above


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
