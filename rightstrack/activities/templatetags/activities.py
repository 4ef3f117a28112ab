"""Activity pieces for other apps' pages:

    {% load activities %}{% presence_portfolio presence %}

shows a presence's portfolio (``selectors.presence_portfolio``) as the reader may see it.
"""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rightstrack.activities.selectors import presence_portfolio as portfolio_of
from rightstrack.core.roles import can_manage, can_read_internal

register = template.Library()


@register.inclusion_tag("activities/_presence_portfolio.html", takes_context=True)
def presence_portfolio(context, presence):
    user = context["request"].user
    return {
        "portfolio": portfolio_of(user=user, presence=presence),
        "presence": presence,
        "can_manage": can_manage(user),
        "can_read_internal": can_read_internal(user),
        "request": context["request"],
    }


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
