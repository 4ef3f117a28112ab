"""`rightstrack load-vocabularies [--data DIR] [--no-progress]`: load every controlled vocabulary.

The module name has a hyphen on purpose: Django names a command after its module file, and the
README documents the command as `load-vocabularies`.
"""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import connections

from rightstrack.core.progress import progress_wanted
from rightstrack.taxonomy.models import Scheme
from rightstrack.taxonomy.services import VocabularyFileError, vocabularies_load

# The exit status for a missing or malformed vocabulary file (1 is any other failure).
EXIT_BAD_FILE = 2


class Command(BaseCommand):
    help = (
        "Load the controlled vocabularies: the built-in ones and those read from the data "
        "directory (SDG goals and targets, UHRI themes and affected persons, UPR Info issues). "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            metavar="DIR",
            default=None,
            help=(
                f"The data directory (default: {settings.SHARED_DATA_DIR} when it exists; "
                "without one only the built-in vocabularies are loaded)."
            ),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            counts = vocabularies_load(
                data_dir=options["data"],
                progress=progress_wanted(options),
            )
        except VocabularyFileError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_FILE) from error
        self._print_summary(counts, time.monotonic() - started)
        if options["data"] is None and not settings.SHARED_DATA_DIR.is_dir():
            self.stdout.write(
                f"No data directory at {settings.SHARED_DATA_DIR}: loaded the built-in "
                "vocabularies only (SDG, UHRI and UPR Info ones need --data DIR)."
            )

    def _print_summary(self, counts, seconds):
        labels = {scheme.value: str(scheme.label) for scheme in Scheme}
        columns = ("created", "updated", "unchanged")
        width = max(len("vocabulary"), *(len(labels[scheme]) for scheme in counts))
        header = f"{'vocabulary':<{width}}  " + "  ".join(f"{name:>9}" for name in columns)
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        totals = dict.fromkeys(columns, 0)
        for scheme, row in counts.items():
            self.stdout.write(
                f"{labels[scheme]:<{width}}  " + "  ".join(f"{row[name]:>9}" for name in columns)
            )
            for name in columns:
                totals[name] += row[name]
        self.stdout.write("-" * len(header))
        self.stdout.write(
            f"{'total':<{width}}  " + "  ".join(f"{totals[name]:>9}" for name in columns)
        )
        self.stdout.write(f"Loaded in {seconds:.1f} s.")

    def run_from_argv(self, argv):
        # As Django's own, but errors read "error: FILE:LINE: message" like a compiler's, so that
        # editors and CI logs can jump to the bad line.
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        command_options = vars(options)
        args = command_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **command_options)
        except CommandError as error:
            if options.traceback:
                raise
            self.stderr.write(f"error: {error}")
            sys.exit(error.returncode)
        finally:
            connections.close_all()
