"""The taggers: linear models over TF-IDF features, tuned by cross-validation on training data.

Both taggers learn in two steps. Cross-validation over the training texts gives out-of-fold
scores for every text; from those alone they learn what the final model's scores mean — a
probability per label (Platt scaling) and, for multi-label schemes, the threshold per label that
scores best. Then one model is trained on all training texts. Nothing about the texts being
evaluated is ever used.
"""

import os
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

from .. import embeddings
from .features import TextFeatures

THRESHOLD_GRID = np.round(np.arange(0.02, 0.96, 0.02), 2)
BIAS_GRID = np.round(np.arange(-0.6, 0.61, 0.05), 2)
RANDOM_STATE = 0


def _jobs():
    return max(1, min(4, os.cpu_count() or 1))


def _sigmoid(values):
    return 1.0 / (1.0 + np.exp(-values))


def _platt(scores, truth):
    """(slope, intercept) mapping a decision score to a probability, fit on out-of-fold scores."""
    if truth.min() == truth.max():
        # A label never (or always) seen out of fold: its score says nothing; keep it unsure.
        return 1.0, 0.0 if truth.max() else -4.0
    model = LogisticRegression(C=100.0).fit(scores.reshape(-1, 1), truth)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def _best_threshold(probabilities, truth):
    positives = truth.sum()
    if positives == 0:
        return 1.0
    best, best_score = 0.5, -1.0
    for threshold in THRESHOLD_GRID:
        predicted = probabilities >= threshold
        true_positives = np.logical_and(predicted, truth).sum()
        score = 2 * true_positives / (predicted.sum() + positives)
        if score > best_score:
            best, best_score = threshold, score
    return float(best)


class _Timer:
    def __init__(self):
        self.started = time.perf_counter()

    def seconds(self):
        return round(time.perf_counter() - self.started, 2)


class _LinearTagger:
    """What the two tuned taggers share: a linear SVM's C, its cross-validation folds, the text
    features (embeddings when asked, or, with None, when installed), the labels and the
    training figures."""

    def __init__(self, *, C, cv_folds, use_embeddings, **feature_options):
        self.C = C
        self.cv_folds = cv_folds
        if use_embeddings is None:
            use_embeddings = embeddings.available()
        self.features = TextFeatures(use_embeddings=use_embeddings, **feature_options)
        self.labels = []
        self.info = {}

    @property
    def uses_embeddings(self):
        return self.features.use_embeddings


