"""What activities adds to the pages of presences, registered in presences/extensions.py (the
presences app is below this one and never imports it)."""

from django.template.loader import render_to_string

from rightstrack.core.roles import can_manage, can_read_internal
from rightstrack.presences.extensions import presence_page

from .selectors import presence_portfolio


def portfolio_section(request, presence):
    """A presence's page's section: its portfolio (``selectors.presence_portfolio``) as the
    reader may see it."""
    user = request.user
    context = {
        "portfolio": presence_portfolio(user=user, presence=presence),
        "presence": presence,
        "can_manage": can_manage(user),
        "can_read_internal": can_read_internal(user),
    }
    return render_to_string("activities/_presence_portfolio.html", context, request)


def register() -> None:
    presence_page.add(portfolio_section)
