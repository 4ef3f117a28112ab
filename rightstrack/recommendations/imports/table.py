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
import re
import zipfile

import openpyxl

from .records import FileFormatError, RecordDraft, RowError
from .uhri_json import sdg_tag
from .values import (
    clean_text,
    decode_text,
    document_key,
    normalize_symbol,
    parse_date,
    parse_int,
    parse_position,
    read_bytes,
    split_list,
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
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return True
    try:
        with path.open("rb") as stream:
            return stream.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _excel_rows(path):
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileFormatError(f"not an Excel (.xlsx) workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if value is None else value for value in row]
    finally:
        workbook.close()


def _csv_rows(path):
    text = decode_text(read_bytes(path))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileFormatError(f"line {reader.line_num}: invalid CSV ({error})") from None


def _rows(path):
    """(line, header, cells) of every non-empty row after the header."""
    rows = _excel_rows(path) if _is_excel(path) else _csv_rows(path)
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


def count(path):
    return sum(1 for _row in _rows(path))


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
    for line, header, cells in _rows(path):
        if columns is None:
            columns = _columns(header, mapping)
        values = {
            field: (cells[index] if index < len(cells) else "") for field, index in columns.items()
        }
        yield _draft(line, values, state=state, mechanism=mechanism)
