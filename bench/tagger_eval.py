"""The taggers against the plain baseline, on a split by session, and how fast they are.

    .venv/bin/python bench/tagger_eval.py [--data DIR] [--skip-full] [--json]

1. Split by session: both schemes (upr-info-issues, action-category) are trained on UPR Info
   sessions 1–13 and scored on sessions 14–17 — the way ``rightstrack tagger train`` and
   ``tagger evaluate`` do it — next to the baseline (word TF-IDF + linear SVM, nothing tuned)
   trained on the same data in the same run.
2. Training time: both schemes trained on all 33,000 rows (wall-clock and CPU seconds of this
   process and its worker processes; the machine may be shared, so CPU time is reported too).
3. Suggestion speed: ``suggest_tags`` with both models over the 9,598 recommendations of
   sessions 14–17 imported into a fresh temporary SQLite database (reading, predicting and
   writing the suggestions), and the models' prediction alone.

Sentence embeddings are used when the semantic extra is installed (``--no-embeddings`` turns
them off) by the schemes whose tagger uses them by default (upr-info-issues; the
action-category tagger does not: they did not help it). Nothing here tunes anything on sessions
14–17: the taggers' settings were chosen by cross-validation grouped by session on sessions 1–13,
and their thresholds are learnt inside the training data.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from harness import setup_in  # noqa: E402

TRAIN_FILES = (
    "upr-info-sessions-1-5.csv",
    "upr-info-sessions-6-9.csv",
    "upr-info-sessions-10-13.csv",
)
TEST_FILES = ("upr-info-sessions-14-17.csv",)
SCHEMES = ("upr-info-issues", "action-category")
TARGETS = {
    "upr-info-issues": {"micro_f1": 0.91, "macro_f1": 0.85},
    "action-category": {"macro_f1": 0.92},
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None, help="the shared data directory")
    parser.add_argument("--skip-full", action="store_true", help="skip training on all rows")
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


class Clock:
    """Wall-clock and CPU seconds (this process and finished child processes)."""

    def __init__(self):
        self.wall = time.perf_counter()
        self.cpu = self._cpu()

    @staticmethod
    def _cpu():
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def stop(self):
        return round(time.perf_counter() - self.wall, 1), round(self._cpu() - self.cpu, 1)


def shutdown_workers():
    # Worker processes count in RUSAGE_CHILDREN only once they have ended.
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)


def split_by_session(data_dir, options):
    from rightstrack.intelligence.tagging.schemes import get_scheme
    from rightstrack.intelligence.tagging.store import models_dir
    from rightstrack.intelligence.tagging.training import evaluate, train

    results = {}
    for name in SCHEMES:
        scheme = get_scheme(name)
        clock = Clock()
        saved = train(
            scheme,
            paths=[data_dir / "upr-info" / file for file in TRAIN_FILES],
            model_path=models_dir() / f"split-{name}.joblib",
            options=options,
        )
        shutdown_workers()
        wall, cpu = clock.stop()
        result = evaluate(
            scheme, saved, paths=[data_dir / "upr-info" / file for file in TEST_FILES]
        )
        result["train_wall_seconds"], result["train_cpu_seconds"] = wall, cpu
        result["cross_validated"] = {
            key: value for key, value in saved.tagger.info.items() if key.startswith("cv_")
        }
        results[name] = result
    return results


def full_training(data_dir, options):
    from rightstrack.intelligence.tagging.schemes import get_scheme
    from rightstrack.intelligence.tagging.store import default_model_path
    from rightstrack.intelligence.tagging.training import train

    clock = Clock()
    examples = {}
    for name in SCHEMES:
        saved = train(
            get_scheme(name),
            paths=sorted((data_dir / "upr-info").glob("upr-info-sessions-*.csv")),
            model_path=default_model_path(name),
            options=options,
        )
        examples[name] = saved.tagger.info["examples"]
    shutdown_workers()
    wall, cpu = clock.stop()
    return {"wall_seconds": wall, "cpu_seconds": cpu, "examples": examples}


def suggestion_speed(data_dir, split):
    from rightstrack.intelligence.services import suggest_tags
    from rightstrack.intelligence.tagging.store import load_tagger, models_dir
    from rightstrack.recommendations.models import Recommendation, RecommendationTag
    from rightstrack.recommendations.services import import_file
    from rightstrack.taxonomy.services import vocabularies_load

    vocabularies_load(data_dir=data_dir, progress=False)
    batch = import_file(user=None, format="upr-info", path=data_dir / "upr-info" / TEST_FILES[0])
    # The imported rows carry their issues and categories; as new recommendations they have none.
    RecommendationTag.objects.all().delete()
    Recommendation.objects.update(action_category=None)
    taggers = {name: load_tagger(models_dir() / f"split-{name}.joblib") for name in SCHEMES}
    recommendations = Recommendation.objects.filter(import_batch=batch)
    count = recommendations.count()
    started = time.perf_counter()
    runs = suggest_tags(recommendations=recommendations, taggers=taggers, batch=batch)
    seconds = time.perf_counter() - started
    predict = {name: split[name]["model"]["items_per_second"] for name in SCHEMES if name in split}
    return {
        "recommendations": count,
        "schemes": len(runs),
        "suggestions_created": sum(run.created for run in runs),
        "seconds": round(seconds, 2),
        "recommendations_per_second": round(count / seconds),
        "predict_only_items_per_second": predict,
    }


def print_table(results):
    split = results["split"]
    used = [name for name in SCHEMES if results["split"][name]["embeddings"]]
    print(
        "Split by session: trained on UPR Info sessions 1–13, scored on 14–17 "
        f"(sentence embeddings: {', '.join(used) if used else 'no'})"
    )
    header = (
        f"{'scheme':<17}{'model':<10}{'micro-F1':>9}{'macro-F1':>9}{'samples':>9}{'accuracy':>9}"
    )
    print(header + f"{'items':>7}{'train s (cpu)':>15}")
    for name in SCHEMES:
        result = split[name]
        for label, scores in (("ours", result["model"]), ("baseline", result["baseline"])):
            cells = "".join(
                f"{scores[key]:>9.4f}" if key in scores else f"{'':>9}"
                for key in ("micro_f1", "macro_f1", "samples_f1", "accuracy")
            )
            timing = (
                f"{result['train_wall_seconds']:>8} ({result['train_cpu_seconds']})"
                if label == "ours"
                else f"{result['baseline']['train_seconds']:>8}"
            )
            print(f"{name:<17}{label:<10}{cells}{result['items']:>7}{timing:>15}")
        target = ", ".join(f"{key} ≥ {value}" for key, value in TARGETS[name].items())
        met = all(result["model"][key] >= value for key, value in TARGETS[name].items())
        print(f"{'':<17}target {target}: {'met' if met else 'NOT met'}")
    if "full" in results:
        full = results["full"]
        print(
            f"Training both schemes on all rows ({full['examples']}): "
            f"{full['wall_seconds']} s wall, {full['cpu_seconds']} s CPU"
        )
    speed = results["suggest"]
    print(
        f"suggest_tags, both schemes, {speed['recommendations']} recommendations into SQLite: "
        f"{speed['seconds']} s = {speed['recommendations_per_second']} recommendations/s "
        f"({speed['suggestions_created']} suggestions); prediction alone: "
        + ", ".join(f"{k} {v}/s" for k, v in speed["predict_only_items_per_second"].items())
    )


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="rightstrack-tagger-") as temp:
        setup_in(Path(temp))
        from django.conf import settings

        from rightstrack.intelligence import embeddings

        data_dir = Path(args.data) if args.data else settings.SHARED_DATA_DIR
        if not (data_dir / "upr-info").is_dir():
            sys.exit(f"UPR Info data not found in {data_dir} (use --data DIR)")
        use_embeddings = embeddings.available() and not args.no_embeddings
        # The taggers' own defaults, as `rightstrack tagger train` uses them.
        options = {} if use_embeddings else {"use_embeddings": False}
        results = {"embeddings": use_embeddings, "cpus": os.cpu_count()}
        results["split"] = split_by_session(data_dir, options)
        if not args.skip_full:
            results["full"] = full_training(data_dir, options)
        results["suggest"] = suggestion_speed(data_dir, results["split"])
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)


if __name__ == "__main__":
    main()
