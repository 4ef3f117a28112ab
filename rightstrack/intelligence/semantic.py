"""Ranking recommendations by meaning: dense vectors of every text, compared with a query's.

By default the vectors are latent semantic analysis (LSA): TF-IDF reduced to 256 dimensions by
a truncated SVD, float32 and of unit length, so "torture in police custody" also finds
"ill-treatment of detainees by law enforcement officers". With the ``semantic`` extra they are
all-MiniLM-L6-v2 sentence embeddings. A query is one matrix-vector product over the candidates
(those the search facets left), and ``fuse_rankings`` merges that ranking with the full-text
one (reciprocal rank fusion), so exact words still count.
"""

import re
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from . import embeddings
from .indexes import (
    SEMANTIC_INDEX,
    in_chunks,
    index_path,
    indexed_texts,
    load_named,
    save_built,
)

INDEX_NAME = SEMANTIC_INDEX
DIMENSIONS = 256
# The SVD is learnt from a sample: more texts add little to the topics but cost much time.
SVD_SAMPLE = 60000
RRF_K = 60
_WORD = re.compile(r"[^\W\d_]{2,}")


def _tokens(text):
    # Words and five-letter prefixes, so "torture" and "tortured" share a dimension.
    words = _WORD.findall(text.lower())
    return words + [f"~{word[:5]}" for word in words if len(word) > 5]


@dataclass
class SemanticIndex:
    # The attributes with one row per id, which a segment of newer rows extends (indexes.py).
    ROW_FIELDS = ("vectors",)

    ids: np.ndarray
    vectors: np.ndarray
    kind: str
    tfidf: TfidfVectorizer | None = None
    svd: TruncatedSVD | None = None
    built_at: object = None
    info: dict = field(default_factory=dict)

    @classmethod
    def build(cls, items, *, use_embeddings=None, dimensions=DIMENSIONS, progress=None):
        items = sorted(items)
        ids = np.array([pk for pk, _text in items], dtype=np.int64)
        texts = [text for _pk, text in items]
        if use_embeddings is None:
            use_embeddings = embeddings.available()
        if use_embeddings:
            chunks = [embeddings.encode(chunk) for chunk in in_chunks(texts, 2000, progress)]
            vectors = np.vstack(chunks) if chunks else np.zeros((0, embeddings.DIMENSIONS))
            index = cls(ids=ids, vectors=vectors.astype(np.float32), kind="minilm")
        else:
            index = cls._build_lsa(ids, texts, dimensions, progress)
        index.built_at = timezone.now()
        index.info = {"items": len(ids), "kind": index.kind, "dimensions": index.vectors.shape[1]}
        return index

    @classmethod
    def _build_lsa(cls, ids, texts, dimensions, progress):
        tfidf = TfidfVectorizer(
            analyzer=_tokens,
            sublinear_tf=True,
            min_df=2 if len(texts) >= 100 else 1,
            # With a single text every word is in all of them.
            max_df=0.5 if len(texts) >= 2 else 1.0,
            dtype=np.float32,
        )
        rng = np.random.default_rng(0)
        sample = (
            rng.choice(len(texts), SVD_SAMPLE, replace=False)
            if len(texts) > SVD_SAMPLE
            else np.arange(len(texts))
        )
        sample_matrix = tfidf.fit_transform([texts[i] for i in sample])
        components = max(1, min(dimensions, sample_matrix.shape[1] - 1, len(sample) - 1))
        svd = TruncatedSVD(n_components=components, algorithm="randomized", random_state=0)
        svd.fit(sample_matrix)
        index = cls(
            ids=ids, vectors=np.zeros((0, components), np.float32), kind="lsa", tfidf=tfidf, svd=svd
        )
        chunks = [index.embed(chunk) for chunk in in_chunks(texts, 20000, progress)]
        index.vectors = np.vstack(chunks) if chunks else index.vectors
        return index

    def __len__(self):
        return len(self.ids)

    def segment_rows(self, texts):
        """The rows of new texts in this index's space, by ROW_FIELDS name (for a segment)."""
        return {"vectors": self.embed(texts)}

    def embed(self, texts):
        """Unit-length float32 vectors of texts, in this index's space."""
        texts = list(texts)
        if self.kind == "minilm":
            return embeddings.encode(texts)
        reduced = self.svd.transform(self.tfidf.transform(texts)).astype(np.float32)
        norms = np.linalg.norm(reduced, axis=1, keepdims=True)
        return reduced / np.where(norms == 0, 1, norms)

    def rows_of(self, ids):
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self.ids) or not len(ids):
            return np.zeros(0, dtype=np.int64)
        found = np.clip(np.searchsorted(self.ids, ids), 0, len(self.ids) - 1)
        return found[self.ids[found] == ids]

    def query_scores(self, query):
        """Cosine score of every indexed text for the query (None for an empty query)."""
        if not query or not query.strip() or not len(self.ids):
            return None
        return self.vectors @ self.embed([query])[0]

    def best(self, scores, *, limit, rows=None):
        """[(id, score)] of the best ``limit`` rows (all, or those given), best first."""
        if rows is not None:
            if not len(rows):
                return []
            scores = scores[rows]
        limit = min(limit, len(scores))
        if limit <= 0:
            return []
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top], kind="stable")]
        positions = top if rows is None else rows[top]
        return [(int(self.ids[p]), float(s)) for p, s in zip(positions, scores[top], strict=True)]

    def rank(self, query, *, candidate_ids=None, limit=100):
        """[(id, score)] of the best ``limit`` candidates for the query, best first."""
        scores = self.query_scores(query)
        if scores is None:
            return []
        rows = None
        if candidate_ids is not None:
            rows = self.rows_of(np.fromiter(candidate_ids, dtype=np.int64))
        return self.best(scores, limit=limit, rows=rows)


