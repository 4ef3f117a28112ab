"""The OHCHR Universal Human Rights Index export (export-full-en.json), read as a stream.

The file is one JSON array of about 250,000 objects, so it is read record by record with ijson
and never held in memory. Every field may be missing or null. "Line" numbers in row errors are
record numbers (the first record is 1). Values carry a "- " prefix ("- CRC", "- Supported").
"""

import re

import ijson
from django.conf import settings
from django.utils.translation import gettext as _

from rightstrack.core import intake

from .records import FileFormatError, RecordDraft, RowError
from .values import (
    clean_text,
    combine_positions,
    file_error,
    parse_date,
    parse_int,
    upr_cycle,
)

_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})?)\s*\.?\s*(?=\S)")
_SDG = re.compile(r"^\s*(\d{1,2})(?:\.(\w{1,2}))?\b")
_CHUNK = 1 << 20

# Special Procedures records name their mandate as the body ("- SR on torture"); the vocabulary
# has one mechanism for all of them.
_SPECIAL_PROCEDURE = re.compile(
    r"\b(special|rapporteur|independent expert|working group|SR|IE|WG)\b", re.IGNORECASE
)


def _mechanism_and_kind(body):
    """(mechanism code or name, document kind, mandate) of a UHRI "Body" value."""
    if body.upper() == "UPR":
        return "UPR", "upr-wg-report", ""
    if body.upper() in ("SP", "SPECIAL PROCEDURES") or _SPECIAL_PROCEDURE.search(body):
        return "SP", "sp-report", body
    return body, "concluding-observations", ""


def _texts(value):
    """The texts of a value or list of values, cleaned, without the export's "- " prefix.

    Called a dozen times per record, so written for speed: the common case (plain ASCII text
    without entities) skips the general cleaning.
    """
    if not value:
        return []
    if value.__class__ is not list:
        value = [value]
    texts = []
    for item in value:
        if item.__class__ is str:
            if item.isascii() and "&" not in item:
                text = " ".join(item.split())
            else:
                text = clean_text(item)
        elif isinstance(item, int | float) and not isinstance(item, bool):
            text = str(item)
        else:
            continue
        if text.startswith("- "):
            text = text[2:].lstrip()
        if text:
            texts.append(text)
    return texts


def _value(value):
    """One text value (see _texts), or ""."""
    texts = _texts(value) if value.__class__ is not list else []
    return texts[0] if texts else ""


def _check_is_array(path):
    try:
        with path.open("rb") as stream:
            head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as error:
        raise file_error(intake.unreadable(error)) from None
    if head.startswith(b"{"):
        raise FileFormatError(
            "not a UHRI export: the file is one JSON object, not a JSON array of records"
        )
    if not head.startswith(b"["):
        raise FileFormatError("not a UHRI export: the file is not a JSON array of records")
    if head[1:].lstrip(b" \t\r\n").startswith(b"]"):
        raise FileFormatError("the JSON array is empty: there are no records to import")


def sniff(probe):
    return probe.json_shape == "array" and "AnnotationId" in probe.json_keys


def count(path, *, options=None):
    """The number of records, counted without parsing (one "AnnotationId" key per record)."""
    _check_is_array(path)
    total, tail = 0, b""
    needle = b'"AnnotationId"'
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            total += data.count(needle)
            # Keep the last bytes so a key split across two chunks is counted exactly once.
            tail = data[-(len(needle) - 1) :]
            total -= tail.count(needle)
    return total


def sdg_tag(value):
    """("sdg-target", "16.2") for "16.2 - Protect children…", ("sdg-goal", "16") for "16 - …"."""
    match = _SDG.match(value)
    if not match:
        return None
    goal, target = match.groups()
    return ("sdg-target", f"{goal}.{target}") if target else ("sdg-goal", goal)


def _record(number, record):
    if not isinstance(record, dict):
        return [RowError(number, "the record is not a JSON object")]
    annotation_id = _value(record.get("AnnotationId"))
    if not annotation_id:
        return [RowError(number, "no AnnotationId")]
    where = f"(AnnotationId {annotation_id})"
    raw_text = clean_text(record.get("Text"))
    if not raw_text:
        return [RowError(number, f"no text {where}")]
    countries = _texts(record.get("Countries"))
    if not countries:
        return [RowError(number, f"no country {where}")]
    body = _value(record.get("Body"))
    if not body:
        return [RowError(number, f"no body or mechanism {where}")]
    mechanism, document_kind, mandate = _mechanism_and_kind(body)
    try:
        date = parse_date(record.get("PublicationDate"))
        cycle = parse_int(record.get("UprCycle"))
        sessions = [parse_int(session) for session in _texts(record.get("UprSession"))]
    except ValueError as error:
        return [RowError(number, f"{error} {where}")]
    positions = _texts(record.get("UprPositions"))
    position = combine_positions(positions)
    if position is None:
        return [RowError(number, f"unknown UPR position “{', '.join(positions)}” {where}")]
    session = next((session for session in sessions if session), None)
    tags = [("uhri-theme", theme) for theme in _texts(record.get("Themes"))]
    tags += [("affected-persons", group) for group in _texts(record.get("AffectedPersons"))]
    for sdg in _texts(record.get("Sdgs")):
        tag = sdg_tag(sdg)
        if tag is None:
            return [RowError(number, f"unknown SDG “{sdg}” {where}")]
        tags.append(tag)

    match = _LEADING_NUMBER.match(raw_text)
    paragraph, text = (match.group(1), raw_text[match.end() :]) if match else ("", raw_text)
    drafts = []
    for country in countries:
        # A record about several countries becomes one recommendation for each.
        key = f"uhri:{annotation_id}" if len(countries) == 1 else f"uhri:{annotation_id}/{country}"
        drafts.append(
            RecordDraft(
                source_key=key,
                line=number,
                text=text,
                state=country,
                mechanism=mechanism,
                document_symbol=_value(record.get("Symbol")),
                document_kind=document_kind,
                document_title=mandate,
                document_date=date,
                number=paragraph,
                annotation_type=_value(record.get("AnnotationType"))[:200],
                date=date,
                cycle=cycle or upr_cycle(session),
                session=session,
                recommending_states=_texts(record.get("UprRecommendingCountry")),
                position=position,
                tags=tags,
            )
        )
    return drafts


def _too_long(number, record, size):
    annotation_id = record.get("AnnotationId") if isinstance(record, dict) else None
    where = f" (AnnotationId {annotation_id})" if isinstance(annotation_id, str) else ""
    return RowError(
        number,
        _(
            "a value of %(size)s bytes is longer than the longest allowed "
            "(%(limit)s bytes, IMPORT_MAX_LINE_BYTES); the record was not read%(where)s"
        )
        % {"size": size, "limit": settings.IMPORT_MAX_LINE_BYTES, "where": where},
    )


def parse(path, *, state=None, options=None):
    _check_is_array(path)
    number = 0
    try:
        with intake.bounded_json(path) as stream:
            # Strings beyond the longest line were cut out before the parser: the records
            # read since the first cut are looked at until each cut is found in one.
            found = 0
            for record in ijson.items(stream, "item", use_float=True):
                number += 1
                if stream.emitted > found and (size := intake.cut_value_size(record)):
                    found += 1
                    yield _too_long(number, record, size)
                    continue
                yield from _record(number, record)
    except intake.IntakeError as error:
        raise file_error(error) from None
    except ijson.JSONError as error:
        raise FileFormatError(f"invalid JSON after record {number}: {error}") from None
    except UnicodeDecodeError:
        raise FileFormatError(f"not UTF-8 text (after record {number})") from None
