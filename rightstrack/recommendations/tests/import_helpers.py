"""Small vocabularies and source files written here for the import tests."""

import json

import docx

from rightstrack.taxonomy.models import Scheme
from rightstrack.taxonomy.tests.factories import TermFactory

STATES = {
    "BLR": ("Belarus", ["Republic of Belarus"]),
    "FRA": ("France", []),
    "CHL": ("Chile", []),
    "BRA": ("Brazil", []),
    "LTU": ("Lithuania", []),
    "ITA": ("Italy", []),
    "ESP": ("Spain", []),
    "CHE": ("Switzerland", []),
    "CIV": ("Côte d'Ivoire", ["Cote d'Ivoire"]),
    "SVN": ("Slovenia", []),
    "PER": ("Peru", []),
    "GBR": ("United Kingdom of Great Britain and Northern Ireland", ["United Kingdom"]),
}


def small_vocabulary():
    """The terms the small source files below name, as the taxonomy loader would have them."""
    terms = {}
    for code, (label, aliases) in STATES.items():
        terms[code] = TermFactory(scheme=Scheme.STATE, code=code, label_en=label, aliases=aliases)
    for code, aliases in (("UPR", []), ("CRC", ["- CRC"]), ("SP", ["Special Procedures"])):
        terms[code] = TermFactory(
            scheme=Scheme.MECHANISM, code=code, label_en=code, aliases=aliases
        )
    for code in "12345":
        terms[f"action-{code}"] = TermFactory(
            scheme=Scheme.ACTION_CATEGORY, code=code, label_en=f"Action {code}"
        )
    for label in ("Justice", "Women's rights", "Rights of the Child", "Death penalty"):
        terms[label] = TermFactory(
            scheme=Scheme.UPR_INFO_ISSUE, code=label.lower().replace(" ", "-"), label_en=label
        )
    terms["goal-16"] = TermFactory(scheme=Scheme.SDG_GOAL, code="16", label_en="Peace")
    terms["16.2"] = TermFactory(scheme=Scheme.SDG_TARGET, code="16.2", label_en="Protect children")
    terms["5.2"] = TermFactory(scheme=Scheme.SDG_TARGET, code="5.2", label_en="End violence")
    terms["theme-A12"] = TermFactory(
        scheme=Scheme.UHRI_THEME, code="A12", label_en="Acceptance of international norms"
    )
    terms["theme-health"] = TermFactory(
        scheme=Scheme.UHRI_THEME, code="right-to-health", label_en="Right to health"
    )
    terms["children"] = TermFactory(
        scheme=Scheme.AFFECTED_PERSONS, code="children", label_en="Children"
    )
    return terms


# The UPR Info export as it comes: Mac Roman bytes, CR line endings, entities for parentheses.
UPR_INFO_ROWS = (
    "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session",
    'Belarus,EEG,CIS,"Abolish the death penalty, now ",France,WEOG,EU,Accepted,5,'
    '"Death penalty,Justice",8',
    "Belarus,EEG,CIS,Protect children’s rights,Chile,GRULAC,,Noted,4,Rights of the Child,8",
    "Belarus,EEG,CIS,Consider the views of civil society,&#40;Unknown&#41;,,,Accepted,2,Justice,8",
    "Côte d'Ivoire,Africa,AU,Ensure fair trials,Brazil,GRULAC,,Accepted,4,Justice,8",
)


def write_upr_info(path, rows=UPR_INFO_ROWS, *, encoding="mac_roman", newline="\r"):
    path.write_bytes(newline.join(rows).encode(encoding) + newline.encode())
    return path


