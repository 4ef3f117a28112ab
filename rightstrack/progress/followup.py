"""Reading a Treaty Body's follow-up grades from a CSV file.

One row is one grade for one paragraph (or some of its sub-paragraphs) of a State's concluding
observations, as in ``ccpr-followup/belarus_ccpr_followup_grades.csv``::

    state,co_symbol,co_date,assessment_symbol,assessment_year,para,title,limb,grade
    Belarus,CCPR/C/BLR/CO/5,25 October 2018,CCPR/C/137/2/Add.1,2023,28,Death penalty,(c),C
"""

import csv
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from rightstrack.recommendations.imports.records import FileFormatError, RowError
from rightstrack.recommendations.imports.values import parse_date, text_file

from .models import FollowUpGrade

# The format of its import batches.
FOLLOWUP_FORMAT = "treaty-body-followup"
REQUIRED_COLUMNS = ("state", "co_symbol", "assessment_symbol", "assessment_year", "para", "grade")
# The Treaty Body's code starts the document symbol: "CCPR/C/BLR/CO/5" is the Human Rights
# Committee's.
_BODY_OF_SYMBOL = re.compile(r"^\s*([A-Z]+)/")


@dataclass(frozen=True)
class FollowUpRow:
    line: int
    state: str
    body: str
    co_symbol: str
    co_date: datetime.date | None
    assessment_symbol: str
    year: int
    paragraph: str
    title: str
    part: str
    grade: str


def _date(value):
    """The date of the concluding observations as the importers read dates; unknown when the
    file gives none or one that is not a date (the grade itself does not depend on it)."""
    try:
        return parse_date(value)
    except ValueError:
        return None


def _row(line, values):
    text = {key: (value or "").strip() for key, value in values.items() if key}
    problems = []
    for column in REQUIRED_COLUMNS:
        if not text.get(column):
            problems.append(_("“%(column)s” is empty") % {"column": column})
    body_match = _BODY_OF_SYMBOL.match(text.get("co_symbol", ""))
    if text.get("co_symbol") and not body_match:
        problems.append(_("“%(symbol)s” is not a document symbol") % {"symbol": text["co_symbol"]})
    grade = text.get("grade", "").upper()
    if grade and grade not in FollowUpGrade.values:
        problems.append(_("grade “%(grade)s” is not one of A–E") % {"grade": text["grade"]})
    year = text.get("assessment_year", "")
    if year and not (year.isascii() and year.isdigit() and 1970 <= int(year) <= 2100):
        problems.append(_("“%(year)s” is not a year") % {"year": year})
    if problems:
        return RowError(line, "; ".join(problems))
    return FollowUpRow(
        line=line,
        state=text["state"],
        body=body_match[1],
        co_symbol=text["co_symbol"],
        co_date=_date(text.get("co_date")),
        assessment_symbol=text["assessment_symbol"],
        year=int(year),
        paragraph=text["para"],
        title=text.get("title", ""),
        part=text.get("limb", ""),
        grade=grade,
    )


def read_followup_file(path):
    """The rows of the file, each a FollowUpRow or a RowError with its line number; raises
    FileFormatError when the file cannot be read at all (missing, not CSV, missing columns)."""
    path = Path(path)
    try:
        # Bounded lines and a detected encoding, like every import (core.intake).
        with text_file(path) as text:
            reader = csv.DictReader(text.lines())
            missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or ())]
            if missing:
                raise FileFormatError(
                    _("%(file)s:1: missing column(s): %(columns)s")
                    % {"file": path.name, "columns": ", ".join(missing)}
                )
            return [_row(reader.line_num, values) for values in reader]
    except (OSError, csv.Error) as error:
        raise FileFormatError(f"{path.name}: {error}") from None
