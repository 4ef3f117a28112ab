"""One recommendation, several sources: standing values, merging and undoing a merge.

A recommendation reaches us from several sources: the UPR Working Group report (numbered,
several States' wordings), OHCHR's thematic list (same numbers, positions from the addendum),
UPR Info (one row per recommending State, no number), UHRI. Each is a ``SourceRecord`` kept as
its source gave it; the recommendation holds the *standing* values, worked out here:

- Precedence: a UN document stands over a thematic list, which stands over a database export
  (``SOURCE_PRECEDENCE``); among sources of one kind, the first one imported stands.
- Sources are folded from the lowest precedence up, each one's values over the others', except
  that a source never blanks out a value another gave, and a "pending" position ("will be
  examined", as the Working Group report says) never overrides a definite one (the State's later
  response, as UPR Info and thematic lists record it).
- The recommending States are those of every source; so are the imported tags.
- The sources *disagree* when they give different definite positions or different dates.

Merging moves the merged recommendation's sources and every row of another table that points at
it (found through ``Recommendation._meta.related_objects``, so the apps above this one need not
be named here) onto the target, records what moved in a ``RecommendationMerge``, and deletes the
merged recommendation; undoing brings it back under its id with everything that moved.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audit_record
from rightstrack.core.rows import rows_in
from rightstrack.core.types import User

from .models import (
    SOURCE_PRECEDENCE,
    DocumentKind,
    MatchCandidate,
    Position,
    Recommendation,
    RecommendationMerge,
    RecommendationTag,
    SourceKind,
    SourceRecord,
    TagSource,
    TagStatus,
)

# The values a source gives and a recommendation holds as standing values.
STANDING_FIELDS = (
    "state_id",
    "mechanism_id",
    "document_id",
    "number",
    "annotation_type",
    "date",
    "cycle",
    "session",
    "text",
    "wordings",
    "position",
    "position_source",
    "action_category_id",
)
DEFINITE_POSITIONS = {Position.SUPPORTED, Position.SUPPORTED_IN_PART, Position.NOTED}
EMPTY: tuple[object, ...] = (None, "", [])
# Models that point at recommendations for the bookkeeping of sources, not for people's work:
# a merge handles them itself.
_OWN_MODELS = (SourceRecord, MatchCandidate, RecommendationMerge)
_UN_DOCUMENT_KINDS = {
    DocumentKind.UPR_WORKING_GROUP_REPORT,
    DocumentKind.CONCLUDING_OBSERVATIONS,
    DocumentKind.SPECIAL_PROCEDURES_REPORT,
}


def kind_of_document(document_kind: str | None) -> str:
    """The kind of source a record of a document of ``document_kind`` is (no document: a
    database export)."""
    if document_kind in _UN_DOCUMENT_KINDS:
        return SourceKind.UN_DOCUMENT.value
    if document_kind == DocumentKind.UPR_THEMATIC_LIST:
        return SourceKind.THEMATIC_LIST.value
    return SourceKind.DATABASE_EXPORT.value


def precedence(kind: str) -> int:
    return SOURCE_PRECEDENCE.get(SourceKind(kind), len(SOURCE_PRECEDENCE))


def _apply(current: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """``values`` over ``current``, and whether the position (with its source) was taken."""
    merged = dict(current)
    took_position = False
    for name, value in values.items():
        if value in EMPTY or name == "position_source":
            continue
        if name == "position":
            if value == Position.PENDING and current.get(name) in DEFINITE_POSITIONS:
                continue
            took_position = True
            # The source of a position goes with it, never with another source's position.
            merged["position_source"] = values.get("position_source") or ""
        merged[name] = value
    if not took_position and merged.get("position") in EMPTY and values.get("position_source"):
        merged["position_source"] = values["position_source"]
    return merged, took_position


def merged_values(current: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` over ``current``, except that an empty value never blanks out what is known
    and a pending position never overrides a definite one (nor does its source)."""
    return _apply(current, values)[0]


@dataclass
class Standing:
    """A recommendation's standing values, from its sources."""

    values: dict[str, Any]
    recommending: list[int]
    tags: list[int]
    source_key: str
    # The id of the source whose position stands (None: no source gives one).
    position_from: int | None
    disagree: bool