UHRI_RECORDS = [
    {
        "AffectedPersons": ["Children"],
        "AnnotationId": "a9ceae8c-0001",
        "AnnotationType": "- Concerns/Observations",
        "Body": "- CRC",
        "Countries": ["Peru"],
        "PublicationDate": "2025-02-12T00:00:00",
        "Sdgs": ["16.2 - Protect children from abuse", "5.2 - End all violence"],
        "Symbol": "CRC/C/PER/CO/6-7",
        "Text": "4.The Committee reminds the State party of its obligations. ",
        "Themes": ["Right to health", "Rights of migrant children"],
        "UprCycle": None,
        "UprPositions": [],
        "UprRecommendingCountry": [],
        "UprSession": [],
    },
    {
        "AnnotationId": "a9ceae8c-0002",
        "AnnotationType": "- Recommendation",
        "Body": "- UPR",
        "Countries": ["Belarus"],
        "PublicationDate": None,
        "Text": "98.16 Declare a moratorium on executions",
        "Themes": None,
        "AffectedPersons": None,
        "Sdgs": None,
        "UprCycle": 1,
        "UprPositions": ["- Noted"],
        "UprRecommendingCountry": ["Brazil", "Lithuania"],
        "UprSession": ["8"],
    },
    # No text at all: a row error, the rest goes on.
    {"AnnotationId": "a9ceae8c-0003", "Body": "- UPR", "Countries": ["Belarus"]},
    {
        "AnnotationId": "a9ceae8c-0004",
        "Body": "- SR on the right to health",
        "Countries": ["Belarus"],
        "Text": "Ensure access to health care",
    },
]


def write_uhri(path, records=UHRI_RECORDS):
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    return path


def write_thematic_list(path, rows):
    """A thematic list like OHCHR's: a header row, "Theme:" section rows, recommendation rows.

    rows: ("Theme: …",) for a section, or (recommendation cell, position, themes cell).
    """
    document = docx.Document()
    document.add_paragraph("UPR thematic list of recommendations")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells,
        ("Recommendation", "Position", "Full list of themes", "Assessment/comments"),
        strict=True,
    ):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        if len(row) == 1:
            for cell in cells:
                cell.text = row[0]
        else:
            for cell, text in zip(cells, (*row, ""), strict=True):
                cell.text = text
    document.save(str(path))
    return path


THEMATIC_ROWS = (
    ("Theme: A12 Acceptance of international norms",),
    (
        "115.3 Ratify the Optional Protocol on a communications procedure (France, Brazil);\n"
        "Source of position: A/HRC/28/15/Add.1 - Para. 3",
        "Supported",
        "A12 Acceptance of international norms\nAffected persons:\n- children",
    ),
    (
        "115.4 Ratify the Covenant (Italy); consider ratifying it (Spain);\n"
        "Source of position: A/HRC/28/15/Add.1 - Para. 3",
        "Noted",
        "- Right to health\n- Rights of older persons\nSDGs:\n- 16 - PEACE, JUSTICE AND STRONG "
        "INSTITUTIONS\nAffected persons:\n- older persons",
    ),
    ("Theme: Right to health",),
    (
        "Missing number here (Chile);\nSource of position: A/HRC/28/15/Add.1 - Para. 3",
        "Supported",
        "- Right to health",
    ),
)

WG_REPORT = "\r".join(
    (
        "Distr.: General 21 June 2010 ",
        "Report of the Working Group on the Universal Periodic Review* ",
        "Belarus ",
        "1. ",
        "The Working Group on the Universal Periodic Review held its eighth session from 3 to 14 "
        "May 2010. The review of Belarus was held at the 16th meeting. ",
        "II. Conclusions and/or recommendations ",
        "97. The recommendations listed below have been examined by Belarus and enjoy its "
        "support: ",
        "97.1. Continue cooperation with the United Nations (France); promote the State’s "
        "cooperation (Chile); ",
        "97.2. Take measures (i) to train judges; (ii) to train non.governmental organizations "
        "(Brazil). ",
        "98. The following recommendations will be examined by Belarus: ",
        "98.16. Declare a moratorium on executions (Brazil); introduce a moratorium (Lithuania); "
        "adopt a moratorium (Italy); extend a moratorium (Spain); put an end to capital "
        "punishment (Switzerland); ",
        "12",
        "GE.10-14567 ",
        "98.17. Abolish the death penalty ",
        "and ratify the Second Optional Protocol (France, Italy). ",
        "99. All conclusions and/or recommendations reflect the positions of the States. ",
        "Annex ",
        "Composition of the delegation ",
    )
)


def write_wg_report(path, text=WG_REPORT, encoding="cp1252"):
    path.write_bytes(text.encode(encoding))
    return path
