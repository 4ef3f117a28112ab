"""Any CSV or Excel (.xlsx) table of recommendations, read through a column mapping.

The mapping names, for each field, the column that holds it: ``text=Recommendation,
state=Country,position=Response``. Without a mapping, columns named like the fields are used.
List cells (recommending States, themes, …) are separated by ";" or new lines, or by commas when
nothing else separates them. The natural key is the ``id`` column when mapped (a value that is
already a key, like "uhri:…", is kept as it is), else document symbol and number when both are
mapped, else a digest of State, mechanism and text.
"""

import csv
import io
import itertools
import re
import zipfile

from rightstrack.core import intake

from .records import FileFormatError, RecordDraft, RowError
from .uhri_json import sdg_tag
from .values import (
    check_zip,
    clean_text,
    document_key,
    normalize_symbol,
    parse_date,
    parse_int,
    parse_position,
    split_list,
    text_file,
    text_hash,
    upr_cycle,
)

FIELDS = (
    "id",
    "text",
    "state",
    "mechanism",
    "symbol",
    "number",
    "type",
    "date",
    "cycle",
    "session",
    "recommending_states",
    "position",
    "position_source",
    "action_category",
    "themes",
    "affected_persons",
    "sdgs",
    "issues",
)
TAG_FIELDS = {
    "themes": "uhri-theme",
    "affected_persons": "affected-persons",
    "issues": "upr-info-issue",
}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def _field_key(name):
    return re.sub(r"[\s\-]+", "_", clean_text(name).lower())


def parse_mapping(value):
    """{field: column} from "text=Recommendation,state=Country" (or a dict, or several texts)."""
    if not value:
        return {}
    if isinstance(value, dict):
        pairs = value.items()
    else:
        texts = [value] if isinstance(value, str) else list(value)
        pairs = []
        for text in texts:
            for item in text.split(","):
                if not item.strip():
                    continue
                if "=" not in item:
                    raise FileFormatError(f"column mapping “{item.strip()}” is not FIELD=COLUMN")
                field, column = item.split("=", 1)
                pairs.append((field, column))
    mapping = {}
    for field, column in pairs:
        key = _field_key(field)
        if key not in FIELDS:
            known = ", ".join(FIELDS)
            raise FileFormatError(
                f"unknown field “{field.strip()}” in the column mapping; fields: {known}"
            )
        mapping[key] = clean_text(column)
    return mapping


def _is_excel(path):
    return path.suffix.lower() in EXCEL_SUFFIXES or intake.is_zip(path)


def sniff(probe):
    """An Excel workbook, or text that reads as a table: a header and rows with the same
    number of fields (two or more)."""
    if probe.zip_members is not None:
        return "xl/workbook.xml" in probe.zip_members
    if probe.json_shape or not probe.text:
        return False
    lines = probe.text.splitlines(keepends=True)[:SAMPLE_LINES]
    return len(lines) >= 2 and _consistent_dialect(lines) is not None


