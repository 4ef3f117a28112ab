"""`rightstrack tagger train|evaluate|suggest`: train taggers, score them, suggest tags.

    rightstrack tagger train --scheme upr-info-issues --data A.csv B.csv [--model PATH]
    rightstrack tagger evaluate --scheme upr-info-issues --data C.csv [--model PATH] [--json]
    rightstrack tagger suggest [--batch ID] [--state CODE] [--scheme S ...] [--min-confidence X]

Training without --data learns from the tags accepted in the database. Models are saved under
var/models/<scheme>.joblib unless --model names another file. The command line acts as the
system: suggestions need no signed-in user; deciding on them is for people (the review page).
"""

import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rightstrack.core.commands import validation_error_text
from rightstrack.core.progress import ProgressBar, progress_wanted
from rightstrack.intelligence.services import suggest_tags
from rightstrack.intelligence.tagging.data import DataError, parse_sessions
from rightstrack.intelligence.tagging.schemes import SCHEMES, get_scheme
from rightstrack.intelligence.tagging.store import (
    ModelNotFound,
    ModelUnusable,
    default_model_path,
    load_tagger,
)
from rightstrack.intelligence.tagging.training import evaluate, train
from rightstrack.recommendations.models import ImportBatch, Recommendation
from rightstrack.taxonomy.models import Scheme, Term


def format_scores(scores, multi_label):
    keys = ("micro_f1", "macro_f1", "samples_f1") if multi_label else ("accuracy", "macro_f1")
    return "  ".join(f"{key} {scores[key]:.4f}" for key in keys)


