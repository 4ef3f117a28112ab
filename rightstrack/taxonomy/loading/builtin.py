"""The vocabularies rightstrack ships itself (``taxonomy/vocabularies/*.yml``).

A term file names its scheme and lists its terms::

    scheme: state
    parent_scheme: regional-group   # where `parent` codes are looked up (default: this scheme)
    terms:
      - code: BLR
        label_en: Belarus
        label_ru: Беларусь
        parent: eeg
        aliases: [Republic of Belarus]

Two overlay files add what the data directory lacks to terms read from it: Russian labels
(``translations-ru.yml``) and other spellings (``aliases.yml``), keyed by scheme and code.
"""

from pathlib import Path

from ..models import TERM_TEXT_FIELDS, Scheme
from .files import read_yaml
from .records import TermRecord

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "vocabularies"

# In load order: a file's parents come from itself or from a file above it.
TERM_FILES = (
    "regional-groups.yml",
    "states.yml",
    "mechanisms.yml",
    "thematic-pillars.yml",
    "shifts.yml",
    "spotlight-populations.yml",
    "action-categories.yml",
)
TRANSLATIONS_FILE = "translations-ru.yml"
ALIASES_FILE = "aliases.yml"

_TERM_KEYS = {"code", "parent", "aliases", *TERM_TEXT_FIELDS}
_TRANSLATION_KEYS = {"label_ru", "short_label_ru", "description_ru"}


def _scheme_of(node, what="scheme"):
    scheme = node.text(what)
    if scheme not in Scheme.values:
        raise node.error(f"unknown {what} {scheme!r} (known: {', '.join(Scheme.values)})")
    return scheme


def read_term_file(path):
    """The terms of one built-in vocabulary file, in file order."""
    document = read_yaml(path)
    top = document.mapping("the file")
    unknown = set(top) - {"scheme", "parent_scheme", "terms"}
    if unknown:
        key = sorted(unknown)[0]
        raise top[key].error(f"unknown key {key!r} (expected scheme, parent_scheme, terms)")
    for required in ("scheme", "terms"):
        if required not in top:
            raise document.error(f"missing {required!r}")
    scheme = _scheme_of(top["scheme"])
    parent_scheme = (
        _scheme_of(top["parent_scheme"], "parent_scheme") if "parent_scheme" in top else scheme
    )
    records = []
    for position, entry in enumerate(top["terms"].entries("terms"), start=1):
        records.append(_read_term(entry, scheme, parent_scheme, position, path))
    return records


def _read_term(entry, scheme, parent_scheme, position, path):
    fields = {}
    for key, _line, value in entry.items("a term"):
        if key not in _TERM_KEYS:
            raise value.error(f"unknown key {key!r} in a term")
        fields[key] = value
    code = fields["code"].text("code") if "code" in fields else ""
    if not code:
        raise entry.error("a term needs a code")
    label_en = fields["label_en"].text("label_en") if "label_en" in fields else ""
    if not label_en:
        raise entry.error(f"term {code!r} needs a label_en")
    record = TermRecord(
        scheme=scheme,
        code=code,
        label_en=label_en,
        position=position,
        path=path,
        line=entry.line,
    )
    for name in TERM_TEXT_FIELDS[1:]:
        if name in fields:
            setattr(record, name, fields[name].text(name))
    if "parent" in fields and fields["parent"].text("parent"):
        record.parent_scheme = parent_scheme
        record.parent_code = fields["parent"].text("parent")
    if "aliases" in fields:
        record.add_aliases(fields["aliases"].texts("an alias"))
    return record


def read_builtin_terms(builtin_dir=BUILTIN_DIR):
    records = []
    for name in TERM_FILES:
        records.extend(read_term_file(Path(builtin_dir) / name))
    return records


def read_translations(path):
    """{(scheme, code): {field: Russian text}} from the translations overlay."""
    overlay = {}
    for scheme, _line, codes in read_yaml(path).items("the file"):
        if scheme not in Scheme.values:
            raise codes.error(f"unknown scheme {scheme!r}")
        for code, _line, value in codes.items(f"the translations of {scheme}"):
            if value.is_mapping:
                fields = {}
                for key, _line, text in value.items(f"the translation of {code}"):
                    if key not in _TRANSLATION_KEYS:
                        raise text.error(
                            f"unknown key {key!r} (expected {', '.join(sorted(_TRANSLATION_KEYS))})"
                        )
                    fields[key] = text.text(key)
            else:
                fields = {"label_ru": value.text(f"the translation of {code}")}
            overlay[(scheme, code)] = fields
    return overlay


def read_aliases(path):
    """{(scheme, code): [alias, ...]} from the aliases overlay."""
    overlay = {}
    for scheme, _line, codes in read_yaml(path).items("the file"):
        if scheme not in Scheme.values:
            raise codes.error(f"unknown scheme {scheme!r}")
        for code, _line, names in codes.items(f"the aliases of {scheme}"):
            overlay[(scheme, code)] = names.texts("an alias")
    return overlay


def apply_overlays(records, builtin_dir=BUILTIN_DIR):
    """Add the Russian labels and extra aliases of the overlay files to records read from data.

    Entries for terms the data did not provide are ignored: a data directory may hold an older
    or newer export than the one the overlays were written for.
    """
    translations = read_translations(Path(builtin_dir) / TRANSLATIONS_FILE)
    aliases = read_aliases(Path(builtin_dir) / ALIASES_FILE)
    for record in records:
        key = (record.scheme, record.code)
        for name, text in translations.get(key, {}).items():
            setattr(record, name, text)
        record.add_aliases(aliases.get(key, []))
    return records
