"""Writes to the vocabularies: loading them from files, and editing terms and agencies."""

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TypedDict, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from tqdm import tqdm

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audited
from rightstrack.core.db_statistics import refresh_planner_statistics, table_names
from rightstrack.core.roles import is_administrator
from rightstrack.core.types import User

from .loading.builtin import BUILTIN_DIR
from .loading.errors import VocabularyFileError
from .loading.records import TermRecord
from .loading.sources import SOURCE_NAMES, read_all
from .models import TERM_TEXT_FIELDS, Agency, Scheme, Term
from .normalize import search_key

__all__ = [
    "VocabularyFileError",
    "agency_create",
    "agency_update",
    "term_create",
    "term_update",
    "vocabularies_load",
]

# What a term is beyond its scheme and code, in the order the audit history shows it.
TERM_FIELDS = (*TERM_TEXT_FIELDS, "parent", "aliases", "position", "is_active")
# What vocabulary files decide. A term an administrator retired (is_active off) stays retired
# when the files are loaded again.
LOADED_FIELDS = tuple(name for name in TERM_FIELDS if name != "is_active")
AGENCY_FIELDS = ("code", "name_en", "name_ru", "state", "is_active")

_Model = TypeVar("_Model", bound=models.Model)

# {scheme: {"created": n, "updated": n, "unchanged": n}}
LoadCounts = dict[str, dict[str, int]]


class TermData(TypedDict, total=False):
    """The fields of a term that people edit; an update gives only those it changes."""

    scheme: str  # a Scheme value; fixed once the term exists
    code: str
    label_en: str
    label_ru: str
    short_label_en: str
    short_label_ru: str
    description_en: str
    description_ru: str
    parent: Term | None
    aliases: list[str]
    position: int
    is_active: bool


class AgencyData(TypedDict, total=False):
    """The fields of an agency an update may change."""

    code: str
    name_en: str
    name_ru: str
    state: Term | str | None  # a State term or its ISO 3166 alpha-3 code
    is_active: bool


_SEARCHED_LABELS = ("label_en", "label_ru", "short_label_en", "short_label_ru")


def _search_text(code: str, fields: Mapping[str, Any]) -> str:
    """What a term with this code and these labels and aliases is found by."""
    return search_key(code, *(fields[name] for name in _SEARCHED_LABELS), *fields["aliases"])


def term_search_text(term: Term) -> str:
    fields = {name: getattr(term, name) for name in (*_SEARCHED_LABELS, "aliases")}
    return _search_text(term.code, fields)


def _require_vocabulary_manager(actor: User | None) -> None:
    # actor None is the system itself (a management command); people must be administrators.
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied(_("Only administrators may change vocabularies and agencies."))


# Loading


def vocabularies_load(
    *,
    data_dir: str | Path | None = None,
    progress: bool = False,
    stdout: IO[str] | None = None,
    actor: User | None = None,
    builtin_dir: str | Path | None = None,
) -> LoadCounts:
    """Load every vocabulary from the built-in files and from data_dir; idempotent.

    data_dir defaults to ``settings.SHARED_DATA_DIR`` when that exists; without it only the
    built-in vocabularies are loaded. A data_dir given explicitly must exist.

    Terms are matched by scheme and code: new ones are created, changed ones updated, the rest
    left alone (a second run writes nothing). Everything happens in one transaction, so a
    malformed file (``VocabularyFileError``, naming the file and line) leaves the database as it
    was. A load that wrote terms refreshes their planner statistics. Returns
    ``{scheme: {"created": n, "updated": n, "unchanged": n}}`` in load order.
    """
    _require_vocabulary_manager(actor)
    if data_dir is not None:
        data_dir = Path(data_dir)
        if not data_dir.is_dir():
            raise VocabularyFileError(data_dir, None, "data directory not found")
    elif settings.SHARED_DATA_DIR.is_dir():
        data_dir = Path(settings.SHARED_DATA_DIR)
    elif stdout is not None:
        # A fresh install without the shared data still gets every built-in vocabulary.
        stdout.write(
            f"no data directory at {settings.SHARED_DATA_DIR}: built-in vocabularies only\n"
        )
    builtin_dir = Path(builtin_dir or BUILTIN_DIR)
    with tqdm(
        total=(len(SOURCE_NAMES) if data_dir is not None else 1) + 1,
        desc="vocabularies",
        unit="step",
        file=sys.stderr,
        disable=not progress,
    ) as bar:
        sources_started: list[str] = []

        def on_source(name: str) -> None:
            if sources_started:  # the previous source is done
                bar.update(1)
            sources_started.append(name)
            bar.set_postfix_str(name)
            if stdout is not None:
                stdout.write(f"reading {name}\n")

        records = read_all(data_dir, builtin_dir=builtin_dir, on_source=on_source)
        bar.update(1)
        bar.set_postfix_str("saving")
        counts = _save_records(records, actor=actor)
        bar.update(1)
    if any(row["created"] or row["updated"] for row in counts.values()):
        refresh_planner_statistics(table_names(Term))
    return counts


