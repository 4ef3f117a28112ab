"""The work of the index jobs: build both indexes over every recommendation, or bring them up
to date with a segment of the recommendations added or changed since (see indexes.py)."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from rightstrack.recommendations.models import Recommendation

from . import semantic, similarity
from .indexes import (
    IndexNotBuilt,
    Segment,
    base_of,
    drop_segment,
    index_path,
    indexes_built,
    load_index,
    save_segment,
    writing_indexes,
)

# The two indexes: (name, module, index class).
INDEXES = (
    (similarity.INDEX_NAME, similarity, similarity.SimilarityIndex),
    (semantic.INDEX_NAME, semantic, semantic.SemanticIndex),
)
# A segment may hold up to this share of its index (or SEGMENT_MINIMUM rows, whichever is
# more) before the index is built anew: a segment's rows use the vocabulary and topics learnt
# from the older texts, and every reader merges it into the index in memory.
SEGMENT_SHARE = 0.10
SEGMENT_MINIMUM = 2000
CHUNK = 5000


def build_indexes(*, progress=None, use_embeddings=None) -> dict[str, dict]:
    """Build both indexes over every recommendation and drop their segments. ``progress(done,
    total)`` counts the texts of both builds together."""
    with writing_indexes():
        built_at = timezone.now()
        count = Recommendation.objects.count()
        results = {}
        for position, (name, module, _type) in enumerate(INDEXES):

            def step(done, total, offset=position * count):
                if progress:
                    progress(offset + min(done, count), 2 * count)

            index = module.build_index(
                use_embeddings=use_embeddings, progress=step, built_at=built_at
            )
            drop_segment(name)
            results[name] = dict(index.info)
        if progress:
            progress(2 * count, 2 * count)
        return results


@dataclass
class Update:
    """What an update did: the rows in each index's segment; ``rebuild``: a segment would
    outgrow its share, so the indexes must be built anew instead (nothing was written)."""

    rows: dict[str, int]
    rebuild: bool = False


def update_indexes(*, progress=None) -> Update:
    """Rewrite each index's segment with the recommendations added or changed since the index
    was built, vectorised in its space; the index itself is not rewritten. Raises IndexNotBuilt
    when an index has not been built yet."""
    with writing_indexes():
        loaded = []
        for name, _module, index_type in INDEXES:
            index = load_index(
                index_path(name), expected_type=index_type, command="similarity build"
            )
            newer = Recommendation.objects.filter(
                Q(pk__gt=int(index.ids.max()) if len(index.ids) else 0)
                | Q(updated_at__gt=index.built_at)
            )
            ids = list(newer.order_by("pk").values_list("pk", flat=True))
            if len(ids) > max(SEGMENT_MINIMUM, SEGMENT_SHARE * len(index)):
                return Update(rows={}, rebuild=True)
            loaded.append((name, index, ids))
        total = sum(len(ids) for _name, _index, ids in loaded)
        done = 0
        rows = {}
        for name, index, ids in loaded:
            parts: dict[str, list] = {field: [] for field in index.ROW_FIELDS}
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                texts = dict(Recommendation.objects.filter(pk__in=chunk).values_list("pk", "text"))
                present = [pk for pk in chunk if pk in texts]
                done += len(chunk)
                if not present:
                    continue
                vectors = index.segment_rows([texts[pk] for pk in present])
                for field in index.ROW_FIELDS:
                    parts[field].append((present, vectors[field]))
                if progress:
                    progress(done, total)
            save_segment(name, _segment(index, parts))
            rows[name] = len(ids)
        return Update(rows=rows)


def _segment(index, parts) -> Segment:
    import numpy as np
    import scipy.sparse as sp

    ids: list[int] = []
    rows: dict[str, object] = {}
    for field, chunks in parts.items():
        ids = [pk for present, _vectors in chunks for pk in present]
        blocks = [vectors for _present, vectors in chunks if vectors is not None]
        if not chunks or len(blocks) < len(chunks):
            rows[field] = None
        elif sp.issparse(blocks[0]):
            rows[field] = sp.vstack(blocks, format="csr")
        else:
            rows[field] = np.vstack(blocks)
    return Segment(base=base_of(index), ids=np.asarray(ids, dtype=np.int64), rows=rows)


__all__ = ["IndexNotBuilt", "Update", "build_indexes", "indexes_built", "update_indexes"]
