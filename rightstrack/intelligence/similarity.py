"""How alike two recommendations are: cosine similarity of their text vectors.

A text becomes two TF-IDF blocks — word unigrams and bigrams, and words cut to their first five
letters, which makes "abolishing" meet "abolition" and "ratify" meet "ratification" without a
stemmer — each of unit length. With the ``semantic`` extra a sentence embedding is added, and the
word score is the mean of the two cosines, so paraphrases that share few words still meet.

When a UPR Info issues tagger has been trained (``rightstrack tagger train --scheme
upr-info-issues``), each text also gets a topic vector: its probability for each of the 54
issues. Within one State's recommendations (``pairwise_scores``: proposed clusters) the cosine
of the topic vectors counts for TOPIC_WEIGHT of the score, because two wordings of one
recommendation by different States share few words ("Pursue its efforts in the field of
promoting the rights of women" / "continue activities in ensuring women's rights and gender
equality") but the same issues. Measured with bench/similarity_eval.py on three sources (the
Belarus Working Group report, UPR Info's own rows for that review, the two OHCHR lists for
Slovenia) it raises how often the other wordings of a recommendation are among its 5 most
similar on all three. Across all recommendations (``nearest``) the topics are left out: there
they pull in other States' recommendations on the same issue ahead of the same wording (measured
on the report's wordings among 33,000 UPR Info recommendations: 0.17 without, 0.13 with).

The index over every recommendation is built by ``rightstrack similarity build`` and kept in
``var/models/similarity.joblib``; queries are sparse matrix products, so a recommendation's
nearest neighbours among a quarter of a million take a few milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from django.utils import timezone

if TYPE_CHECKING:
    import scipy.sparse as sp

from . import embeddings
from .indexes import (
    SIMILARITY_INDEX,
    in_chunks,
    index_path,
    indexed_texts,
    load_named,
    save_built,
)

INDEX_NAME = SIMILARITY_INDEX
PREFIX_LENGTH = 5
TOPIC_SCHEME = "upr-info-issues"
# The share of the score that comes from the topic vectors when the index has them. Chosen
# among 0.1–0.4 on the three sources of bench/similarity_eval.py, with and without sentence
# embeddings: 0.2 is best or within 0.005 of the best on each.
TOPIC_WEIGHT = 0.2
# The score (of ``nearest``) from which a recommendation counts as repeating an earlier one to
# the same State. Tuned on the Belarus Working Group report (bench/similarity_eval.py): the
# lowest score at which at least 80% of the pairs of wordings scoring above it are the same
# recommendation (listed under one number). Sentence embeddings raise every score, so they have
# their own.
REPEAT_THRESHOLD = 0.64
REPEAT_THRESHOLD_WITH_EMBEDDINGS = 0.68
_WORD = re.compile(r"[^\W\d_]{2,}")
# Only the commonest function words: the full English stop list also drops words such as
# "system", "fire" or "found" that tell recommendations apart (measured on the Belarus report).
_STOP = frozenset(
    (
        "the",
        "and",
        "for",
        "its",
        "all",
        "with",
        "that",
        "this",
        "from",
        "into",
        "their",
        "such",
        "are",
        "been",
        "has",
        "have",
        "which",
        "also",
        "other",
        "any",
        "those",
        "these",
        "more",
        "most",
        "further",
        "including",
    )
)


def prefix_tokens(text):
    return [word[:PREFIX_LENGTH] for word in _WORD.findall(text.lower()) if word not in _STOP]


class TextVectorizer:
    """Word n-grams and word prefixes, each block of unit length, side by side; optionally a
    sentence embedding and a topic vector (the issue probabilities of a trained tagger)."""

    def __init__(self, *, use_embeddings=None, topic_tagger=None):
        # scikit-learn loads where an index is built, not in every web process at start.
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.use_embeddings = embeddings.available() if use_embeddings is None else use_embeddings
        self.topic_tagger = topic_tagger
        self.words = TfidfVectorizer(
            sublinear_tf=True,
            ngram_range=(1, 2),
            min_df=1,
            max_df=0.5,
            stop_words="english",
            strip_accents="unicode",
            dtype=np.float32,
        )
        self.prefixes = TfidfVectorizer(
            sublinear_tf=True,
            analyzer=prefix_tokens,
            min_df=1,
            max_df=0.5,
            dtype=np.float32,
        )

    def fit(self, texts):
        texts = list(texts)
        if len(texts) < 2:
            # A word in half the texts is too common to tell them apart, unless there is one.
            self.words.max_df = self.prefixes.max_df = 1.0
        self.words.fit(texts)
        self.prefixes.fit(texts)
        return self

    def sparse(self, texts):
        import scipy.sparse as sp

        texts = list(texts)
        stacked = sp.hstack(
            [self.words.transform(texts), self.prefixes.transform(texts)],
            format="csr",
            dtype=np.float32,
        )
        return stacked / np.sqrt(2)

    def dense(self, texts):
        return embeddings.encode(texts) if self.use_embeddings else None

    def topics(self, texts):
        """Unit-length float32 vectors of the texts' issue probabilities (None without a
        topic tagger)."""
        tagger = getattr(self, "topic_tagger", None)
        if tagger is None:
            return None
        texts = list(texts)
        if not texts:
            return np.zeros((0, len(tagger.labels)), dtype=np.float32)
        probabilities = np.asarray(tagger.predict_proba(texts), dtype=np.float32)
        norms = np.linalg.norm(probabilities, axis=1, keepdims=True)
        return probabilities / np.where(norms == 0, 1, norms)

    def key_terms(self, texts, count=3):
        """The words and word pairs that weigh most in texts together, bigrams first: a name
        to start from for a group of recommendations."""
        matrix = self.words.transform(list(texts))
        weights = np.asarray(matrix.mean(axis=0)).ravel()
        columns = [column for column in np.argsort(-weights)[:30] if weights[column] > 0]
        if not hasattr(self, "_terms"):
            # Built once per process: the inverse of the vocabulary.
            self._terms = {index: term for term, index in self.words.vocabulary_.items()}
        ranked = [self._terms[column] for column in columns]
        chosen = []
        for term in sorted(ranked, key=lambda term: (" " not in term, ranked.index(term))):
            if any(set(term.split()) & set(other.split()) for other in chosen):
                continue
            chosen.append(term)
            if len(chosen) == count:
                break
        return chosen


class Vectors(NamedTuple):
    """The vectors of some texts: the TF-IDF rows, and (or None) their sentence embeddings and
    topic vectors."""

    sparse: sp.csr_matrix
    dense: np.ndarray | None = None
    topics: np.ndarray | None = None


@dataclass
class SimilarityIndex:
    # The attributes with one row per id, which a segment of newer rows extends (indexes.py).
    ROW_FIELDS = ("matrix", "dense", "topics")

    ids: np.ndarray
    vectorizer: TextVectorizer
    matrix: sp.csr_matrix
    dense: np.ndarray | None = None
    built_at: object = None
    info: dict = field(default_factory=dict)
    topics: np.ndarray | None = None

    @classmethod
    def build(cls, items, *, use_embeddings=None, topic_tagger=None, progress=None):
        """An index over (id, text) pairs; with ``topic_tagger`` (a trained multi-label
        tagger) the scores also compare the texts' issue probabilities."""
        items = sorted(items)
        ids = np.array([pk for pk, _text in items], dtype=np.int64)
        texts = [text for _pk, text in items]
        vectorizer = TextVectorizer(use_embeddings=use_embeddings, topic_tagger=topic_tagger)
        vectorizer.fit(texts)
        matrices, denses, topics = [], [], []
        for chunk in in_chunks(texts, 5000, progress):
            matrices.append(vectorizer.sparse(chunk))
            if vectorizer.use_embeddings:
                # Encoded first: a tagger trained with embeddings then finds them in the cache.
                denses.append(vectorizer.dense(chunk))
            if topic_tagger is not None:
                topics.append(vectorizer.topics(chunk))
        import scipy.sparse as sp

        matrix = sp.vstack(matrices, format="csr") if matrices else sp.csr_matrix((0, 0))
        return cls(
            ids=ids,
            vectorizer=vectorizer,
            matrix=matrix,
            dense=np.vstack(denses) if denses else None,
            topics=np.vstack(topics) if topics else None,
            built_at=timezone.now(),
            info={
                "items": len(ids),
                "embeddings": vectorizer.use_embeddings,
                "topics": topic_tagger is not None,
            },
        )

    def __len__(self):
        return len(self.ids)

    def segment_rows(self, texts):
        """The rows of new texts in this index's space, by ROW_FIELDS name (for a segment)."""
        vectors = self.vectors(texts=texts)
        return {"matrix": vectors.sparse, "dense": vectors.dense, "topics": vectors.topics}

    @property
    def topic_vectors(self):
        # Indexes saved before topic vectors existed have no such attribute.
        return getattr(self, "topics", None)

    @property
    def repeat_threshold(self):
        return REPEAT_THRESHOLD if self.dense is None else REPEAT_THRESHOLD_WITH_EMBEDDINGS

    def positions(self, ids):
        """Row of each id in the index, -1 where the index does not hold it."""
        ids = np.asarray(list(ids), dtype=np.int64)
        if not len(self.ids):
            return np.full(len(ids), -1)
        found = np.searchsorted(self.ids, ids)
        found = np.clip(found, 0, len(self.ids) - 1)
        return np.where(self.ids[found] == ids, found, -1)

    def vectors(self, *, ids=None, texts=None, topics=True):
        """Vectors (sparse, dense, topics) of indexed ids, or of new texts (their topic
        vectors only when ``topics`` and the index has them)."""
        if texts is not None:
            texts = list(texts)
            wanted = topics and self.topic_vectors is not None
            return Vectors(
                self.vectorizer.sparse(texts),
                self.vectorizer.dense(texts),
                self.vectorizer.topics(texts) if wanted else None,
            )
        rows = self.positions(ids)
        if (rows < 0).any():
            raise KeyError("some ids are not in the index")
        dense = self.dense[rows] if self.dense is not None else None
        topics = self.topic_vectors[rows] if self.topic_vectors is not None else None
        return Vectors(self.matrix[rows], dense, topics)

    def scores(self, sparse, dense=None, *, topics=None, rows=None):
        """Scores of query vectors against the index (or some rows of it): (q, n).

        The cosine of the TF-IDF vectors (averaged with that of the sentence embeddings when
        both sides have them), mixed with the cosine of the topic vectors (TOPIC_WEIGHT) when
        both sides have those.
        """
        matrix = self.matrix if rows is None else self.matrix[rows]
        result = np.asarray((sparse @ matrix.T).todense(), dtype=np.float32)
        if dense is not None and self.dense is not None:
            other = self.dense if rows is None else self.dense[rows]
            result = (result + dense @ other.T) / 2
        if topics is not None and self.topic_vectors is not None:
            other = self.topic_vectors if rows is None else self.topic_vectors[rows]
            result = (1 - TOPIC_WEIGHT) * result + TOPIC_WEIGHT * (topics @ other.T)
        return result

    def nearest(self, *, pk=None, text=None, k=10, exclude=()):
        """[(id, score)] of the k most similar indexed items, best first.

        By words (and sentence embeddings), without the topic vectors: across all States the
        same issue is not the same recommendation (see the module's description).
        """
        if pk is not None and self.positions([pk])[0] >= 0:
            query = self.vectors(ids=[pk])
        else:
            query = self.vectors(texts=[text or ""], topics=False)
        scores = self.scores(query.sparse, query.dense)[0]
        skip = set(exclude) | ({pk} if pk is not None else set())
        wanted = min(len(scores), k + len(skip))
        if wanted <= 0:
            return []
        top = np.argpartition(-scores, wanted - 1)[:wanted]
        top = top[np.argsort(-scores[top], kind="stable")]
        result = [
            (int(self.ids[row]), float(scores[row]))
            for row in top
            if int(self.ids[row]) not in skip
        ]
        return result[:k]