class MultiLabelTagger(_LinearTagger):
    """One linear SVM per label over words, character n-grams and word prefixes; probabilities
    and per-label thresholds from cross-validation repeated over two splits."""

    multi_label = True

    def __init__(
        self,
        *,
        C=1.0,
        cv_folds=3,
        cv_repeats=2,
        word_ngrams=(1, 2),
        char_ngrams=(3, 5),
        lead_words=False,
        prefixes=True,
        use_embeddings=None,
        embedding_weight=1.0,
        min_label_count=2,
    ):
        super().__init__(
            C=C,
            cv_folds=cv_folds,
            use_embeddings=use_embeddings,
            word_ngrams=word_ngrams,
            char_ngrams=char_ngrams,
            lead_words=lead_words,
            prefixes=prefixes,
            embedding_weight=embedding_weight,
        )
        self.cv_repeats = cv_repeats
        self.min_label_count = min_label_count

    def _classifier(self):
        return OneVsRestClassifier(LinearSVC(C=self.C, random_state=RANDOM_STATE), n_jobs=_jobs())

    def fit(self, texts, label_lists, *, progress=None):
        with warnings.catch_warnings():
            # A rare label can be missing from a cross-validation fold; that is expected.
            warnings.filterwarnings("ignore", message="Label not .* is present in all training")
            return self._fit(texts, label_lists, progress=progress)

    def _fit(self, texts, label_lists, *, progress=None):
        timer = _Timer()
        texts = list(texts)
        counts = {}
        for labels in label_lists:
            for label in labels:
                counts[label] = counts.get(label, 0) + 1
        kept = sorted(label for label, count in counts.items() if count >= self.min_label_count)
        if not kept:
            raise ValueError("no label has enough examples to learn from")
        binarizer = MultiLabelBinarizer(classes=kept)
        known = set(kept)
        truth = binarizer.fit_transform(
            [[x for x in labels if x in known] for labels in label_lists]
        )
        self.labels = kept
        matrix = self.features.fit_transform(texts)
        repeats = max(1, getattr(self, "cv_repeats", 1))
        steps = self.cv_folds * repeats + 1 if self.cv_folds > 1 else 1
        if progress:
            progress(0, steps)

        if self.cv_folds > 1 and len(texts) >= self.cv_folds * 2:
            # Each repeat splits the texts into other folds: every text gets one out-of-fold
            # score per repeat.
            out_of_fold = np.zeros((repeats, *truth.shape), dtype=np.float64)
            step = 0
            for repeat in range(repeats):
                folds = KFold(self.cv_folds, shuffle=True, random_state=RANDOM_STATE + repeat)
                for train, held_out in folds.split(matrix):
                    model = self._classifier().fit(matrix[train], truth[train])
                    out_of_fold[repeat, held_out] = model.decision_function(matrix[held_out])
                    step += 1
                    if progress:
                        progress(step, steps)
            every_score = out_of_fold.reshape(-1, len(kept))
            every_truth = np.tile(truth, (repeats, 1))
            self.platt = np.array(
                [_platt(every_score[:, j], every_truth[:, j]) for j in range(len(kept))]
            )
            # A threshold learnt from one split depends on which texts fell together; the mean
            # of the repeats' thresholds varies less (measured: grouped-CV macro-F1 +0.001).
            self.thresholds = np.mean(
                [
                    [
                        _best_threshold(self._calibrate(scores)[:, j], truth[:, j])
                        for j in range(len(kept))
                    ]
                    for scores in out_of_fold
                ],
                axis=0,
            )
            probabilities = self._calibrate(out_of_fold.mean(axis=0))
            # Whether to always suggest the most likely label is decided on the same scores.
            scores = {
                minimum: f1_score(truth, self._decide(probabilities, minimum), average="micro")
                for minimum in (0, 1)
            }
            self.min_labels = max(scores, key=scores.get)
            self.info["cv_micro_f1"] = round(scores[self.min_labels], 4)
        else:
            self.platt = np.array([(2.0, 0.0)] * len(kept))
            self.thresholds = np.full(len(kept), 0.5)
            self.min_labels = 0
        self.model = self._classifier().fit(matrix, truth)
        if progress:
            progress(steps, steps)
        self.info.update(
            examples=len(texts),
            labels=len(kept),
            dropped_labels=sorted(set(counts) - known),
            train_seconds=timer.seconds(),
            embeddings=self.uses_embeddings,
        )
        return self

    def _calibrate(self, scores):
        return _sigmoid(scores * self.platt[:, 0] + self.platt[:, 1])

    def _decide(self, probabilities, min_labels):
        decided = probabilities >= getattr(self, "thresholds", 0.5)
        if min_labels:
            top = probabilities.argmax(axis=1)
            decided[np.arange(len(decided)), top] = True
        return decided.astype(np.int8)

    def predict_proba(self, texts):
        scores = self.model.decision_function(self.features.transform(list(texts)))
        return self._calibrate(np.asarray(scores, dtype=np.float64).reshape(-1, len(self.labels)))

    def predict(self, texts):
        """The labels decided for each text (per-label thresholds tuned by cross-validation)."""
        decided = self._decide(self.predict_proba(texts), self.min_labels)
        return [[self.labels[j] for j in np.flatnonzero(row)] for row in decided]

    def suggest(self, texts, *, min_confidence=None):
        """[(label, confidence)] per text, most likely first.

        Without ``min_confidence`` the model's own decisions; with it, every label at least
        that likely.
        """
        probabilities = self.predict_proba(texts)
        if min_confidence is None:
            decided = self._decide(probabilities, self.min_labels).astype(bool)
        else:
            decided = probabilities >= min_confidence
        result = []
        for row, chosen in zip(probabilities, decided, strict=True):
            picked = [(self.labels[j], float(row[j])) for j in np.flatnonzero(chosen)]
            result.append(sorted(picked, key=lambda item: -item[1]))
        return result


