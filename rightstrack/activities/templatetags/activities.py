"""Template helpers of the activity pages (a presence's page shows its portfolio through
hooks.py)."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def dates_of(activity):
    """'12 May 2020', '12 May 2020 – 14 May 2020', 'until 14 May 2020', or '' when no date
    is known."""
    start, end = activity.start_date, activity.end_date
    if start and end and start != end:
        return f"{date_format(start)} – {date_format(end)}"
    if start:
        return date_format(start)
    if end:
        return _("until %(date)s") % {"date": date_format(end)}
    return ""
