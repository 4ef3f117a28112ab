# As Russian: the month in words, in the genitive (E), "3 снежня 2026"; 24-hour times. The
# month names themselves are in the project's catalogs (see rightstrack/core/formats/months.py).
from rightstrack.core.formats.ru.formats import (  # noqa: F401 - read by Django's format lookup
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)
