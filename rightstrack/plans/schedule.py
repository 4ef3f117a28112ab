"""When an indicator's progress reports fall due.

An indicator's due dates are its first due date and every reporting period after it (a month, a
quarter, six months or a year; the day of the month is kept, or the month's last day when it is
shorter). The schedule stops at the first due date on or after the measure's own due date, which
still asks for a final report.

A due date is met by a submitted or approved report of the measure whose period ends later than
the due date before it (for the first one: one reporting period before it). A report on
January–March meets a quarterly report due on 31 March or on 15 April, but not the next one.
"""

import calendar
from datetime import date

from .models import MONTHS_PER_PERIOD

# However long a schedule is, no indicator asks for more reports than this (100 years monthly).
MAX_DUE_DATES = 1200


def add_months(day, months):
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_per_period(frequency):
    return MONTHS_PER_PERIOD[frequency]


def _schedule(first_due_date, frequency, until):
    """(due date, the due date before it) pairs, the first paired with one period earlier."""
    step = months_per_period(frequency)
    for index in range(MAX_DUE_DATES):
        due = add_months(first_due_date, index * step)
        yield due, add_months(first_due_date, (index - 1) * step)
        if until is not None and due >= until:
            return


def due_dates(*, first_due_date, frequency, until=None):
    """The due dates from the first one, stopping at the first on or after ``until``."""
    if first_due_date is None:
        return []
    return [due for due, _previous in _schedule(first_due_date, frequency, until)]


def next_due_date(*, first_due_date, frequency, measure_due_date, last_reported_until):
    """The earliest due date not yet met (see the module's rule), or None when all are met or
    there is no schedule."""
    if first_due_date is None:
        return None
    for due, previous in _schedule(first_due_date, frequency, measure_due_date):
        if last_reported_until is None or last_reported_until <= previous:
            return due
    return None
