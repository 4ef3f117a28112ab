"""What several benchmarks share: a throw-away database, the percentile they report, and the
UHRI-shaped export they import (made from the real UPR Info texts)."""

import csv
import io
import json
import os
import sys
import uuid
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))


def setup_in(temp_dir: Path) -> None:
    """Set Django up on an empty SQLite database (and var directory) in temp_dir, migrated, and
    the jobs database beside it (imports queue their follow-up jobs there)."""
    os.environ["RIGHTSTRACK_VAR_DIR"] = str(temp_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{temp_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("migrate", database="jobs", verbosity=0)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


TREATY_BODIES = ("CCPR", "CESCR", "CEDAW", "CRC", "CAT", "CERD", "CRPD")


def upr_info_rows(data_dir):
    """Every row of the UPR Info session files in data_dir/upr-info (Mac Roman CSV)."""
    rows = []
    for path in sorted((Path(data_dir) / "upr-info").glob("upr-info-sessions-*.csv")):
        text = path.read_bytes().decode("mac_roman")
        rows.extend(csv.DictReader(io.StringIO(text, newline="")))
    return rows


def uhri_vocabulary():
    """The theme, affected-person and SDG-target labels a UHRI export names its tags by (the
    vocabularies must be loaded)."""
    from rightstrack.taxonomy.models import Scheme, Term

    def labels(scheme, pattern="{label}"):
        terms = Term.objects.filter(scheme=scheme).order_by("code")
        return [pattern.format(code=term.code, label=term.label_en) for term in terms]

    return (
        labels(Scheme.UHRI_THEME),
        labels(Scheme.AFFECTED_PERSONS),
        labels(Scheme.SDG_TARGET, "{code} - {label}"),
    )


def write_uhri_file(path, size, rows, vocabulary, rng, *, ids, recombine=False):
    """A UHRI-shaped export of size records, written one record at a time: the UPR Info rows
    cycled (every fourth record a Treaty Body observation), each with an AnnotationId from the
    ``ids`` namespace, 1-3 themes, 0-2 groups of affected persons and 0-2 SDG targets.

    With ``recombine``, from the second pass on each text gets a clause of another real text and
    a later date, so the copies differ in their words rather than repeat."""
    themes, affected, targets = vocabulary
    with Path(path).open("w", encoding="utf-8") as stream:
        stream.write("[\n")
        for index in range(size):
            row = rows[index % len(rows)]
            copy = index // len(rows)
            text = row["Text"].strip()
            if recombine and copy:
                other = rows[rng.randrange(len(rows))]["Text"].strip().rstrip(".")
                clause = other.split(",", 1)[-1].strip() or other
                text = f"{text.rstrip('.')}, and {clause[:300]}."
            year = 2008 + int(row["Session"]) // 3 + (copy if recombine else 0)
            session = int(row["Session"])
            is_upr = index % 4 != 3
            recommending = row["From"] if "Unknown" not in row["From"] else None
            record = {
                "AnnotationId": str(uuid.uuid5(ids, f"{size}:{index}")),
                "AnnotationType": "- Recommendation" if is_upr else "- Concerns/Observations",
                "Body": "- UPR" if is_upr else f"- {rng.choice(TREATY_BODIES)}",
                "Countries": [row["To"]],
                "PublicationDate": f"{year}-0{1 + session % 9}-15T00:00:00",
                "Symbol": f"A/HRC/{copy + 1}/{session}/{row['To']}",
                "Text": f"{copy + 90}.{index % 200 + 1} {text}",
                "Themes": rng.sample(themes, rng.randint(1, 3)),
                "AffectedPersons": rng.sample(affected, rng.randint(0, 2)),
                "Sdgs": rng.sample(targets, rng.randint(0, 2)),
                "UprCycle": None,
                "UprSession": [str(session)] if is_upr else [],
                "UprPositions": (
                    [f"- {'Supported' if row['Response'] == 'Accepted' else 'Noted'}"]
                    if is_upr and row["Response"]
                    else []
                ),
                "UprRecommendingCountry": [recommending] if is_upr and recommending else [],
            }
            if index:
                stream.write(",\n")
            stream.write(json.dumps(record, ensure_ascii=False))
        stream.write("\n]\n")
