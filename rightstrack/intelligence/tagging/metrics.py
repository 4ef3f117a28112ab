"""The figures a tagger is judged by, computed the same way for every model.

Multi-label: micro-F1 (over all label decisions), macro-F1 (the mean of the per-label F1, over
the labels of the training set that the test set or the predictions use) and samples-F1 (the
mean F1 per item). Single-label: accuracy and macro-F1.
"""

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.preprocessing import MultiLabelBinarizer


def multi_label_scores(truth, predicted):
    """{"micro_f1", "macro_f1", "samples_f1", "items"} for lists of label lists."""
    truth = [list(labels) for labels in truth]
    predicted = [list(labels) for labels in predicted]
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    labels = sorted({label for row in truth + predicted for label in row})
    binarizer = MultiLabelBinarizer(classes=labels)
    true_matrix = binarizer.fit_transform(truth)
    predicted_matrix = binarizer.transform(predicted)
    # Labels that are neither true nor predicted anywhere do not enter the macro average.
    used = np.flatnonzero(true_matrix.sum(axis=0) + predicted_matrix.sum(axis=0))
    return {
        "micro_f1": _round(
            f1_score(true_matrix, predicted_matrix, average="micro", zero_division=0)
        ),
        "macro_f1": _round(
            f1_score(
                true_matrix[:, used], predicted_matrix[:, used], average="macro", zero_division=0
            )
        ),
        "samples_f1": _round(
            f1_score(true_matrix, predicted_matrix, average="samples", zero_division=0)
        ),
        "items": len(truth),
    }


def single_label_scores(truth, predicted):
    """{"accuracy", "macro_f1", "items"} for lists of labels."""
    truth = list(truth)
    predicted = list(predicted)
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    return {
        "accuracy": _round(accuracy_score(truth, predicted)),
        "macro_f1": _round(f1_score(truth, predicted, average="macro", zero_division=0)),
        "items": len(truth),
    }


def _round(value):
    return round(float(value), 4)
