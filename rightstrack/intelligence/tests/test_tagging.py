import numpy as np
import pytest

from rightstrack.intelligence.tagging import classifiers
from rightstrack.intelligence.tagging.classifiers import (
    BaselineTagger,
    MultiLabelTagger,
    SingleLabelTagger,
)
from rightstrack.intelligence.tagging.data import DataError, parse_sessions
from rightstrack.intelligence.tagging.features import TextFeatures, lead_tokens, prefix_words
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


def test_it_makes_the_codebook_action_cues_visible():
    # The verb after adverbs and "Recommended that…" decides the category.
    assert "v1_streng" in lead_tokens("Further strengthen the judiciary").split()
    assert "v1_adopt" in lead_tokens("Recommended that the Government adopt a law").split()
    # "Continue and strengthen…": the codebook privileges the second verb.
    tokens = lead_tokens("Continue and strengthen its efforts").split()
    assert {"v1_contin", "v2_streng", "v12_contin_streng"} <= set(tokens)
    assert "vto_contin_streng" in lead_tokens("Continue to strengthen its efforts").split()
    # A general action made specific by an example ("by amending") is category 5.
    assert "ex_amendi" in lead_tokens("Improve women's rights by amending the family code").split()
    assert "and_ratify" in lead_tokens("Sign and ratify the Convention").split()
    assert not [t for t in lead_tokens("Consider the question").split() if t[:3] in ("ex_", "and")]


def test_it_cuts_words_to_prefixes():
    assert prefix_words("Abolishing the abolition, 2010") == "aboli the aboli"
    texts = ["Ratify the convention", "Ratification of conventions"]
    # The texts share no word, only prefixes ("ratif", "conve").
    for prefixes, alike in ((False, False), (True, True)):
        matrix = TextFeatures(prefixes=prefixes).fit_transform(texts)
        assert (float((matrix[0] @ matrix[1].T).toarray()[0, 0]) > 0.1) is alike


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


def test_it_learns_thresholds_from_out_of_fold_scores_only(monkeypatch):
    examples = make_examples(120)
    texts = [text for text, _issues, _action in examples]
    seen = []
    original = classifiers._best_threshold

    def spy(probabilities, truth):
        seen.append((probabilities.copy(), truth.copy()))
        return original(probabilities, truth)

    monkeypatch.setattr(classifiers, "_best_threshold", spy)
    tagger = MultiLabelTagger(cv_folds=3, **FAST).fit(texts, [i for _t, i, _a in examples])
    # One threshold per label and cross-validation repeat, averaged.
    assert len(seen) == tagger.cv_repeats * len(tagger.labels)
    in_sample = tagger.predict_proba(texts)
    for position, (probabilities, truth) in enumerate(seen):
        column = position % len(tagger.labels)
        # One score per training text, for the training labels...
        assert len(probabilities) == len(texts) == len(truth)
        # ...and not the final model's own scores of texts it was trained on: each text was
        # scored by a model of the folds that left it out.
        assert not np.allclose(probabilities, in_sample[:, column], atol=1e-3)
    thresholds = tagger.thresholds.copy()
    tagger.predict(["Abolish the death penalty", "Ratify the convention on women"])
    assert np.array_equal(thresholds, tagger.thresholds)


@pytest.mark.django_db
def test_it_never_shows_the_evaluated_texts_to_the_baseline(monkeypatch, tmp_path):
    from rightstrack.intelligence.tagging import training

    from .synthetic import upr_info_csv

    train_path = upr_info_csv(tmp_path / "train.csv", make_examples(80), session=1)
    test_examples = make_examples(30, seed=9)
    test_path = upr_info_csv(tmp_path / "test.csv", test_examples, session=2)
    scheme = get_scheme("action-category")
    saved = training.train(
        scheme,
        paths=[train_path],
        model_path=tmp_path / "model.joblib",
        options={"cv_folds": 2},
    )
    fitted_on = []
    original_fit = BaselineTagger.fit

    def spy(self, texts, label_lists, **options):
        fitted_on.extend(texts)
        return original_fit(self, texts, label_lists, **options)

    monkeypatch.setattr(BaselineTagger, "fit", spy)
    result = training.evaluate(scheme, saved, paths=[test_path])
    assert result["items"] == 30
    # The baseline learnt from the model's training texts, exactly those, in the same run.
    assert sorted(fitted_on) == sorted(saved.training_texts)
    assert len(fitted_on) == 80
    with pytest.raises(DataError):
        training.evaluate(scheme, saved, paths=[train_path])