class SingleLabelTagger(_LinearTagger):
    """A multi-class linear SVM over the words and the codebook's action cues; probabilities
    from cross-validation.

    Choices measured by cross-validation grouped by UPR Info session on sessions 1–13 (never
    on the test sessions): C=1 and balanced class weights beat C=0.3 in every fold;
    per-class score biases tuned on out-of-fold scores did not carry over to new sessions
    (``tune_bias`` stays available, off); sentence embeddings add nothing for this scheme, so
    they are used only when asked for.
    """

    multi_label = False

    def __init__(
        self,
        *,
        C=1.0,
        cv_folds=3,
        word_ngrams=(1, 2),
        char_ngrams=(2, 5),
        lead_words=True,
        class_weight="balanced",
        use_embeddings=False,
        tune_bias=False,
    ):
        super().__init__(
            C=C,
            cv_folds=cv_folds,
            use_embeddings=use_embeddings,
            word_ngrams=word_ngrams,
            char_ngrams=char_ngrams,
            lead_words=lead_words,
        )
        self.tune_bias = tune_bias
        self.class_weight = class_weight

    def _classifier(self):
        return LinearSVC(
            C=self.C, class_weight=getattr(self, "class_weight", None), random_state=RANDOM_STATE
        )

    def _scores(self, model, matrix):
        scores = np.asarray(model.decision_function(matrix), dtype=np.float64)
        if scores.ndim == 1:
            # Two classes: one score for the second class, its opposite for the first.
            scores = np.column_stack([-scores, scores])
        return scores

    def fit(self, texts, label_lists, *, progress=None):
        timer = _Timer()
        pairs = [
            (text, labels[0]) for text, labels in zip(texts, label_lists, strict=True) if labels
        ]
        texts = [text for text, _label in pairs]
        truth = np.array([label for _text, label in pairs])
        self.labels = sorted(set(truth.tolist()))
        if len(self.labels) < 2:
            raise ValueError("a single-label tagger needs at least two classes")
        matrix = self.features.fit_transform(texts)
        steps = self.cv_folds + 1
        if progress:
            progress(0, steps)
        self.bias = np.zeros(len(self.labels))
        smallest = min(np.sum(truth == label) for label in self.labels)
        folds_possible = self.cv_folds > 1 and smallest >= self.cv_folds
        if folds_possible:
            out_of_fold = np.zeros((len(texts), len(self.labels)))
            folds = StratifiedKFold(self.cv_folds, shuffle=True, random_state=RANDOM_STATE)
            for step, (train, held_out) in enumerate(folds.split(matrix, truth), start=1):
                model = self._classifier().fit(matrix[train], truth[train])
                out_of_fold[held_out] = self._scores(model, matrix[held_out])
                if progress:
                    progress(step, steps)
            if self.tune_bias:
                self.bias = self._tuned_bias(out_of_fold, truth)
            decided = np.array(self.labels)[(out_of_fold + self.bias).argmax(axis=1)]
            self.info["cv_macro_f1"] = round(float(f1_score(truth, decided, average="macro")), 4)
            self.calibrator = LogisticRegression(C=10.0, max_iter=1000).fit(
                out_of_fold + self.bias, truth
            )
        else:
            self.calibrator = None
        self.model = self._classifier().fit(matrix, truth)
        if progress:
            progress(steps, steps)
        self.info.update(
            examples=len(texts),
            labels=len(self.labels),
            train_seconds=timer.seconds(),
            embeddings=self.uses_embeddings,
        )
        return self

    def _tuned_bias(self, scores, truth):
        """Per-class offsets to the scores that maximise macro-F1 (coordinate ascent)."""
        labels = np.array(self.labels)
        bias = np.zeros(len(labels))
        best = f1_score(truth, labels[scores.argmax(axis=1)], average="macro")
        for _round in range(3):
            improved = False
            for k in range(len(labels)):
                for offset in BIAS_GRID:
                    trial = bias.copy()
                    trial[k] = offset
                    score = f1_score(
                        truth, labels[(scores + trial).argmax(axis=1)], average="macro"
                    )
                    if score > best + 1e-9:
                        best, bias, improved = score, trial, True
            if not improved:
                break
        return bias

    def predict_proba(self, texts):
        _chosen, probabilities = self._decided(texts)
        return probabilities

    def _decided(self, texts):
        scores = self._scores(self.model, self.features.transform(list(texts))) + self.bias
        if self.calibrator is None:
            exp = np.exp(scores - scores.max(axis=1, keepdims=True))
            probabilities = exp / exp.sum(axis=1, keepdims=True)
        else:
            probabilities = self.calibrator.predict_proba(scores)
            order = [list(self.calibrator.classes_).index(label) for label in self.labels]
            probabilities = probabilities[:, order]
        return scores.argmax(axis=1), probabilities

    def predict(self, texts):
        chosen, _probabilities = self._decided(texts)
        return [[self.labels[index]] for index in chosen]

    def suggest(self, texts, *, min_confidence=None):
        """[(label, confidence)] per text: the decided class, if at least ``min_confidence``."""
        chosen, probabilities = self._decided(texts)
        result = []
        for index, row in zip(chosen, probabilities, strict=True):
            confidence = float(row[index])
            keep = min_confidence is None or confidence >= min_confidence
            result.append([(self.labels[index], confidence)] if keep else [])
        return result


class BaselineTagger:
    """The plain baseline the issue asks to beat: word TF-IDF and a linear SVM, nothing tuned."""

    def __init__(self, *, multi_label):
        self.multi_label = multi_label
        self.features = TextFeatures(word_ngrams=(1, 1), min_df=1)
        self.labels = []

    def fit(self, texts, label_lists, *, progress=None):
        matrix = self.features.fit_transform(list(texts))
        if self.multi_label:
            binarizer = MultiLabelBinarizer()
            truth = binarizer.fit_transform(label_lists)
            self.labels = list(binarizer.classes_)
            # A fixed random_state only makes its figures repeatable; nothing is tuned.
            self.model = OneVsRestClassifier(
                LinearSVC(random_state=RANDOM_STATE), n_jobs=_jobs()
            ).fit(matrix, truth)
        else:
            truth = [labels[0] for labels in label_lists]
            self.model = LinearSVC(random_state=RANDOM_STATE).fit(matrix, truth)
            self.labels = list(self.model.classes_)
        return self

    def predict(self, texts):
        matrix = self.features.transform(list(texts))
        if not self.multi_label:
            return [[label] for label in self.model.predict(matrix)]
        decided = np.asarray(self.model.decision_function(matrix)).reshape(-1, len(self.labels))
        return [[self.labels[j] for j in np.flatnonzero(row > 0)] for row in decided]


def make_tagger(scheme, **options):
    """The tagger a scheme trains by default, with any option overridden."""
    if scheme.multi_label:
        return MultiLabelTagger(**options)
    return SingleLabelTagger(**options)