def _check(record: TermRecord) -> None:
    limits = {
        "code": Term._meta.get_field("code").max_length,
        "label_en": Term._meta.get_field("label_en").max_length,
        "label_ru": Term._meta.get_field("label_ru").max_length,
        "short_label_en": Term._meta.get_field("short_label_en").max_length,
        "short_label_ru": Term._meta.get_field("short_label_ru").max_length,
    }
    for name, limit in limits.items():
        if limit is not None and len(getattr(record, name)) > limit:
            raise record.error(f"{record.code}: {name} is longer than {limit} characters")


def _in_dependency_order(records: Sequence[TermRecord]) -> list[TermRecord]:
    """The records with every parent before its children; refuses duplicates and cycles."""
    by_key: dict[tuple[str, str], TermRecord] = {}
    for record in records:
        _check(record)
        first = by_key.get(record.key)
        if first is not None:
            where = f"{first.path.name}:{first.line}" if first.path else "another file"
            raise record.error(f"duplicate code {record.code!r} in {record.scheme} ({where})")
        by_key[record.key] = record

    depths: dict[tuple[str, str], int] = {}

    def depth(record: TermRecord, visiting: tuple[tuple[str, str], ...] = ()) -> int:
        if record.key in depths:
            return depths[record.key]
        if record.key in visiting:
            raise record.error(f"{record.code!r} is its own ancestor")
        parent = by_key.get(record.parent_key)
        depths[record.key] = 0 if parent is None else 1 + depth(parent, (*visiting, record.key))
        return depths[record.key]

    return sorted(records, key=depth)


def _values(record: TermRecord, parent: Term | None) -> dict[str, Any]:
    return {
        "label_en": record.label_en,
        "label_ru": record.label_ru,
        "short_label_en": record.short_label_en,
        "short_label_ru": record.short_label_ru,
        "description_en": record.description_en,
        "description_ru": record.description_ru,
        "parent": parent,
        "aliases": list(record.aliases),
        "position": record.position,
    }


def _differs(term: Term, name: str, value: Any) -> bool:
    if name == "parent":
        return term.parent_id != (value.pk if value is not None else None)
    return getattr(term, name) != value


def _save_records(records: Sequence[TermRecord], *, actor: User | None) -> LoadCounts:
    counts: LoadCounts = {}
    for record in records:
        counts.setdefault(record.scheme, {"created": 0, "updated": 0, "unchanged": 0})
    with transaction.atomic():
        terms = {
            (term.scheme, term.code): term
            for term in Term.objects.filter(scheme__in=list(counts)).select_related("parent")
        }
        for record in _in_dependency_order(records):
            parent = None
            if record.parent_key:
                parent = terms.get(record.parent_key)
                if parent is None:
                    raise record.error(
                        f"{record.code}: unknown parent {record.parent_code!r} "
                        f"in {record.parent_scheme}"
                    )
            values = _values(record, parent)
            note = f"load-vocabularies: {_source_name(record)}"
            term = terms.get(record.key)
            if term is None:
                term = Term(scheme=record.scheme, code=record.code, **values)
                with audited(
                    actor, term, LOADED_FIELDS, action=AuditEntry.Action.CREATE, note=note
                ):
                    term.search_text = term_search_text(term)
                    term.save()
                terms[record.key] = term
                counts[record.scheme]["created"] += 1
                continue
            changed = [name for name, value in values.items() if _differs(term, name, value)]
            search_text = _search_text(term.code, values)
            if not changed and search_text == term.search_text:
                # Nothing is written, not even a savepoint: a second load costs one query.
                counts[record.scheme]["unchanged"] += 1
                continue
            with audited(actor, term, LOADED_FIELDS, note=note):
                for name in changed:
                    setattr(term, name, values[name])
                if search_text != term.search_text:
                    term.search_text = search_text
                    changed.append("search_text")
                term.save(update_fields=changed)
            counts[record.scheme]["updated"] += 1
    return counts


def _source_name(record: TermRecord) -> str:
    return record.path.name if record.path else ""


# Terms edited by hand (the admin site)

_EDITABLE_TERM_FIELDS = (*TERM_FIELDS, "code")


def _others(matches: QuerySet[_Model], obj: _Model | None) -> bool:
    """Whether anything but obj (None: anything at all) matches."""
    if obj is not None:
        matches = matches.exclude(pk=obj.pk)
    return matches.exists()


