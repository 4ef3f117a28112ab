"""Turning recommendation texts into feature vectors for the taggers.

Word n-grams carry the topic; character n-grams and five-letter word prefixes catch spelling
variants and word forms ("ratify", "ratification"); the leading words carry the action asked for
— the McMahon action category is decided by the first verb ("Continue…" 2, "Consider…" 3,
"Ratify…" 5). Sentence embeddings (only with the ``semantic`` extra) add meaning beyond shared
words.
"""

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .. import embeddings

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_PREFIX_WORD = re.compile(r"[^\W\d_]{2,}")
LEAD_WORDS = 6
PREFIX_LENGTH = 5
# Verbs are compared by their first letters, so "establish", "establishing" and "established"
# are one verb without a stemmer.
VERB_STEM = 6
# Words that may come before the verb that decides the action category ("Further strengthen…",
# "Effectively implement…", "Recommended that the Government should adopt…").
_BEFORE_THE_VERB = frozenset(
    _WORD.findall(
        "further also effectively fully urgently immediately promptly actively duly swiftly "
        "seriously expeditiously systematically still strongly genuinely vigorously "
        "progressively gradually firmly resolutely steadily positively favourably favorably "
        "carefully thoroughly rapidly quickly as soon possible please kindly the government "
        "should state that recommended recommends recommend it"
    )
)
# The codebook's third principle: a general action with a specific example ("Improve women's
# rights by amending the family code") is category 5; the example's verb follows "by" or
# "through", often after "including".
_EXAMPLE_VERB = re.compile(
    r"\b(?:including|inter alia|in particular|particularly|notably|such as)?\s*"
    r"(?:by|through)\s+([a-z]+ing)\b"
)
# Specific (category 5) and other frequent verbs joined to the first one by "and" or "to":
# "sign and ratify", "take measures to criminalize".
_JOINED_VERB = re.compile(
    r"\b(?:and|to)\s+(ratify|adopt|amend|abolish|establish|enact|repeal|accede|criminali[sz]e|"
    r"sign|withdraw|investigate|prosecute|extend|issue|submit|set up|create|introduce|"
    r"implement|ensure|consider|continue)\b"
)


def lead_tokens(text):
    """Tokens describing the action a recommendation asks for.

    Position-marked first words ("p0_continue p1_its b0_continue_its t_continue_its_efforts"),
    then the codebook's rules made visible to the model: the first verb after adverbs and
    "Recommended that…" ("v1_"), the second verb of "Continue and strengthen…" (which the
    codebook privileges, "v2_"), "continue to …" ("vto_"), the verb with its next word ("vo_"),
    verbs of examples given with "by"/"through" ("ex_") and specific verbs joined by "and"/"to"
    ("and_").
    """
    lowered = text.lower()
    words = _WORD.findall(lowered)
    tokens = [f"p{index}_{word}" for index, word in enumerate(words[:LEAD_WORDS])]
    tokens += [
        f"b{index}_{words[index]}_{words[index + 1]}"
        for index in range(min(LEAD_WORDS, len(words)) - 1)
    ]
    if words:
        tokens.append("t_" + "_".join(words[:3]))
    core = [word[:VERB_STEM] for word in words[:12] if word not in _BEFORE_THE_VERB]
    if core:
        tokens.append(f"v1_{core[0]}")
        if len(core) > 2 and core[1] in ("and", "or"):
            tokens += [f"v2_{core[2]}", f"v12_{core[0]}_{core[2]}"]
        if len(core) > 2 and core[1] == "to":
            tokens.append(f"vto_{core[0]}_{core[2]}")
        if len(core) > 1:
            tokens.append(f"vo_{core[0]}_{core[1]}")
    tokens += [f"ex_{verb[:VERB_STEM]}" for verb in _EXAMPLE_VERB.findall(lowered)]
    tokens += [f"and_{verb[:VERB_STEM]}" for verb in _JOINED_VERB.findall(lowered)]
    return " ".join(tokens)


def prefix_words(text):
    """The words cut to their first five letters: "abolishing abolition" -> "aboli aboli"."""
    return " ".join(word[:PREFIX_LENGTH] for word in _PREFIX_WORD.findall(text.lower()))


class TextFeatures:
    """TF-IDF blocks (and optionally embeddings), each L2-normalised, stacked side by side."""

    def __init__(
        self,
        *,
        word_ngrams=(1, 2),
        char_ngrams=None,
        lead_words=False,
        prefixes=False,
        use_embeddings=False,
        min_df=2,
        embedding_weight=1.0,
    ):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.lead_words = lead_words
        self.prefixes = prefixes
        self.use_embeddings = use_embeddings
        self.min_df = min_df
        self.embedding_weight = embedding_weight
        self._word = None
        self._char = None
        self._lead = None
        self._prefix = None

    def _vectorizers(self):
        blocks = [("word", None)]
        if self.char_ngrams:
            blocks.append(("char", None))
        if getattr(self, "prefixes", False):
            blocks.append(("prefix", prefix_words))
        if self.lead_words:
            blocks.append(("lead", lead_tokens))
        return blocks

    def _make(self, kind, n_texts):
        min_df = self.min_df if n_texts >= 50 else 1
        # Every block: damped term counts, in 32-bit floats.
        shared = {"sublinear_tf": True, "dtype": np.float32}
        if kind == "word":
            return TfidfVectorizer(
                **shared, min_df=min_df, ngram_range=self.word_ngrams, strip_accents="unicode"
            )
        if kind == "char":
            return TfidfVectorizer(
                **shared,
                # Rare character n-grams are mostly typos: they cost time and teach nothing.
                min_df=min_df + 1 if n_texts >= 50 else 1,
                analyzer="char_wb",
                ngram_range=self.char_ngrams,
                strip_accents="unicode",
            )
        # The prefix and lead blocks: tokens already split by spaces.
        tokens = {**shared, "min_df": min_df, "token_pattern": r"\S+"}  # noqa: S106 - not a password
        if kind == "prefix":
            return TfidfVectorizer(**tokens, ngram_range=(1, 2), strip_accents="unicode")
        return TfidfVectorizer(**tokens, lowercase=False)

    @staticmethod
    def _prepared(prepare, texts):
        return texts if prepare is None else [prepare(text) for text in texts]

    def fit_transform(self, texts):
        texts = list(texts)
        matrices = []
        for kind, prepare in self._vectorizers():
            vectorizer = self._make(kind, len(texts))
            setattr(self, f"_{kind}", vectorizer)
            matrices.append(vectorizer.fit_transform(self._prepared(prepare, texts)))
        return self._stack(matrices, texts)

    def transform(self, texts):
        texts = list(texts)
        matrices = [
            getattr(self, f"_{kind}").transform(self._prepared(prepare, texts))
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