def index_file():
    return index_path(INDEX_NAME)


def build_index(
    *, recommendations=None, use_embeddings=None, path=None, progress=None, built_at=None
):
    built_at = built_at or timezone.now()
    items = indexed_texts(recommendations)
    index = SemanticIndex.build(items, use_embeddings=use_embeddings, progress=progress)
    return save_built(index, path or index_file(), built_at=built_at)


def load_semantic_index(path=None):
    """The semantic index with its segment of newer rows (the one at ``path`` alone)."""
    return load_named(INDEX_NAME, path, expected_type=SemanticIndex, command="similarity build")


def semantic_rank(*, query, candidate_ids=None, limit=100, index=None):
    """[(recommendation id, score)] ranked by meaning, best first.

    ``candidate_ids``: the ids to rank (e.g. those the search facets kept; any iterable of
    ints, or a queryset of ``values_list("id", flat=True)``); None ranks everything indexed.
    Recommendations added after the index was built are not ranked until it is rebuilt.
    """
    index = index or load_semantic_index()
    if candidate_ids is not None and hasattr(candidate_ids, "values_list"):
        candidate_ids = candidate_ids.values_list("pk", flat=True)
    if candidate_ids is not None:
        candidate_ids = list(candidate_ids)
    return index.rank(query, candidate_ids=candidate_ids, limit=limit)


def fuse_rankings(*rankings, k=RRF_K, limit=None):
    """Reciprocal rank fusion of id rankings (lists of ids, or of (id, score)): [(id, score)]."""
    fused = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            pk = item[0] if isinstance(item, tuple | list) else item
            fused[pk] = fused.get(pk, 0.0) + 1.0 / (k + rank)
    ordered = sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))
    return ordered[:limit] if limit else ordered


def hybrid_rank(*, query, candidate_ids=None, text_ranked_ids=(), limit=100, depth=200, index=None):
    """[(id, fused score)]: the ranking by meaning fused with a full-text ranking.

    ``candidate_ids``: the ids the facets kept (None: all); ``text_ranked_ids``: those of them
    matching the words, best first (the full-text search's order). The best ``depth`` of each
    ranking take part in the fusion; the best ``limit`` of the fused list are returned.
    """
    ranked = semantic_rank(
        query=query, candidate_ids=candidate_ids, limit=max(limit, depth), index=index
    )
    return fuse_rankings(ranked, list(text_ranked_ids)[:depth], limit=limit)