def _excel_rows(path):
    # A zip bomb is refused before openpyxl decompresses anything.
    check_zip(path)
    try:
        # data_only=False shows the formulas themselves: their cached values may be stale or
        # missing, so a formula is refused rather than its last value imported.
        import openpyxl  # loaded where a workbook is read, not in every web process

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileFormatError(f"not an Excel (.xlsx) workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(), start=1):
            values = []
            for column, cell in enumerate(row, start=1):
                value = cell.value
                kind = getattr(cell, "data_type", None)
                if kind == "f" or (isinstance(value, str) and value.startswith("=")):
                    raise FileFormatError(
                        f"cell {_address(number, column)} holds a formula ({str(value)[:60]}); "
                        "save the sheet with values only, then import it"
                    )
                if kind == "e":
                    raise FileFormatError(
                        f"cell {_address(number, column)} holds the error value {value}; "
                        "correct it, then import the sheet"
                    )
                values.append("" if value is None else value)
            yield number, values
    finally:
        workbook.close()


def _address(row, column):
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


# How much of a CSV file its dialect is judged on: many lines, not the header alone.
SAMPLE_LINES = 200
DELIMITERS = (",", ";", "\t", "|")


def _consistent_dialect(sample):
    """The RFC 4180 dialect (a doubled quote is a quote) whose delimiter gives every record of
    the sample lines the same number of fields, two or more; the one giving the most fields
    wins. None when no delimiter reads the sample consistently."""
    text = "".join(sample)
    best, best_width = None, 1
    for delimiter in DELIMITERS:
        dialect = _rfc4180(delimiter)
        try:
            rows = [row for row in csv.reader(io.StringIO(text, newline=""), dialect) if row]
        except csv.Error:
            continue
        if len(sample) >= SAMPLE_LINES and len(rows) > 1:
            rows = rows[:-1]  # the last record may go on after the sample
        widths = {len(row) for row in rows}
        if len(widths) == 1 and (width := widths.pop()) > best_width:
            best, best_width = dialect, width
    return best


def _dialect(sample):
    """The CSV dialect of a sample of many lines, not of the header alone (see
    _consistent_dialect); csv.Sniffer's guess only when no delimiter is consistent."""
    consistent = _consistent_dialect(sample)
    if consistent is not None:
        return consistent
    try:
        return csv.Sniffer().sniff("".join(sample), delimiters="".join(DELIMITERS))
    except csv.Error:
        return csv.excel


def _rfc4180(delimiter):
    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def _csv_rows(path, options):
    if intake.json_shape(path):
        raise FileFormatError(
            "this is a JSON file, not a CSV or Excel table "
            "(the UHRI export is imported with the uhri-json format)"
        )
    with text_file(path, options) as text:
        lines = text.lines()
        sample = list(itertools.islice(lines, SAMPLE_LINES))
        reader = csv.reader(itertools.chain(sample, lines), _dialect(sample), strict=True)
        line = 1
        try:
            for row in reader:
                yield line, row
                line = reader.line_num + 1
        except csv.Error as error:
            raise FileFormatError(f"line {line}: invalid CSV ({error})") from None


def _rows(path, options=None):
    """(line, header, cells) of every non-empty row after the header."""
    rows = _excel_rows(path) if _is_excel(path) else _csv_rows(path, options or {})
    header = None
    for line, cells in rows:
        if not any(str(cell).strip() for cell in cells):
            continue
        if header is None:
            header = [clean_text(cell) for cell in cells]
            continue
        yield line, header, cells
    if header is None:
        raise FileFormatError("the table is empty (no header row)")


def count(path, *, options=None):
    return sum(1 for _row in _rows(path, options))


def _columns(header, mapping):
    """{field: column index}, checking that every mapped column exists."""
    by_name = {_field_key(name): index for index, name in enumerate(header)}
    if not mapping:
        mapping = {field: field for field in FIELDS if field in by_name}
    columns = {}
    for field, column in mapping.items():
        index = by_name.get(_field_key(column))
        if index is None:
            raise FileFormatError(
                f"column “{column}” (for {field}) is not in the header: {', '.join(header)}"
            )
        columns[field] = index
    if "text" not in columns:
        raise FileFormatError(
            "no column for the recommendation text; map one, e.g. text=Recommendation"
        )
    return columns


def _draft(line, values, *, state, mechanism):
    text = clean_text(values.get("text"))
    if not text:
        return RowError(line, "no recommendation text")
    try:
        date = parse_date(values.get("date"))
        session = parse_int(values.get("session"))
        cycle = parse_int(values.get("cycle"))
    except ValueError as error:
        return RowError(line, str(error))
    position = parse_position(values.get("position"))
    if position is None:
        return RowError(line, f"unknown position “{clean_text(values.get('position'))}”")
    tags = []
    for field, scheme in TAG_FIELDS.items():
        tags += [(scheme, value) for value in split_list(values.get(field))]
    for value in split_list(values.get("sdgs")):
        tag = sdg_tag(value)
        if tag is None:
            return RowError(line, f"unknown SDG “{value}”")
        tags.append(tag)
    state_name = clean_text(values.get("state")) or state
    mechanism_name = clean_text(values.get("mechanism")) or mechanism
    symbol = normalize_symbol(values.get("symbol"))
    number = clean_text(values.get("number"))
    identifier = clean_text(values.get("id"))
    if identifier:
        key = identifier if ":" in identifier else f"table:{identifier}"
    elif symbol and number:
        key = document_key(symbol, number)
    else:
        key = f"table:{text_hash(state_name, mechanism_name, text)}"
    return RecordDraft(
        source_key=key,
        line=line,
        text=text,
        state=state_name,
        mechanism=mechanism_name,
        document_symbol=symbol,
        number=number,
        annotation_type=clean_text(values.get("type"))[:200],
        date=date,
        document_date=date,
        cycle=cycle or (upr_cycle(session) if mechanism_name.upper() == "UPR" else None),
        session=session,
        recommending_states=split_list(values.get("recommending_states")),
        position=position,
        position_source=clean_text(values.get("position_source"))[:200],
        action_category=clean_text(values.get("action_category")),
        tags=tags,
    )


def parse(path, *, state=None, options=None):
    options = options or {}
    mapping = parse_mapping(options.get("map"))
    state = clean_text(state)
    mechanism = clean_text(options.get("mechanism"))
    columns = None
    for line, header, cells in _rows(path, options):
        if columns is None:
            columns = _columns(header, mapping)
        values = {
            field: (cells[index] if index < len(cells) else "") for field, index in columns.items()
        }
        yield _draft(line, values, state=state, mechanism=mechanism)