class Command(BaseCommand):
    help = "Train, evaluate and apply the taggers that suggest tags for recommendations."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        names = ", ".join(SCHEMES)

        training = subcommands.add_parser("train", help="Train a scheme's tagger and save it.")
        training.add_argument("--scheme", required=True, help=f"One of: {names}.")
        training.add_argument(
            "--data",
            nargs="+",
            metavar="FILE",
            help="Labelled export files (UPR Info CSV, UHRI JSON, OHCHR .docx); without it, "
            "the tags accepted in the database.",
        )
        training.add_argument("--format", help="The files' import format when not by suffix.")
        training.add_argument(
            "--sessions", help="Only records of these UPR sessions, e.g. 1-13 or 1,3,5."
        )
        training.add_argument("--model", metavar="PATH", help="Where to save the model.")
        training.add_argument(
            "--no-embeddings",
            action="store_true",
            help="Do not use sentence embeddings even when the semantic extra is installed.",
        )
        training.add_argument("--json", action="store_true", help="Print the result as JSON.")
        training.add_argument("--no-progress", action="store_true", help="No progress bar.")

        evaluation = subcommands.add_parser(
            "evaluate", help="Score a trained tagger, and the baseline, on held-out files."
        )
        evaluation.add_argument("--scheme", required=True, help=f"One of: {names}.")
        evaluation.add_argument("--data", nargs="+", required=True, metavar="FILE")
        evaluation.add_argument("--format", help="The files' import format when not by suffix.")
        evaluation.add_argument("--sessions", help="Only records of these UPR sessions.")
        evaluation.add_argument("--model", metavar="PATH", help="The model to score.")
        evaluation.add_argument(
            "--no-baseline", action="store_true", help="Skip training the baseline."
        )
        evaluation.add_argument("--json", action="store_true", help="Print the result as JSON.")

        suggesting = subcommands.add_parser(
            "suggest", help="Suggest tags for recommendations with the trained taggers."
        )
        suggesting.add_argument("--batch", type=int, metavar="ID", help="Only this import batch.")
        suggesting.add_argument("--state", metavar="CODE", help="Only this State under review.")
        suggesting.add_argument(
            "--scheme",
            action="append",
            dest="schemes",
            metavar="SCHEME",
            help=f"Only this scheme (repeatable): {names}. Default: every trained one.",
        )
        suggesting.add_argument(
            "--min-confidence",
            type=float,
            metavar="X",
            help="Suggest every label at least this likely (0–1); default: the model's decisions.",
        )
        suggesting.add_argument("--json", action="store_true", help="Print the result as JSON.")
        suggesting.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        try:
            return getattr(self, f"_{options['subcommand']}")(options)
        except (DataError, ModelNotFound, ModelUnusable) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(validation_error_text(error)) from None

    def _scheme(self, name):
        try:
            return get_scheme(name)
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _train(self, options):
        scheme = self._scheme(options["scheme"])
        progress = ProgressBar(
            f"training {scheme.name}", unit="step", enabled=progress_wanted(options)
        )
        tagger_options = {"use_embeddings": False} if options["no_embeddings"] else {}
        started = time.perf_counter()
        try:
            saved = train(
                scheme,
                paths=options["data"],
                format=options["format"],
                sessions=parse_sessions(options["sessions"]),
                model_path=options["model"],
                options=tagger_options,
                progress=progress,
            )
        finally:
            progress.close()
        seconds = round(time.perf_counter() - started, 1)
        info = {**saved.tagger.info, "seconds": seconds, "model": str(saved.path)}
        if options["json"]:
            self.stdout.write(json.dumps({"scheme": scheme.name, **info}, default=str))
            return
        self.stdout.write(
            f"{scheme.name}: trained on {info['examples']} recommendations, "
            f"{info['labels']} labels, in {seconds} s"
            + (" (with sentence embeddings)" if info.get("embeddings") else "")
        )
        for key in ("cv_micro_f1", "cv_macro_f1"):
            if key in info:
                self.stdout.write(f"  cross-validated on the training data: {key} {info[key]}")
        if info.get("dropped_labels"):
            self.stdout.write(
                "  too rare to learn (fewer than 2 examples): " + ", ".join(info["dropped_labels"])
            )
        self.stdout.write(f"  saved to {saved.path}")

    def _evaluate(self, options):
        scheme = self._scheme(options["scheme"])
        saved = load_tagger(options["model"] or default_model_path(scheme.name), scheme=scheme.name)
        result = evaluate(
            scheme,
            saved,
            paths=options["data"],
            format=options["format"],
            sessions=parse_sessions(options["sessions"]),
            baseline=not options["no_baseline"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"{scheme.name}: {result['items']} items "
            f"({result['items_seen_in_training']} worded exactly as a training item); "
            f"trained on {result['training_examples']}"
            + (", with sentence embeddings" if result["embeddings"] else "")
        )
        self.stdout.write(f"  model     {format_scores(result['model'], scheme.multi_label)}")
        if "baseline" in result:
            self.stdout.write(
                f"  baseline  {format_scores(result['baseline'], scheme.multi_label)}"
                "  (TF-IDF + linear SVM)"
            )
        self.stdout.write(f"  predicted at {result['model']['items_per_second']} items/s")

    def _suggest(self, options):
        recommendations = Recommendation.objects.all()
        batch = state = None
        if options["batch"] is not None:
            batch = ImportBatch.objects.filter(pk=options["batch"]).first()
            if batch is None:
                raise CommandError(f"no import batch {options['batch']}")
            recommendations = recommendations.filter(import_batch=batch)
        if options["state"]:
            state = Term.objects.filter(
                scheme=Scheme.STATE, code=options["state"].strip().upper()
            ).first()
            if state is None:
                raise CommandError(f"no State with code {options['state']!r}")
            recommendations = recommendations.filter(state=state)
        progress = ProgressBar("suggesting", enabled=progress_wanted(options))
        started = time.perf_counter()
        try:
            runs = suggest_tags(
                recommendations=recommendations,
                schemes=options["schemes"],
                min_confidence=options["min_confidence"],
                batch=batch,
                state=state,
                progress=progress,
            )
        finally:
            progress.close()
        seconds = time.perf_counter() - started
        rows = [
            {
                "scheme": run.scheme,
                "run": run.pk,
                "recommendations": run.recommendations,
                "skipped": run.skipped,
                "created": run.created,
                "updated": run.updated,
                "withdrawn": run.withdrawn,
                "unknown_labels": run.unknown_labels,
            }
            for run in runs
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"runs": rows, "seconds": round(seconds, 2)}))
            return
        for row in rows:
            self.stdout.write(
                f"{row['scheme']}: {row['recommendations']} recommendations, "
                f"{row['skipped']} already tagged; suggestions created {row['created']}, "
                f"updated {row['updated']}, withdrawn {row['withdrawn']}"
                + (
                    f" ({row['unknown_labels']} labels not in the vocabulary)"
                    if row["unknown_labels"]
                    else ""
                )
            )
        self.stdout.write(f"in {seconds:.1f} s")
