"""How a presence's facts are written on its pages, as OHCHR writes them."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

# OHCHR writes amounts in US dollars as "US$ 823,000".
CURRENCY_PREFIXES = {"USD": "US$", "EUR": "€", "GBP": "£"}


@register.filter
def money(amount, currency="USD"):
    """An amount with its currency, grouped by thousands in the current language."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    decimals = 0 if amount == amount.to_integral_value() else 2
    number = number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{CURRENCY_PREFIXES.get(currency, currency)} {number}"


@register.filter
def deployment_years(presence):
    """'2018–2021', 'since 2018', or '' when the start is not known."""
    start, end = presence.deployment_start_year, presence.deployment_end_year
    if start is None:
        return ""
    if end is None:
        return _("since %(year)s") % {"year": start}
    if end == start:
        return str(start)
    return f"{start}–{end}"
