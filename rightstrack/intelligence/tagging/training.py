"""Training a scheme's tagger and scoring it against the plain baseline."""

import time
from pathlib import Path

from rightstrack.core.checksums import file_sha256

from .classifiers import BaselineTagger, make_tagger
from .data import (
    DataError,
    examples_from_database,
    examples_from_files,
    sdg_target_examples,
)
from .metrics import multi_label_scores, single_label_scores
from .store import SavedTagger, default_model_path, save_tagger

MIN_TRAINING_EXAMPLES = 10


def training_examples(scheme, *, paths=None, format=None, sessions=None):
    """The examples a scheme trains on: the files given, else what the database holds.

    SDG targets also learn from the targets' own texts, so that targets nobody has labelled a
    recommendation with can still be suggested.
    """
    if paths:
        examples = examples_from_files(scheme, paths, format=format, sessions=sessions)
    else:
        examples = examples_from_database(scheme)
    if scheme.name == "sdg-targets":
        examples += sdg_target_examples()
    return examples


def train(
    scheme, *, paths=None, format=None, sessions=None, model_path=None, options=None, progress=None
):
    """Train, save and return the scheme's tagger (a SavedTagger)."""
    examples = training_examples(scheme, paths=paths, format=format, sessions=sessions)
    if len(examples) < MIN_TRAINING_EXAMPLES:
        where = "these files" if paths else "the database"
        raise DataError(
            f"{where} hold only {len(examples)} labelled recommendation(s) for {scheme.name}; "
            f"at least {MIN_TRAINING_EXAMPLES} are needed"
        )
    texts = [example.text for example in examples]
    labels = [list(example.labels) for example in examples]
    tagger = make_tagger(scheme, **(options or {}))
    tagger.fit(texts, labels, progress=progress)
    saved = SavedTagger(
        scheme=scheme.name,
        tagger=tagger,
        training_files=[
            {"name": Path(path).name, "sha256": file_sha256(path)} for path in (paths or [])
        ],
        training_sessions=sorted(sessions) if sessions else None,
        training_texts=texts,
        training_labels=labels,
    )
    return save_tagger(saved, model_path or default_model_path(scheme.name))


def _scores(scheme, truth, predicted):
    if scheme.multi_label:
        return multi_label_scores(truth, predicted)
    return single_label_scores(
        [row[0] for row in truth], [row[0] if row else "" for row in predicted]
    )


def evaluate(scheme, saved, *, paths, format=None, sessions=None, baseline=True):
    """Scores of the saved tagger (and of the baseline trained on its training data) on
    labelled files it was not trained on."""
    overlap = [Path(path).name for path in paths if file_sha256(path) in saved.training_digests]
    trained_sessions = set(saved.training_sessions or [])
    if overlap and (sessions is None or not trained_sessions or sessions & trained_sessions):
        raise DataError(
            "the model was trained on " + ", ".join(overlap) + "; evaluate it on other files "
            "(or on sessions it was not trained on, with --sessions)"
        )
    examples = examples_from_files(scheme, paths, format=format, sessions=sessions)
    if not examples:
        raise DataError(f"these files hold no recommendation labelled for {scheme.name}")
    texts = [example.text for example in examples]
    truth = [list(example.labels) for example in examples]

    started = time.perf_counter()
    predicted = saved.tagger.predict(texts)
    seconds = time.perf_counter() - started
    model = _scores(scheme, truth, predicted)
    model["predict_seconds"] = round(seconds, 3)
    model["items_per_second"] = round(len(texts) / seconds) if seconds else None

    seen = set(saved.training_texts)
    result = {
        "scheme": scheme.name,
        "model_file": str(saved.path) if saved.path else "",
        "embeddings": bool(getattr(saved.tagger, "uses_embeddings", False)),
        "training_examples": len(saved.training_texts),
        "items": len(texts),
        # Wordings repeated word for word from the training data; kept, and reported.
        "items_seen_in_training": sum(1 for text in texts if text in seen),
        "model": model,
    }
    if baseline:
        started = time.perf_counter()
        plain = BaselineTagger(multi_label=scheme.multi_label).fit(
            saved.training_texts, saved.training_labels
        )
        result["baseline"] = _scores(scheme, truth, plain.predict(texts))
        result["baseline"]["train_seconds"] = round(time.perf_counter() - started, 2)
    return result