def index_file():
    return index_path(INDEX_NAME)


def trained_topic_tagger():
    """The trained UPR Info issues tagger (var/models), or None when there is none this install
    can use (never trained, or trained with sentence embeddings that are not installed)."""
    from .tagging.store import ModelUnusable, default_model_path, load_tagger

    try:
        return load_tagger(default_model_path(TOPIC_SCHEME), scheme=TOPIC_SCHEME).tagger
    except (FileNotFoundError, ModelUnusable):
        return None


def build_index(
    *,
    recommendations=None,
    use_embeddings=None,
    topics=True,
    path=None,
    progress=None,
    built_at=None,
):
    """Build and save the index over ``recommendations`` (default: all of them).

    ``topics``: True uses the trained UPR Info issues tagger when there is one (and, with
    ``use_embeddings=False``, only if it was trained without sentence embeddings); False never;
    a tagger object uses that one. ``built_at``: when the texts were read (default: now); what
    changed after it goes to the index's segment.
    """
    built_at = built_at or timezone.now()
    items = indexed_texts(recommendations)
    topic_tagger = trained_topic_tagger() if topics is True else (topics or None)
    if use_embeddings is False and getattr(topic_tagger, "uses_embeddings", False):
        # Asked for no sentence embeddings: a tagger that needs them would compute them anyway.
        topic_tagger = None
    index = SimilarityIndex.build(
        items, use_embeddings=use_embeddings, topic_tagger=topic_tagger, progress=progress
    )
    return save_built(index, path or index_file(), built_at=built_at)


def load_similarity_index(path=None):
    """The similarity index with its segment of newer rows (the one at ``path`` alone)."""
    return load_named(INDEX_NAME, path, expected_type=SimilarityIndex, command="similarity build")


def pairwise_scores(index, ids):
    """The (n, n) similarity matrix of indexed ids (a State's recommendations), topic vectors
    included when the index has them."""
    rows = index.positions(ids)
    if (rows < 0).any():
        raise KeyError("some ids are not in the index")
    query = index.vectors(ids=ids)
    return index.scores(query.sparse, query.dense, topics=query.topics, rows=rows)


def cluster_groups(scores, threshold):
    """Groups (lists of positions) of at least two items, by average-linkage agglomeration
    of the similarity matrix cut at ``threshold``; largest first."""
    from sklearn.cluster import AgglomerativeClustering

    count = scores.shape[0]
    if count < 2:
        return []
    distances = np.clip(1.0 - scores, 0.0, None)
    np.fill_diagonal(distances, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - threshold,
    ).fit_predict(distances)
    groups = {}
    for position, label in enumerate(labels):
        groups.setdefault(label, []).append(position)
    found = [members for members in groups.values() if len(members) >= 2]
    return sorted(found, key=lambda members: (-len(members), members[0]))
