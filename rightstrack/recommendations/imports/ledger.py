"""The undo log of an import that applies in short transactions (``ImportChange``).

An import of recommendations writes chunk by chunk, each chunk in a transaction of its own, so
that nobody else's save waits long for the database (SQLite has one write lock). What every
chunk changes is written down in the same transaction: the rows it created, the values before
of the rows it updated, the recommendations held it worked out again (their values, recommending
States and tag ids before), the merges it made. When the import fails half way, is cancelled,
or its worker dies, ``undo`` takes these back in reverse order, a step per transaction, each
step deleting its own entry: an undo that is itself interrupted goes on where it stopped the
next time it is run. When the import succeeds, its entries are deleted in the transaction that
records its result (``forget``).
"""

import contextlib
import datetime
import json
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from rightstrack.core.rows import rows_in

from ..models import (
    ImportBatch,
    ImportChange,
    Recommendation,
    RecommendationMerge,
    RecommendationTag,
)
from ..sources import CannotUndo, undo_merge

_Kind = ImportChange.Kind
# Rows read or written per statement while undoing.
_SLICE = 500


def _label(model: type[models.Model]) -> str:
    return model._meta.label


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times to the microsecond (it keeps milliseconds): a value put
    back is the value it was."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _plain(value: Any) -> Any:
    """``value`` as JSON gives it back (dates and times as ISO strings)."""
    return json.loads(json.dumps(value, cls=_Encoder))


def _slices(values: Sequence[Any], size: int = _SLICE) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Ledger:
    """The changes of one batch, gathered while a step writes and saved with it (``save``)."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self._pending: list[ImportChange] = []
        # Recommendations this import created, and those held whose values are noted already:
        # the values before of either are never noted (again).
        self.created_recommendations: set[int] = set()
        self._restated: set[int] = set()

    def _add(self, kind: str, model: type[models.Model], rows: list[Any]) -> None:
        if rows:
            self._pending.append(
                ImportChange(batch=self.batch, kind=kind, model=_label(model), rows=rows)
            )

    def created(self, model: type[models.Model], ids: Iterable[int]) -> None:
        ids = sorted(set(ids))
        if model is Recommendation:
            self.created_recommendations.update(ids)
        self._add(_Kind.CREATED, model, ids)

    def updated(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        """``rows``: [{"id": …, attname: value before}]."""
        self._add(_Kind.UPDATED, model, _plain(rows))

    def merged(self, merge: RecommendationMerge) -> None:
        self._add(_Kind.MERGED, RecommendationMerge, [merge.pk])

    def restating(self, recommendation_ids: Iterable[int]) -> None:
        """Note the values of these recommendations before they are worked out again (those
        held before the import, once each)."""
        ids = [
            pk
            for pk in dict.fromkeys(recommendation_ids)
            if pk not in self.created_recommendations and pk not in self._restated
        ]
        if not ids:
            return
        self._restated.update(ids)
        self._add(_Kind.RESTATED, Recommendation, recommendation_values(ids))

    def save(self) -> None:
        """Write the changes gathered; inside the transaction of the step that made them."""
        if self._pending:
            ImportChange.objects.bulk_create(self._pending)
            self._pending = []

    def discard(self) -> None:
        """Forget what a step rolled back."""
        self._pending = []


def recommendation_values(ids: Sequence[int]) -> list[dict[str, Any]]:
    """What ``_restore`` needs to put these recommendations back as they are now: their own
    values, their recommending States, the ids of their tags."""
    names = [field.attname for field in Recommendation._meta.concrete_fields]
    through = Recommendation.recommending_states.through
    ids = list(ids)
    # Plain statements (core/rows.py): an import notes these before every step's changes.
    rows: dict[int, dict[str, Any]] = {
        row["id"]: {**row, "recommending_states": [], "tag_ids": []}
        for row in rows_in(Recommendation, names, key="id", values=ids, order_by=["id"])
    }
    for row in rows_in(
        through,
        ["recommendation_id", "term_id"],
        key="recommendation_id",
        values=ids,
        order_by=["id"],
    ):
        rows[row["recommendation_id"]]["recommending_states"].append(row["term_id"])
    for row in rows_in(
        RecommendationTag, ["recommendation_id", "id"], key="recommendation_id", values=ids
    ):
        rows[row["recommendation_id"]]["tag_ids"].append(row["id"])
    return _plain(list(rows.values()))


def _values(model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    return {
        name: fields[name].to_python(value)
        for name, value in row.items()
        if name in fields and name != "id"
    }


def _restore(rows: list[dict[str, Any]]) -> None:
    through = Recommendation.recommending_states.through
    for row in rows:
        pk = row["id"]
        if not Recommendation.objects.filter(pk=pk).update(**_values(Recommendation, row)):
            continue  # deleted since by someone: nothing to put back
        states = row.get("recommending_states", [])
        if states != list(
            through.objects.filter(recommendation_id=pk)
            .order_by("pk")
            .values_list("term_id", flat=True)
        ):
            through.objects.filter(recommendation_id=pk).delete()
            through.objects.bulk_create(
                [through(recommendation_id=pk, term_id=term_id) for term_id in states]
            )
        RecommendationTag.objects.filter(recommendation_id=pk).exclude(
            pk__in=row.get("tag_ids", [])
        ).delete()


def _undo(change: ImportChange) -> None:
    model = apps.get_model(change.model)
    if change.kind == _Kind.CREATED:
        for some in _slices(change.rows):
            model._default_manager.filter(pk__in=some).delete()
    elif change.kind == _Kind.UPDATED:
        for row in change.rows:
            model._default_manager.filter(pk=row["id"]).update(**_values(model, row))
    elif change.kind == _Kind.RESTATED:
        _restore(change.rows)
    elif change.kind == _Kind.MERGED:
        for merge in RecommendationMerge.objects.filter(pk__in=change.rows):
            if merge.undone_at is None:
                # CannotUndo: undone, or brought back by hand since: nothing left to put back.
                with contextlib.suppress(CannotUndo):
                    undo_merge(merge=merge, actor=None)
            merge.delete()


def undo(
    batch: ImportBatch, *, rest: float = 0.0, alive: Callable[[], object] | None = None
) -> int:
    """Take back every change the batch's entries record, the newest first, one entry per
    transaction, resting ``rest`` times as long as it took between two (for other writers);
    ``alive()`` after each, to show the work goes on. Returns how many entries were undone;
    safe to run again."""
    undone = 0
    while True:
        started = time.monotonic()
        with transaction.atomic():
            change = ImportChange.objects.filter(batch=batch).order_by("-pk").first()
            if change is None:
                return undone
            _undo(change)
            change.delete()
        undone += 1
        if alive:
            alive()
        if rest:
            time.sleep(rest * (time.monotonic() - started))


def has_changes(batch: ImportBatch) -> bool:
    return ImportChange.objects.filter(batch=batch).exists()


def forget(batch: ImportBatch) -> None:
    """The import succeeded: its entries are no longer needed (inside the transaction that
    records its result)."""
    ImportChange.objects.filter(batch=batch).delete()
