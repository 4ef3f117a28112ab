"""`rightstrack similarity build`: build the similarity and semantic-search indexes.

Both are built over every recommendation in the database and saved under var/models/
(similarity.joblib, semantic.joblib); the web server picks up a rebuilt index by itself.
Sentence embeddings are used when the semantic extra is installed, unless --no-embeddings.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from rightstrack.core.progress import ProgressBar, progress_wanted
from rightstrack.intelligence import semantic, similarity


class Command(BaseCommand):
    help = "Build the indexes of similar recommendations and of search by meaning."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        build = subcommands.add_parser("build", help="Build both indexes from the database.")
        build.add_argument(
            "--only", choices=("similarity", "semantic"), help="Build only one of the two."
        )
        build.add_argument(
            "--no-embeddings",
            action="store_true",
            help="Use TF-IDF / LSA vectors even when the semantic extra is installed.",
        )
        build.add_argument("--json", action="store_true", help="Print the result as JSON.")
        build.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        if options["subcommand"] != "build":
            raise CommandError(f"unknown subcommand {options['subcommand']!r}")
        show = progress_wanted(options)
        use_embeddings = False if options["no_embeddings"] else None
        results = {}
        builders = {
            "similarity": (similarity.build_index, similarity.index_file),
            "semantic": (semantic.build_index, semantic.index_file),
        }
        for name, (build, path) in builders.items():
            if options["only"] and options["only"] != name:
                continue
            progress = ProgressBar(f"{name} index", enabled=show)
            started = time.perf_counter()
            try:
                index = build(use_embeddings=use_embeddings, progress=progress)
            finally:
                progress.close()
            results[name] = {
                **index.info,
                "seconds": round(time.perf_counter() - started, 1),
                "file": str(path()),
            }
        if options["json"]:
            self.stdout.write(json.dumps(results))
            return
        for name, result in results.items():
            detail = f", {result['kind']}" if "kind" in result else ""
            if result.get("embeddings"):
                detail += ", with sentence embeddings"
            self.stdout.write(
                f"{name}: {result['items']} recommendations{detail}, in {result['seconds']} s, "
                f"saved to {result['file']}"
            )