def _validated_term_data(data: TermData, *, term: Term | None = None) -> tuple[str, dict[str, Any]]:
    """Cleaned term fields from data, or ValidationError with a message per field."""
    errors: dict[str, list[str]] = {}
    scheme = data.get("scheme", term.scheme if term else "")
    if scheme not in Scheme.values:
        errors["scheme"] = [_("Choose a known vocabulary.")]
    code = str(data.get("code", term.code if term else "") or "").strip()
    if not code:
        errors["code"] = [_("A term needs a code.")]
    elif scheme in Scheme.values and _others(Term.objects.filter(scheme=scheme, code=code), term):
        errors["code"] = [_("Another term of this vocabulary already has this code.")]
    label_en = str(data.get("label_en", term.label_en if term else "") or "").strip()
    if not label_en:
        errors["label_en"] = [_("A term needs an English label.")]
    aliases = data.get("aliases", term.aliases if term else [])
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        errors["aliases"] = [_("Aliases must be a list of texts.")]
    parent = data.get("parent", term.parent if term else None)
    if parent is not None and term is not None:
        ancestor: Term | None = parent
        while ancestor is not None:
            if ancestor.pk == term.pk:
                errors["parent"] = [_("A term cannot be its own parent or ancestor.")]
                break
            ancestor = ancestor.parent
    if errors:
        raise ValidationError(errors)
    given: dict[str, Any] = dict(data)
    cleaned = {
        name: given[name] for name in _EDITABLE_TERM_FIELDS if name in given and name != "code"
    }
    cleaned.update(code=code, label_en=label_en, aliases=aliases)
    for name in TERM_TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = str(cleaned[name] or "").strip()
    return scheme, cleaned


def term_create(*, actor: User | None, data: TermData) -> Term:
    _require_vocabulary_manager(actor)
    scheme, cleaned = _validated_term_data(data)
    term = Term(scheme=scheme, **cleaned)
    with audited(actor, term, _EDITABLE_TERM_FIELDS, action=AuditEntry.Action.CREATE):
        term.search_text = term_search_text(term)
        term.save()
    return term


def term_update(*, actor: User | None, term: Term, data: TermData) -> Term:
    _require_vocabulary_manager(actor)
    _scheme, cleaned = _validated_term_data(data, term=term)
    with audited(actor, term, _EDITABLE_TERM_FIELDS, skip_unchanged=True):
        for name, value in cleaned.items():
            setattr(term, name, value)
        term.search_text = term_search_text(term)
        term.save()
    return term


# Agencies


def _validated_agency(
    *,
    code: str,
    name_en: str,
    name_ru: str,
    state: Term | str | None,
    agency: Agency | None = None,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    try:
        validate_slug(code)
    except ValidationError:
        errors["code"] = [_("Use only letters, numbers, hyphens and underscores.")]
    else:
        if _others(Agency.objects.filter(code=code), agency):
            errors["code"] = [_("Another agency already has this code.")]
    name_en = (name_en or "").strip()
    if not name_en:
        errors["name_en"] = [_("An agency needs an English name.")]
    if isinstance(state, str):
        state = Term.objects.filter(scheme=Scheme.STATE, code=state.strip().upper()).first()
        if state is None:
            errors["state"] = [_("No State has this code.")]
    elif state is not None and state.scheme != Scheme.STATE:
        errors["state"] = [_("Choose a State.")]
    if errors:
        raise ValidationError(errors)
    return {"code": code, "name_en": name_en, "name_ru": (name_ru or "").strip(), "state": state}


def agency_create(
    *,
    actor: User | None,
    code: str,
    name_en: str,
    name_ru: str = "",
    state: Term | str | None = None,
) -> Agency:
    """Create a government agency; ``state`` is a State term or its ISO 3166 alpha-3 code."""
    _require_vocabulary_manager(actor)
    fields = _validated_agency(code=code, name_en=name_en, name_ru=name_ru, state=state)
    agency = Agency(**fields)
    with audited(actor, agency, AGENCY_FIELDS, action=AuditEntry.Action.CREATE):
        agency.save(force_insert=True)
    return agency


def agency_update(*, actor: User | None, agency: Agency, data: AgencyData) -> Agency:
    """Change an agency's code, names, State or active flag (keys of data that are present)."""
    _require_vocabulary_manager(actor)
    fields = _validated_agency(
        code=data.get("code", agency.code),
        name_en=data.get("name_en", agency.name_en),
        name_ru=data.get("name_ru", agency.name_ru),
        state=data.get("state", agency.state),
        agency=agency,
    )
    fields["is_active"] = bool(data.get("is_active", agency.is_active))
    with audited(actor, agency, AGENCY_FIELDS, skip_unchanged=True):
        for name, value in fields.items():
            setattr(agency, name, value)
        agency.save()
    return agency
