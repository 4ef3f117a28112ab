import numpy as np
import pytest

from rightstrack.intelligence.tagging.classifiers import (
    BaselineTagger,
    MultiLabelTagger,
    SingleLabelTagger,
)
from rightstrack.intelligence.tagging.data import DataError, parse_sessions
from rightstrack.intelligence.tagging.features import TextFeatures, lead_tokens
from rightstrack.intelligence.tagging.metrics import multi_label_scores, single_label_scores
from rightstrack.intelligence.tagging.schemes import SCHEMES, get_scheme, sdg_target_code
from rightstrack.intelligence.tagging.store import (
    ModelUnusable,
    SavedTagger,
    load_tagger,
    save_tagger,
)

from .synthetic import make_examples

FAST = {"use_embeddings": False}


def test_it_computes_multi_label_scores():
    truth = [["a"], ["a", "b"], ["c"]]
    predicted = [["a"], ["a"], ["b"]]
    scores = multi_label_scores(truth, predicted)
    # micro: tp=2, fp=1, fn=2 -> 4/7; per label F1 a=1, b=0, c=0 -> macro 1/3;
    # samples: 1, 2/3, 0 -> 5/9
    assert scores["micro_f1"] == pytest.approx(4 / 7, abs=1e-4)
    assert scores["macro_f1"] == pytest.approx(1 / 3, abs=1e-4)
    assert scores["samples_f1"] == pytest.approx(5 / 9, abs=1e-4)
    assert scores["items"] == 3


def test_it_computes_single_label_scores():
    scores = single_label_scores(["1", "1", "2", "3"], ["1", "2", "2", "3"])
    assert scores["accuracy"] == 0.75
    # F1: class 1 = 2/3, class 2 = 2/3, class 3 = 1
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3, abs=1e-4)


def test_it_refuses_scores_of_different_lengths():
    with pytest.raises(ValueError):
        single_label_scores(["1"], ["1", "2"])


def test_it_reads_sdg_target_codes_and_sessions():
    assert sdg_target_code("16.2 - Protect children from abuse") == "16.2"
    assert sdg_target_code("SDG 5.a") == "5.a"
    assert sdg_target_code("Goal 16") == ""
    assert parse_sessions("1-3,7") == {1, 2, 3, 7}
    assert parse_sessions("") is None
    with pytest.raises(DataError):
        parse_sessions("three")


def test_it_marks_the_leading_words():
    assert lead_tokens("Continue its efforts").split()[:3] == [
        "p0_continue",
        "p1_its",
        "p2_efforts",
    ]


def test_it_knows_each_scheme():
    assert set(SCHEMES) == {
        "upr-info-issues",
        "action-category",
        "uhri-themes",
        "affected-persons",
        "sdg-targets",
    }
    assert get_scheme("action-category").multi_label is False
    with pytest.raises(ValueError):
        get_scheme("colours")


def test_it_stacks_unit_length_feature_blocks():
    features = TextFeatures(char_ngrams=(3, 4), lead_words=True)
    matrix = features.fit_transform(["Ratify the convention", "Consider abolishing death penalty"])
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    assert norms == pytest.approx([1.0, 1.0], abs=1e-5)


def test_it_learns_several_labels_per_text():
    examples = make_examples(160)
    tagger = MultiLabelTagger(cv_folds=3, **FAST).fit(
        [text for text, _issues, _action in examples], [issues for _t, issues, _a in examples]
    )
    held_out = make_examples(40, seed=7)
    predicted = tagger.predict([text for text, _issues, _action in held_out])
    scores = multi_label_scores([issues for _t, issues, _a in held_out], predicted)
    assert scores["micro_f1"] > 0.9
    assert tagger.info["examples"] == 160
    suggestions = tagger.suggest(["Abolish the death penalty and executions"])[0]
    assert suggestions[0][0] == "Death penalty"
    assert 0.5 < suggestions[0][1] <= 1.0
    everything = tagger.suggest(["Abolish the death penalty"], min_confidence=0.0)[0]
    assert len(everything) == len(tagger.labels)


def test_it_learns_one_action_category_per_text():
    examples = make_examples(200)
    tagger = SingleLabelTagger(cv_folds=3, **FAST).fit(
        [text for text, _issues, _action in examples], [[action] for _t, _i, action in examples]
    )
    held_out = make_examples(60, seed=3)
    predicted = tagger.predict([text for text, _issues, _action in held_out])
    scores = single_label_scores(
        [action for _t, _i, action in held_out], [row[0] for row in predicted]
    )
    assert scores["macro_f1"] > 0.9
    ((label, confidence),) = tagger.suggest(["Ratify the convention against torture"])[0]
    assert label == "5"
    assert tagger.suggest(["Ratify the convention"], min_confidence=1.01) == [[]]
    probabilities = tagger.predict_proba(["Consider a moratorium"])
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert 0 < confidence <= 1


def test_it_trains_the_plain_baseline():
    examples = make_examples(80)
    texts = [text for text, _issues, _action in examples]
    multi = BaselineTagger(multi_label=True).fit(texts, [issues for _t, issues, _a in examples])
    single = BaselineTagger(multi_label=False).fit(texts, [[a] for _t, _i, a in examples])
    assert len(multi.predict(texts[:3])) == 3
    assert single.predict(texts[:1])[0][0] in {"2", "3", "4", "5"}


def test_it_saves_and_loads_a_tagger(tmp_path):
    examples = make_examples(60)
    texts = [text for text, _issues, _action in examples]
    tagger = SingleLabelTagger(cv_folds=2, **FAST).fit(texts, [[a] for _t, _i, a in examples])
    path = tmp_path / "models" / "action-category.joblib"
    save_tagger(SavedTagger(scheme="action-category", tagger=tagger, training_texts=texts), path)
    loaded = load_tagger(path, scheme="action-category")
    assert loaded.tagger.predict(texts[:5]) == tagger.predict(texts[:5])
    assert loaded.trained_at is not None and len(loaded.digest) == 64
    with pytest.raises(ModelUnusable):
        load_tagger(path, scheme="upr-info-issues")
    (tmp_path / "junk.joblib").write_bytes(b"not a model")
    with pytest.raises(ModelUnusable):
        load_tagger(tmp_path / "junk.joblib")


def test_it_encodes_sentences_only_with_the_semantic_extra():
    from rightstrack.intelligence import embeddings

    if not embeddings.available():
        with pytest.raises(embeddings.EmbeddingsUnavailable):
            embeddings.encode(["Abolish the death penalty"])
        return
    vectors = embeddings.encode(["Abolish the death penalty", "Abolish capital punishment"])
    assert vectors.shape == (2, embeddings.DIMENSIONS)
    assert float(vectors[0] @ vectors[1]) > 0.5


@pytest.mark.django_db
def test_it_names_labels_by_their_vocabulary_code():
    from rightstrack.intelligence.tagging.data import LabelNormalizer
    from rightstrack.recommendations.tests.factories import term

    term("uhri-theme", "equality", "Equality & non-discrimination")
    normalize = LabelNormalizer(get_scheme("uhri-themes"))
    assert normalize("B31 Equality & non-discrimination") == "equality"
    assert normalize("equality and Non-Discrimination") == "equality"
    assert normalize("Right to water") == "Right to water"
