import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rightstrack.intelligence.models import SuggestionRun
from rightstrack.intelligence.tagging.store import default_model_path, load_tagger
from rightstrack.recommendations.models import ImportBatch, RecommendationTag, TagStatus
from rightstrack.recommendations.tests.factories import RecommendationFactory

from .synthetic import make_examples, upr_info_csv

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def tagger(action, scheme, data, *options):
    """``rightstrack tagger <action> --scheme <scheme> --data <data> <options>``'s output."""
    return run("tagger", action, "--scheme", scheme, "--data", str(data), *options)


@pytest.fixture
def files(tmp_path):
    return {
        "train": upr_info_csv(tmp_path / "train.csv", make_examples(150, seed=1), session=3),
        "test": upr_info_csv(tmp_path / "test.csv", make_examples(50, seed=2), session=15),
    }


def test_it_trains_and_evaluates_from_export_files(files, tmp_path):
    model = tmp_path / "issues.joblib"
    output = tagger(
        "train", "upr-info-issues", files["train"], "--model", str(model), "--no-embeddings"
    )
    assert "trained on 150 recommendations, 4 labels" in output
    assert load_tagger(model, scheme="upr-info-issues").training_files[0]["name"] == "train.csv"

    evaluate = ("evaluate", "upr-info-issues", files["test"], "--model", str(model))
    output = tagger(*evaluate)
    assert "50 items" in output
    assert "model     micro_f1" in output and "baseline  micro_f1" in output

    result = json.loads(tagger(*evaluate, "--json"))
    assert result["items"] == 50
    assert result["model"]["micro_f1"] > 0.9
    assert set(result["baseline"]) >= {"micro_f1", "macro_f1", "samples_f1"}


def test_it_evaluates_an_action_category_tagger(files, settings):
    tagger("train", "action-category", files["train"], "--no-embeddings", "--json")
    assert default_model_path("action-category").exists()
    result = json.loads(tagger("evaluate", "action-category", files["test"], "--json"))
    assert set(result["model"]) >= {"accuracy", "macro_f1", "items"}
    assert result["model"]["macro_f1"] > 0.9


def test_it_splits_one_file_by_session(tmp_path):
    examples = make_examples(120, seed=4)
    mixed = tmp_path / "mixed.csv"
    upr_info_csv(mixed, examples, session=2)
    # Same file, other sessions: a file with sessions 2 and 16 written as two halves.
    later = upr_info_csv(tmp_path / "later.csv", make_examples(40, seed=5), session=16)
    content = mixed.read_bytes() + b"\r".join(later.read_bytes().split(b"\r")[1:])
    mixed.write_bytes(content)
    tagger("train", "upr-info-issues", mixed, "--sessions", "1-13", "--no-embeddings")
    result = json.loads(
        tagger(
            "evaluate", "upr-info-issues", mixed, "--sessions", "14-17", "--json", "--no-baseline"
        )
    )
    assert result["items"] == 40 and "baseline" not in result


def test_it_refuses_to_evaluate_on_the_training_file(files):
    tagger("train", "upr-info-issues", files["train"], "--no-embeddings")
    with pytest.raises(CommandError, match="trained on train.csv"):
        tagger("evaluate", "upr-info-issues", files["train"])


def test_it_explains_what_is_missing(tmp_path, db):
    with pytest.raises(CommandError, match="no trained model"):
        tagger("evaluate", "action-category", tmp_path / "x.csv")
    with pytest.raises(CommandError, match="unknown tagging scheme"):
        run("tagger", "train", "--scheme", "colours")
    with pytest.raises(CommandError, match="only 0 labelled"):
        run("tagger", "train", "--scheme", "uhri-themes")
    with pytest.raises(CommandError, match="not a list of sessions"):
        tagger("train", "upr-info-issues", "x.csv", "--sessions", "a")


@pytest.mark.django_db
def test_it_trains_from_accepted_tags_in_the_database(vocabulary):
    themes = {
        "torture": "Torture and ill-treatment",
        "education": "Right to education",
    }
    from rightstrack.recommendations.tests.factories import term

    terms = {code: term("uhri-theme", code, label) for code, label in themes.items()}
    for text, _issues, _action in make_examples(60):
        code = (
            "torture" if "torture" in text or "custody" in text or "cruel" in text else "education"
        )
        RecommendationFactory(text=text, tags=[terms[code]])
    output = run("tagger", "train", "--scheme", "uhri-themes", "--no-embeddings")
    assert "trained on 60 recommendations, 2 labels" in output


@pytest.mark.django_db
def test_it_suggests_for_a_batch_from_the_command_line(trained_taggers, vocabulary, files):
    from rightstrack.intelligence.tagging.store import save_tagger

    for name, saved in trained_taggers.items():
        save_tagger(saved, default_model_path(name))
    batch = ImportBatch.objects.create(format="upr-info", file_name="new.csv", checksum="x")
    inside = RecommendationFactory(text="Abolish the death penalty", import_batch=batch)
    outside = RecommendationFactory(text="Abolish the death penalty")
    result = json.loads(run("tagger", "suggest", "--batch", str(batch.pk), "--json"))
    assert {row["scheme"] for row in result["runs"]} == {"upr-info-issues", "action-category"}
    assert RecommendationTag.objects.filter(
        recommendation=inside, status=TagStatus.SUGGESTED
    ).exists()
    assert not RecommendationTag.objects.filter(recommendation=outside).exists()
    assert SuggestionRun.objects.filter(import_batch=batch).count() == 2
    output = run("tagger", "suggest", "--state", "BLR", "--scheme", "action-category")
    assert "action-category: 2 recommendations" in output
    with pytest.raises(CommandError, match="no import batch"):
        run("tagger", "suggest", "--batch", "999999")
    with pytest.raises(CommandError, match="no State"):
        run("tagger", "suggest", "--state", "XXX")


@pytest.mark.django_db
def test_it_builds_the_indexes(var_dir):
    for text, _issues, _action in make_examples(30):
        RecommendationFactory(text=text)
    result = json.loads(run("similarity", "build", "--no-embeddings", "--json"))
    assert result["similarity"]["items"] == 30 and result["semantic"]["kind"] == "lsa"
    assert (var_dir / "models" / "similarity.joblib").exists()
    output = run("similarity", "build", "--only", "semantic", "--no-embeddings")
    assert output.startswith("semantic: 30 recommendations, lsa")
