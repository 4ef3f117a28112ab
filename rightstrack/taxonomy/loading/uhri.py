"""UHRI themes and affected persons from the IMPACT OSS seed file.

``taxonomy/uhri_taxonomy_from_impactoss_seeds.csv`` has the columns taxonomy, reference, title,
short_title. Rows of taxonomy ``uhri_issue_level2`` are themes coded by their reference (A1 … H1);
``uhri_issue_level1`` rows (reference A, B, …), when present, become their parents. Rows of
``uhri_affected_persons`` have no reference and are coded by a slug of their title.
"""

import re

from ..models import Scheme
from ..normalize import code_slug
from .errors import VocabularyFileError
from .files import read_csv
from .records import TermRecord

FILE = "taxonomy/uhri_taxonomy_from_impactoss_seeds.csv"
COLUMNS = ("taxonomy", "reference", "title", "short_title")

LEVEL_1 = "uhri_issue_level1"
LEVEL_2 = "uhri_issue_level2"
AFFECTED_PERSONS = "uhri_affected_persons"
LEVEL_1_REFERENCE = re.compile(r"^[A-Z]$")
LEVEL_2_REFERENCE = re.compile(r"^(?P<group>[A-Z])\d{1,2}$")


def read_uhri(data_dir):
    path = data_dir / FILE
    records = {}
    for line, row in read_csv(path, columns=COLUMNS):
        taxonomy, reference = row["taxonomy"].strip(), row["reference"].strip()
        title, short_title = row["title"].strip(), row["short_title"].strip()
        if not title:
            raise VocabularyFileError(path, line, "the title is empty")
        if taxonomy in (LEVEL_1, LEVEL_2):
            scheme = Scheme.UHRI_THEME.value
            pattern = LEVEL_1_REFERENCE if taxonomy == LEVEL_1 else LEVEL_2_REFERENCE
            if not pattern.match(reference):
                example = "A" if taxonomy == LEVEL_1 else "A1"
                raise VocabularyFileError(
                    path, line, f"{taxonomy} reference {reference!r} is not like {example!r}"
                )
            code = reference
            first = records.get((scheme, code))
            if first is not None and first.label_en != title:
                # The seed file gives two themes the reference G5; the later one keeps the
                # reference visible in its code instead of being lost or overwriting the first.
                code = f"{reference}-{code_slug(title)}"
        elif taxonomy == AFFECTED_PERSONS:
            scheme = Scheme.AFFECTED_PERSONS.value
            code = reference or code_slug(title)
        else:
            known = ", ".join((LEVEL_1, LEVEL_2, AFFECTED_PERSONS))
            raise VocabularyFileError(
                path, line, f"unknown taxonomy {taxonomy!r} (expected one of {known})"
            )
        if (scheme, code) in records:
            first_line = records[(scheme, code)].line
            raise VocabularyFileError(path, line, f"{title!r} repeats line {first_line}")
        records[(scheme, code)] = TermRecord(
            scheme=scheme,
            code=code,
            label_en=title,
            short_label_en=short_title if short_title != title else "",
            position=1 + sum(1 for key in records if key[0] == scheme),
            path=path,
            line=line,
        )
    for (scheme, code), record in records.items():
        match = LEVEL_2_REFERENCE.match(code.split("-")[0])
        if scheme == Scheme.UHRI_THEME and match and (scheme, match["group"]) in records:
            record.parent_scheme, record.parent_code = scheme, match["group"]
    return list(records.values())
