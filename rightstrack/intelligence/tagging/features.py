"""Turning recommendation texts into feature vectors for the taggers.

Word n-grams carry the topic; character n-grams catch spelling variants and word forms
("ratify", "ratification"); the leading words carry the action asked for — the McMahon action
category is decided by the first verb ("Continue…" 2, "Consider…" 3, "Ratify…" 5). Sentence
embeddings (only with the ``semantic`` extra) add meaning beyond shared words.
"""

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .. import embeddings

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
LEAD_WORDS = 6


def lead_tokens(text):
    """Position-marked tokens of the first words: "p0_continue p1_its b0_continue_its …"."""
    words = _WORD.findall(text.lower())[:LEAD_WORDS]
    tokens = [f"p{index}_{word}" for index, word in enumerate(words)]
    tokens += [f"b{index}_{words[index]}_{words[index + 1]}" for index in range(len(words) - 1)]
    if words:
        tokens.append("t_" + "_".join(words[:3]))
    return " ".join(tokens)


class TextFeatures:
    """TF-IDF blocks (and optionally embeddings), each L2-normalised, stacked side by side."""

    def __init__(
        self,
        *,
        word_ngrams=(1, 2),
        char_ngrams=None,
        lead_words=False,
        use_embeddings=False,
        min_df=2,
        embedding_weight=1.0,
    ):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.lead_words = lead_words
        self.use_embeddings = use_embeddings
        self.min_df = min_df
        self.embedding_weight = embedding_weight
        self._word = None
        self._char = None
        self._lead = None

    def _vectorizers(self):
        blocks = [("word", lambda texts: texts)]
        if self.char_ngrams:
            blocks.append(("char", lambda texts: texts))
        if self.lead_words:
            blocks.append(("lead", lambda texts: [lead_tokens(text) for text in texts]))
        return blocks

    def _make(self, kind, n_texts):
        min_df = self.min_df if n_texts >= 50 else 1
        if kind == "word":
            return TfidfVectorizer(
                sublinear_tf=True,
                min_df=min_df,
                ngram_range=self.word_ngrams,
                strip_accents="unicode",
                dtype=np.float32,
            )
        if kind == "char":
            return TfidfVectorizer(
                sublinear_tf=True,
                # Rare character n-grams are mostly typos: they cost time and teach nothing.
                min_df=min_df + 1 if n_texts >= 50 else 1,
                analyzer="char_wb",
                ngram_range=self.char_ngrams,
                strip_accents="unicode",
                dtype=np.float32,
            )
        return TfidfVectorizer(
            sublinear_tf=True,
            min_df=min_df,
            token_pattern=r"\S+",  # noqa: S106 - a pattern, not a password
            lowercase=False,
            dtype=np.float32,
        )

    def fit_transform(self, texts):
        texts = list(texts)
        matrices = []
        for kind, prepare in self._vectorizers():
            vectorizer = self._make(kind, len(texts))
            setattr(self, f"_{kind}", vectorizer)
            matrices.append(vectorizer.fit_transform(prepare(texts)))
        return self._stack(matrices, texts)

    def transform(self, texts):
        texts = list(texts)
        matrices = [
            getattr(self, f"_{kind}").transform(prepare(texts))
            for kind, prepare in self._vectorizers()
        ]
        return self._stack(matrices, texts)

    def _stack(self, matrices, texts):
        if self.use_embeddings:
            dense = embeddings.encode(texts) * self.embedding_weight
            matrices.append(sp.csr_matrix(dense))
        # Each block is unit length; dividing by the square root of their number keeps the whole
        # vector unit length, so the regularisation strength means the same for any mix.
        stacked = sp.hstack(matrices, format="csr", dtype=np.float32)
        return stacked / np.sqrt(len(matrices))