def _order(sources: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Sources from the one that stands first."""
    return sorted(sources, key=lambda source: (precedence(source["kind"]), source["id"]))


def standing(sources: Sequence[Mapping[str, Any]]) -> Standing:
    """The standing values of a recommendation from its sources (dicts with ``id``, ``kind``,
    ``source_key``, ``recommending_states``, ``tags`` and the STANDING_FIELDS)."""
    ordered = _order(sources)
    values: dict[str, Any] = dict.fromkeys(STANDING_FIELDS)
    position_from = None
    for source in reversed(ordered):
        values, took_position = _apply(values, {name: source[name] for name in STANDING_FIELDS})
        if took_position:
            position_from = source["id"]
    for name in ("number", "annotation_type", "text", "position", "position_source"):
        if values[name] is None:
            values[name] = ""
    if values["wordings"] is None:
        values["wordings"] = []
    recommending: list[int] = []
    tags: list[int] = []
    for source in ordered:
        recommending += [pk for pk in source["recommending_states"] or () if pk not in recommending]
        tags += [pk for pk in source["tags"] or () if pk not in tags]
    positions = {source["position"] for source in sources} & DEFINITE_POSITIONS
    dates = {source["date"] for source in sources if source["date"] is not None}
    return Standing(
        values=values,
        recommending=recommending,
        tags=tags,
        source_key=ordered[0]["source_key"] if ordered else "",
        position_from=position_from,
        disagree=len(positions) > 1 or len(dates) > 1,
    )


SOURCE_COLUMNS = ("id", "recommendation_id", "kind", "source_key", "recommending_states", "tags")


def _slices(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def sources_of(recommendation_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """{recommendation id: [source as a dict]} of these recommendations."""
    found: dict[int, list[dict[str, Any]]] = {}
    # Each recommendation's sources in the order of their ids, as the default ordering gives
    # them, without its join of the recommendations and their States' terms; plain statements
    # (core/rows.py), as an import works sources out again in every step.
    for row in rows_in(
        SourceRecord,
        [*SOURCE_COLUMNS, *STANDING_FIELDS],
        key="recommendation_id",
        values=list(recommendation_ids),
        order_by=["recommendation_id", "id"],
    ):
        found.setdefault(row["recommendation_id"], []).append(row)
    return found


def ensure_sources(recommendation_ids: Sequence[int]) -> int:
    """Give each of these recommendations that has no source record one, made of its own values
    (recommendations written before sources were recorded, or by hand). Returns how many."""
    with_sources = set(
        SourceRecord.objects.filter(recommendation_id__in=recommendation_ids).values_list(
            "recommendation_id", flat=True
        )
    )
    missing = [pk for pk in recommendation_ids if pk not in with_sources]
    if not missing:
        return 0
    states = _pairs(Recommendation.recommending_states.through, missing)
    tags = _pairs(
        RecommendationTag,
        missing,
        source=TagSource.IMPORTED,
        status=TagStatus.ACCEPTED,
    )
    taken = set(
        SourceRecord.objects.filter(
            source_key__in=Recommendation.objects.filter(pk__in=missing).values("source_key")
        ).values_list("source_key", flat=True)
    )
    records = []
    for row in Recommendation.objects.filter(pk__in=missing).values(
        "id", "source_key", "document__kind", *STANDING_FIELDS
    ):
        key = row["source_key"]
        if key in taken:
            key = f"{key}#recommendation-{row['id']}"
        records.append(
            SourceRecord(
                recommendation_id=row["id"],
                source_key=key,
                kind=kind_of_document(row["document__kind"]),
                recommending_states=states.get(row["id"], []),
                tags=tags.get(row["id"], []),
                **{name: row[name] for name in STANDING_FIELDS},
            )
        )
    SourceRecord.objects.bulk_create(records, batch_size=500)
    return len(records)


def _pairs(model: type[models.Model], ids: Sequence[int], **filters: Any) -> dict[int, list[int]]:
    """{recommendation id: its term ids in the order of the rows} of ``model``'s rows."""
    found: dict[int, list[int]] = {}
    for row in rows_in(
        model,
        ["recommendation_id", "term_id"],
        key="recommendation_id",
        values=list(ids),
        equal=filters,
        order_by=["id"],
    ):
        found.setdefault(row["recommendation_id"], []).append(row["term_id"])
    return found


def update_rows(
    model: type[models.Model], changed: Sequence[tuple[int, Mapping[str, Any]]], now: Any
) -> None:
    """Write changed values of rows of ``model`` ({field name: value} by primary key) and their
    ``updated_at``, each statement setting only the columns that changed (so the full-text
    trigger runs only where the text changed), one prepared statement per set of columns run over
    its rows: Django's bulk_update builds a CASE per column and row, which cost seconds per chunk
    of an import."""
    ops = connection.ops
    fields = {name: model._meta.get_field(name) for _pk, values in changed for name in values}
    groups: dict[tuple[str, ...], list[list[Any]]] = {}
    for pk, values in changed:
        names = tuple(sorted(values))
        row = []
        for name in names:
            value = values[name]
            field = fields[name]
            if isinstance(field, models.JSONField):
                value = ops.adapt_json_value(value if value is not None else [], None)
            elif isinstance(field, models.DateTimeField):
                value = ops.adapt_datetimefield_value(value)
            elif isinstance(field, models.DateField):
                value = ops.adapt_datefield_value(value)
            row.append(value)
        groups.setdefault(names, []).append([*row, ops.adapt_datetimefield_value(now), pk])
    table = ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for names, rows in groups.items():
            columns = [str(cast(models.Field, fields[name]).column) for name in names]
            assignments = ", ".join(f"{ops.quote_name(column)} = %s" for column in columns)
            # Column names come from the model; values travel as parameters.
            sql = f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s"  # noqa: S608
            cursor.executemany(sql, rows)


def recompute(recommendation_ids: Iterable[int], *, drop_tags: bool = False) -> int:
    """Set the standing values of these recommendations from their sources; returns how many
    changed. Imported tags a source gives are added; with ``drop_tags`` (after a split or an
    undone merge) imported tags no source gives any more are removed, those people added or
    decided on stay."""
    ids = list(dict.fromkeys(recommendation_ids))
    if not ids:
        return 0
    through = Recommendation.recommending_states.through
    by_recommendation = sources_of(ids)
    # By id: the default ordering joins the States' terms to sort.
    current = {
        row["id"]: row
        for row in rows_in(
            Recommendation,
            ["id", "source_key", "sources_disagree", *STANDING_FIELDS],
            key="id",
            values=ids,
            order_by=["id"],
        )
    }
    states = _pairs(through, list(current))
    tags = _pairs(RecommendationTag, list(current))
    changed: list[tuple[int, dict[str, Any]]] = []
    replaced_states: list[int] = []
    new_states: list[Any] = []
    new_tags: list[RecommendationTag] = []
    stale_tags: list[tuple[int, list[int]]] = []
    now = timezone.now()
    for pk, row in current.items():
        sources = by_recommendation.get(pk)
        if not sources:
            continue
        result = standing(sources)
        before = {name: row[name] for name in (*STANDING_FIELDS, "source_key")}
        before["sources_disagree"] = bool(row["sources_disagree"])
        after = {
            **result.values,
            "source_key": result.source_key,
            "sources_disagree": result.disagree,
        }
        if after != before:
            changed.append(
                (pk, {name: value for name, value in after.items() if before[name] != value})
            )
        if result.recommending and result.recommending != states.get(pk, []):
            replaced_states.append(pk)
            new_states += [
                through(recommendation_id=pk, term_id=term_id) for term_id in result.recommending
            ]
        have = set(tags.get(pk, ()))
        new_tags += [
            RecommendationTag(
                recommendation_id=pk,
                term_id=term_id,
                source=TagSource.IMPORTED,
                status=TagStatus.ACCEPTED,
            )
            for term_id in result.tags
            if term_id not in have
        ]
        if drop_tags:
            stale_tags.append((pk, result.tags))
    update_rows(Recommendation, changed, now)
    if replaced_states:
        through.objects.filter(recommendation_id__in=replaced_states).delete()
        through.objects.bulk_create(new_states, batch_size=500)
    RecommendationTag.objects.bulk_create(new_tags, batch_size=500)
    for pk, kept in stale_tags:
        RecommendationTag.objects.filter(
            recommendation_id=pk,
            source=TagSource.IMPORTED,
            decided_by__isnull=True,
        ).exclude(term_id__in=kept).delete()
    return len(changed)


# --- merging ---------------------------------------------------------------------------------


@dataclass
class _Moved:
    """What a merge moved of one relation: ids of the rows repointed, rows deleted because the
    target had them already (serialized, to be restored)."""

    repointed: list[Any] = field(default_factory=list)
    deleted: list[Any] = field(default_factory=list)


def _relations() -> list[models.ForeignObjectRel]:
    return [
        relation
        for relation in Recommendation._meta.related_objects
        if relation.related_model not in _OWN_MODELS
    ]


def _model_of(relation: models.ForeignObjectRel) -> type[models.Model]:
    model = relation.related_model
    assert not isinstance(model, str)
    return model


def _relation_label(relation: models.ForeignObjectRel) -> str:
    return f"{_model_of(relation)._meta.label}.{relation.field.name}"


def _unique_partners(model: type[models.Model], field_name: str) -> list[list[str]]:
    """The other fields of each unique constraint of ``model`` that includes ``field_name``."""
    groups: list[tuple[str, ...]] = [tuple(names) for names in model._meta.unique_together]
    groups += [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
    return [
        [name for name in group if name != field_name] for group in groups if field_name in group
    ]


def _move_m2m(relation: models.ForeignObjectRel, source_id: int, target_id: int) -> _Moved:
    through = relation.through  # type: ignore[attr-defined]
    to_us = relation.field.m2m_reverse_field_name()  # type: ignore[attr-defined]
    to_them = relation.field.m2m_field_name()  # type: ignore[attr-defined]
    moved = _Moved()
    already = set(
        through.objects.filter(**{to_us: target_id}).values_list(f"{to_them}_id", flat=True)
    )
    for row_id, other_id in through.objects.filter(**{to_us: source_id}).values_list(
        "pk", f"{to_them}_id"
    ):
        if other_id in already:
            moved.deleted.append(other_id)
        else:
            moved.repointed.append(row_id)
    through.objects.filter(**{to_us: source_id, f"{to_them}_id__in": moved.deleted}).delete()
    through.objects.filter(pk__in=moved.repointed).update(**{f"{to_us}_id": target_id})
    return moved


def _move_fk(relation: models.ForeignObjectRel, source_id: int, target_id: int) -> _Moved:
    model = _model_of(relation)
    name = relation.field.name
    moved = _Moved()
    rows = model._default_manager.filter(**{name: source_id})
    conflicting: set[Any] = set()
    for partners in _unique_partners(model, name):
        if not partners:
            continue
        taken = set(model._default_manager.filter(**{name: target_id}).values_list(*partners))
        for row in rows.values("pk", *partners):
            if tuple(row[partner] for partner in partners) in taken:
                conflicting.add(row["pk"])
    if conflicting:
        doomed = model._default_manager.filter(pk__in=conflicting)
        moved.deleted = json.loads(serializers.serialize("json", doomed))
        doomed.delete()
    moved.repointed = list(rows.exclude(pk__in=conflicting).values_list("pk", flat=True))
    model._default_manager.filter(pk__in=moved.repointed).update(**{name: target_id})
    return moved


def _snapshot(recommendation: Recommendation) -> dict[str, Any]:
    values = {
        item.attname: getattr(recommendation, item.attname)
        for item in Recommendation._meta.concrete_fields
    }
    values["recommending_states"] = list(
        recommendation.recommending_states.order_by("pk").values_list("pk", flat=True)
    )
    result: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return result


def merge_into(
    *, target: Recommendation, merged: Recommendation, actor: User | None, automatic: bool
) -> RecommendationMerge:
    """Merge ``merged`` into ``target`` (see the module's docstring); audited on both."""
    if target.pk == merged.pk:
        raise ValueError("a recommendation cannot be merged into itself")
    with transaction.atomic():
        ensure_sources([target.pk, merged.pk])
        label = str(merged)[:300]
        record = RecommendationMerge(
            target=target,
            merged_id=merged.pk,
            merged_label=label,
            snapshot=_snapshot(merged),
            sources=list(merged.sources.order_by("pk").values_list("pk", flat=True)),
            automatic=automatic,
            made_by=actor if isinstance(actor, User) and actor.is_authenticated else None,
        )
        moved: dict[str, dict[str, list[Any]]] = {}
        for relation in _relations():
            move = _move_m2m if relation.many_to_many else _move_fk
            result = move(relation, merged.pk, target.pk)
            if result.repointed or result.deleted:
                moved[_relation_label(relation)] = {
                    "repointed": result.repointed,
                    "deleted": result.deleted,
                }
        record.moved = moved
        SourceRecord.objects.filter(pk__in=record.sources).update(recommendation=target)
        _repoint_candidates(merged.pk, target.pk)
        audit_record(
            actor=actor,
            obj=merged,
            action=AuditEntry.Action.DELETE,
            note=f"merged into #{target.pk}",
        )
        Recommendation.objects.filter(pk=merged.pk).delete()
        record.save()
        recompute([target.pk])
        audit_record(
            actor=actor,
            obj=target,
            action=AuditEntry.Action.UPDATE,
            changes=_sources_change(
                old=None,
                new=list(
                    SourceRecord.objects.filter(pk__in=record.sources).values_list(
                        "source_key", flat=True
                    )
                ),
            ),
            note=f"merged #{merged.pk} into this recommendation"
            + (" (import)" if automatic else ""),
        )
    return record


def _sources_change(*, old: list[str] | None, new: list[str] | None) -> dict[str, Any]:
    """An audit entry's change of a recommendation's sources (keys added or taken away)."""
    return {
        "source_records": {
            "label": str(SourceRecord._meta.verbose_name_plural),
            "old": old,
            "new": new,
        }
    }


def _repoint_candidates(old_id: int, new_id: int) -> None:
    """Review-queue entries about ``old_id`` now concern ``new_id``; an entry whose source is
    now on the recommendation it was compared with is settled."""
    candidates = MatchCandidate.objects.filter(candidate_id=old_id)
    clashing = set(
        MatchCandidate.objects.filter(candidate_id=new_id).values_list("source_id", flat=True)
    )
    candidates.filter(source_id__in=clashing).delete()
    candidates.update(candidate_id=new_id)
    MatchCandidate.objects.filter(
        candidate_id=new_id, source__recommendation_id=new_id, status=MatchCandidate.Status.OPEN
    ).update(status=MatchCandidate.Status.MERGED, decided_at=timezone.now())


class CannotUndo(Exception):
    """Why a merge cannot be undone or a source split off; ``code`` is one of
    "undone", "target-merged", "exists", "only-source"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def undo_merge(*, merge: RecommendationMerge, actor: User | None) -> Recommendation:
    """Bring the merged recommendation back as it was, with what the merge moved; returns it."""
    if merge.undone_at is not None:
        raise CannotUndo("undone")
    target = Recommendation.objects.filter(pk=merge.target_id).first()
    if target is None:
        raise CannotUndo(
            "the recommendation it was merged into was merged in turn: undo that first"
        )
    if Recommendation.objects.filter(pk=merge.merged_id).exists():
        raise CannotUndo("exists")
    with transaction.atomic():
        values = dict(merge.snapshot)
        states = values.pop("recommending_states", [])
        restored = Recommendation(
            **{
                item.attname: item.to_python(values[item.attname])
                for item in Recommendation._meta.concrete_fields
                if item.attname in values
            }
        )
        # Its standing key belongs to its sources again; set aside until they are back.
        standing_key = restored.source_key
        restored.source_key = f"restoring:{restored.pk}"
        restored.save(force_insert=True)
        restored.recommending_states.set(states)
        SourceRecord.objects.filter(pk__in=merge.sources, recommendation_id=target.pk).update(
            recommendation_id=restored.pk
        )
        relations = {_relation_label(relation): relation for relation in _relations()}
        for label, moved in merge.moved.items():
            relation = relations.get(label)
            if relation is None:
                continue
            if relation.many_to_many:
                _restore_m2m(relation, moved, target.pk, restored.pk)
            else:
                _restore_fk(relation, moved, target.pk, restored.pk)
        MatchCandidate.objects.filter(
            source__recommendation_id=restored.pk, candidate_id=target.pk
        ).update(status=MatchCandidate.Status.SEPARATE, decided_at=timezone.now())
        merge.undone_at = timezone.now()
        merge.undone_by = actor if isinstance(actor, User) and actor.is_authenticated else None
        merge.save(update_fields=["undone_at", "undone_by"])
        recompute([target.pk], drop_tags=True)
        Recommendation.objects.filter(pk=restored.pk).update(source_key=standing_key)
        recompute([restored.pk])
        restored.refresh_from_db()
        for obj, note in (
            (restored, f"merge into #{target.pk} undone"),
            (target, f"merge of #{restored.pk} into this recommendation undone"),
        ):
            audit_record(actor=actor, obj=obj, action=AuditEntry.Action.UPDATE, note=note)
    return restored


def _restore_m2m(
    relation: models.ForeignObjectRel, moved: Mapping[str, list[Any]], target_id: int, back_id: int
) -> None:
    through = relation.through  # type: ignore[attr-defined]
    to_us = relation.field.m2m_reverse_field_name()  # type: ignore[attr-defined]
    to_them = relation.field.m2m_field_name()  # type: ignore[attr-defined]
    through.objects.filter(pk__in=moved.get("repointed", []), **{to_us: target_id}).update(
        **{f"{to_us}_id": back_id}
    )
    existing = set(through.objects.filter(pk__in=[]).values_list("pk", flat=True))
    del existing
    others = [
        other
        for other in moved.get("deleted", [])
        if not through.objects.filter(**{to_us: back_id, f"{to_them}_id": other}).exists()
    ]
    through.objects.bulk_create(
        [through(**{f"{to_us}_id": back_id, f"{to_them}_id": other}) for other in others]
    )


def _restore_fk(
    relation: models.ForeignObjectRel, moved: Mapping[str, list[Any]], target_id: int, back_id: int
) -> None:
    model = _model_of(relation)
    name = relation.field.name
    model._default_manager.filter(pk__in=moved.get("repointed", []), **{name: target_id}).update(
        **{name: back_id}
    )
    deleted = moved.get("deleted", [])
    if deleted:
        for item in serializers.deserialize("json", json.dumps(deleted)):
            if not model._default_manager.filter(pk=item.object.pk).exists():
                item.save()


def split_source(*, source: SourceRecord, actor: User | None) -> Recommendation:
    """Make a source record a recommendation of its own (a wrong match); people's work stays
    with the recommendation it leaves. Returns the new recommendation."""
    old = source.recommendation
    if old.sources.count() < 2:
        raise CannotUndo("only-source")
    with transaction.atomic():
        values = {name: getattr(source, name) for name in STANDING_FIELDS}
        for name in ("number", "annotation_type", "text", "position", "position_source"):
            values[name] = values[name] or ""
        new = Recommendation(
            source_key=f"splitting:{source.pk}",
            is_published=old.is_published,
            **{**values, "wordings": values["wordings"] or []},
        )
        new.save()
        source.recommendation = new
        source.save(update_fields=["recommendation", "updated_at"])
        recompute([old.pk], drop_tags=True)
        recompute([new.pk])
        MatchCandidate.objects.get_or_create(
            source=source,
            candidate=old,
            defaults={"score": 0.0, "status": MatchCandidate.Status.SEPARATE},
        )
        new.refresh_from_db()
        audit_record(
            actor=actor,
            obj=new,
            action=AuditEntry.Action.CREATE,
            note=f"source {source.source_key} split off #{old.pk}",
        )
        audit_record(
            actor=actor,
            obj=old,
            action=AuditEntry.Action.UPDATE,
            changes=_sources_change(old=[source.source_key], new=None),
            note=f"source split off as #{new.pk}",
        )
    return new


def on_postgres() -> bool:
    return connection.vendor == "postgresql"
