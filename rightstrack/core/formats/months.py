"""The month names of Russian and Belarusian dates, declared here so that they are in the
project's catalogs, which Django reads before its own.

The date formats write the month in the genitive ("E": "3 снежня 2026") and on its own in the
nominative ("F": "снежань 2026"). Django's Belarusian catalog has both wrong in places: the
genitive where the nominative belongs ("студзеня 2026"), the nominative where the genitive
belongs ("3 сакавік") and the pre-1933 spelling ("сьнежня", "верасьня"); its Russian ones are
right, and the Russian catalog repeats them so the two languages are declared alike.
"""

from django.utils.translation import gettext_lazy, pgettext_lazy

# Nominative: a month on its own ("F"), e.g. in "December 2026".
MONTHS = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)

# Genitive: a month after its day ("E"), e.g. in "3 December 2026". Django's context.
MONTHS_AFTER_DAY = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
