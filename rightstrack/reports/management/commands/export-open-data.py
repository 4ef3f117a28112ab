"""`rightstrack export-open-data DIR [--dataset SLUG ...] [--format csv|json] [--base-url URL]`.

Writes every published dataset of the open-data page (see reports/opendata.py) to DIR, in CSV
and JSON, with the Frictionless ``datapackage.json`` describing them: the same files as the
downloads on /open-data/, under stable names (``recommendations.csv``, ``terms.json``, …) so a
mirror can be refreshed in place. Only published data is written, whoever runs the command.
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from rightstrack.core.progress import progress_wanted
from rightstrack.core.tabular import BOM_HELP, replaced_file
from rightstrack.reports import opendata


class Command(BaseCommand):
    help = "Write every published open-data dataset as CSV and JSON files to a directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Directory to write to (created if missing).")
        parser.add_argument(
            "--dataset",
            action="append",
            choices=list(opendata.DATASETS_BY_SLUG),
            help="Only this dataset (may be repeated); default: all.",
        )
        parser.add_argument(
            "--format",
            action="append",
            choices=list(opendata.FORMATS),
            help="Only this format (may be repeated); default: csv and json.",
        )
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="Address of the site, for the links to its pages (default: SITE_URL).",
        )
        parser.add_argument("--bom", action="store_true", help=BOM_HELP)
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {directory}: {error}") from error
        slugs = options["dataset"] or list(opendata.DATASETS_BY_SLUG)
        formats = options["format"] or list(opendata.FORMATS)
        base_url = options["base_url"].rstrip("/")
        show = progress_wanted(options)
        written = 0
        for slug in slugs:
            dataset = opendata.dataset_get(slug)
            total = opendata.dataset_summary(dataset).row_count
            for fmt in formats:
                path = directory / f"{dataset.slug}.{fmt}"
                rows = tqdm(
                    opendata.dataset_rows(dataset, base_url=base_url),
                    total=total,
                    desc=path.name,
                    unit="row",
                    file=sys.stderr,
                    disable=not show,
                )
                try:
                    opendata.export_file(dataset, fmt, path, rows=rows, bom=options["bom"])
                except OSError as error:
                    raise CommandError(f"Cannot write {path}: {error}") from error
                written += 1
                self.stdout.write(f"{path}: {total} rows")
        package = opendata.data_package(base_url=base_url)
        path = directory / "datapackage.json"
        try:
            with replaced_file(path) as stream:
                stream.write((json.dumps(package, indent=2) + "\n").encode("utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        self.stdout.write(f"Wrote {written} files and datapackage.json to {directory}.")
