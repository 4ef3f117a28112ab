"""Where the built indexes live (``var/models/``), a per-process cache of the loaded ones, and
the segment of newer rows that keeps an index current without rewriting it.

An index (similarity, semantic) is built over every recommendation by a job (or the command
``rightstrack similarity build``); its vocabulary and topics are learnt from all texts at once.
Recommendations added or changed since are vectorised with that index's own vectorisers into a
*segment*, a small file beside it (``<name>-new.joblib``) that each update rewrites; a reader
gets the index with its segment merged in. When the segment grows past a share of the index, a
full build (in the background, by a job) replaces both. The cache notices a newer file by its
modification time and loads it on the next request.
"""

import contextlib
import dataclasses
import fcntl
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .tagging.store import models_dir

_lock = threading.Lock()
_loaded: dict[object, object] = {}


# The two indexes (similarity.py's, semantic.py's), named here so that whether they are built
# is known without loading scikit-learn (semantic.py's): an import asks after it has written.
SIMILARITY_INDEX = "similarity"
SEMANTIC_INDEX = "semantic"


class IndexNotBuilt(FileNotFoundError):
    pass


def index_path(name):
    return models_dir() / f"{name}.joblib"


def indexes_built() -> bool:
    return all(index_path(name).exists() for name in (SIMILARITY_INDEX, SEMANTIC_INDEX))


def segment_path(name):
    return models_dir() / f"{name}-new.joblib"


@contextlib.contextmanager
def writing_indexes():
    """Held while an index or a segment is written: one writer at a time, across processes
    (two workers updating the same segment, an update while a build replaces the index)."""
    directory = models_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".indexes.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def save_index(index, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    import joblib  # loaded where an index is saved or read, not in every web process

    joblib.dump(index, temporary)
    temporary.replace(path)
    forget(path)
    return path


def save_built(index, path, *, built_at):
    """Save a freshly built index, stamped with when its texts were read (what changed after
    goes to its segment)."""
    index.built_at = built_at
    save_index(index, path)
    return index


def indexed_texts(recommendations=None):
    """[(id, text)] of ``recommendations`` (default: all of them), what an index is built over."""
    from rightstrack.recommendations.models import Recommendation

    queryset = recommendations if recommendations is not None else Recommendation.objects.all()
    return list(queryset.order_by("pk").values_list("pk", "text").iterator(chunk_size=5000))


def in_chunks(texts, size, progress=None):
    """``texts`` ``size`` at a time (an index is built over hundreds of thousands), with
    ``progress(done, total)`` told after each chunk is dealt with."""
    for start in range(0, len(texts), size):
        yield texts[start : start + size]
        if progress:
            progress(min(start + size, len(texts)), len(texts))


def _stamp(path):
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def load_index(path, *, expected_type, command):
    """The index at path, loaded once per process and again when the file changes."""
    path = Path(path)
    stamp = _stamp(path)
    if stamp is None:
        raise IndexNotBuilt(f"no index at {path}; build it with `rightstrack {command}`")
    with _lock:
        cached = _loaded.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
    # Only files this program wrote under var/models are loaded (joblib files are pickles).
    import joblib

    index = joblib.load(path)
    if not isinstance(index, expected_type):
        raise IndexNotBuilt(f"{path} is not a {expected_type.__name__}")
    with _lock:
        _loaded[path] = (stamp, index)
    return index


@dataclass
class Segment:
    """Rows vectorised with an index's own vectorisers, for recommendations added or changed
    since that index was built. ``base`` names the index they belong to (its build time): a
    segment left from an older index is ignored."""

    base: str
    ids: np.ndarray
    # Row-aligned arrays, by the name of the index's attribute they extend (ROW_FIELDS).
    rows: dict


def base_of(index):
    return index.built_at.isoformat() if index.built_at is not None else ""


def load_segment(name, index):
    """The segment of ``index`` (None when there is none, or it belongs to another index)."""
    path = segment_path(name)
    stamp = _stamp(path)
    if stamp is None:
        return None
    key = ("segment", path)
    with _lock:
        cached = _loaded.get(key)
        segment = cached[1] if cached and cached[0] == stamp else None
    if segment is None:
        try:
            import joblib

            segment = joblib.load(path)
        except FileNotFoundError:
            return None
        if not isinstance(segment, Segment):
            return None
        with _lock:
            _loaded[key] = (stamp, segment)
    return segment if segment.base == base_of(index) else None


def save_segment(name, segment):
    return save_index(segment, segment_path(name))


def drop_segment(name):
    segment_path(name).unlink(missing_ok=True)
    forget(segment_path(name))


def load_named(name, path=None, *, expected_type, command):
    """The index at ``path`` alone when one is given, else the current index ``name`` with its
    segment of newer rows."""
    if path is not None:
        return load_index(path, expected_type=expected_type, command=command)
    return load_current(name, expected_type=expected_type, command=command)


def load_current(name, *, expected_type, command):
    """The index ``name`` with its segment merged in: what readers use (cached per process
    until either file changes)."""
    index = load_index(index_path(name), expected_type=expected_type, command=command)
    segment = load_segment(name, index)
    if segment is None or not len(segment.ids):
        return index
    key = ("current", name)
    with _lock:
        cached = _loaded.get(key)
        if cached and cached[0] == (id(index), id(segment)):
            return cached[1]
    current = extended(index, segment)
    with _lock:
        _loaded[key] = ((id(index), id(segment)), current)
    return current


def extended(index, segment):
    """A copy of ``index`` whose rows of the segment's ids are the segment's (added, or in
    place of the index's own), ids kept in order."""
    keep = ~np.isin(index.ids, segment.ids)
    ids = np.concatenate([index.ids[keep], segment.ids])
    appended = (
        keep.all()
        and (not len(index.ids) or int(segment.ids.min()) > int(index.ids.max()))
        and bool(np.all(np.diff(segment.ids) > 0))
    )
    order = None if appended else np.argsort(ids, kind="stable")
    import scipy.sparse as sp  # loaded where a segment is merged, not in every web process

    changes = {"ids": ids if order is None else ids[order]}
    for name in index.ROW_FIELDS:
        old, new = getattr(index, name, None), segment.rows.get(name)
        if old is None or new is None:
            changes[name] = None
            continue
        kept = old if keep.all() else old[keep]
        if sp.issparse(old):
            stacked = sp.vstack([kept, new], format="csr", dtype=old.dtype)
        else:
            stacked = np.vstack([kept, np.asarray(new, dtype=old.dtype)])
        changes[name] = stacked if order is None else stacked[order]
    info = {**index.info, "items": len(ids), "segment": len(segment.ids)}
    return dataclasses.replace(index, **changes, info=info)


def forget(path=None):
    with _lock:
        if path is None:
            _loaded.clear()
        else:
            _loaded.pop(Path(path), None)
            _loaded.pop(("segment", Path(path)), None)
