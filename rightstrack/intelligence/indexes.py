"""Where the built indexes live (``var/models/``) and a per-process cache of the loaded ones.

An index is rebuilt by a command while the web server keeps running; the cache notices a newer
file by its modification time and loads it on the next request.
"""

import threading
from pathlib import Path

import joblib

from .tagging.store import models_dir

_lock = threading.Lock()
_loaded: dict[object, object] = {}


class IndexNotBuilt(FileNotFoundError):
    pass


def index_path(name):
    return models_dir() / f"{name}.joblib"


def save_index(index, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    joblib.dump(index, temporary)
    temporary.replace(path)
    forget(path)
    return path


def load_index(path, *, expected_type, command):
    """The index at path, loaded once per process and again when the file changes."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise IndexNotBuilt(f"no index at {path}; build it with `rightstrack {command}`") from None
    with _lock:
        cached = _loaded.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
    # Only files this program wrote under var/models are loaded (joblib files are pickles).
    index = joblib.load(path)
    if not isinstance(index, expected_type):
        raise IndexNotBuilt(f"{path} is not a {expected_type.__name__}")
    with _lock:
        _loaded[path] = (stamp, index)
    return index


def forget(path=None):
    with _lock:
        if path is None:
            _loaded.clear()
        else:
            _loaded.pop(Path(path), None)
