"""`rightstrack import FORMAT PATH...`: import recommendations from files.

FORMAT ``auto`` recognises each file's format from its content and says which it picked.

Exit codes: 0 when every file was imported; 1 when a file had rows that could not be read (and
nothing of it was written, unless --skip-invalid); 2 when a file could not be read at all, is
not of the format named, no format recognises it, or it breaks a limit of core.intake (size,
zip container, line length, encoding): nothing of it was written.
"""

import json
import sys

from django.core.management.base import BaseCommand

from rightstrack.core.commands import row_error_lines, user_named
from rightstrack.core.progress import ProgressBar, progress_wanted
from rightstrack.recommendations.imports.commands import add_import_arguments, run_import
from rightstrack.recommendations.imports.formats import AUTOMATIC, FORMATS
from rightstrack.recommendations.imports.recovery import take_back_dead_imports
from rightstrack.recommendations.imports.service import FORMAT_OPTIONS
from rightstrack.recommendations.models import ImportBatch
from rightstrack.recommendations.services import import_file

COUNTS = ("created", "updated", "unchanged", "rejected")


def format_label(batch):
    return str(FORMATS[batch.format].label) if batch.format in FORMATS else batch.format


def summary_line(counts):
    return ", ".join(f"{name} {counts[name]}" for name in COUNTS)


def batch_summary(batch):
    return {
        "batch": batch.pk,
        "file": batch.file_name,
        "format": batch.format,
        "recognised": bool(batch.options.get("recognised")),
        "checksum": batch.checksum,
        "status": batch.status,
        "dry_run": batch.dry_run,
        "total": batch.total,
        **batch.outcome(),
    }


class Command(BaseCommand):
    help = (
        "Import recommendations from files: UPR Info exports, the UHRI JSON export, OHCHR "
        "thematic lists (.docx), UPR Working Group reports and their addenda (PDF, Word or "
        "text), or any CSV/XLSX table."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "format",
            choices=[AUTOMATIC, *sorted(FORMATS)],
            help="the format of the files; auto recognises it from each file's content",
        )
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files to import")
        parser.add_argument(
            "--state",
            metavar="NAME",
            help="import only this State under review; names it where the file does not",
        )
        add_import_arguments(parser, dry_run="check and count, write nothing")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="write the readable rows even when some rows cannot be read",
        )
        parser.add_argument(
            "--map",
            action="append",
            metavar="FIELD=COLUMN,...",
            help="table: the column of each field, e.g. text=Recommendation,state=Country",
        )
        parser.add_argument(
            "--symbol", help="the source document's symbol when the file does not state it"
        )
        parser.add_argument(
            "--mechanism", help="table: the mechanism or body when no column gives it"
        )
        parser.add_argument(
            "--encoding",
            metavar="CODEC",
            help="text files: read in this encoding (e.g. cp1251, mac_roman) instead of the "
            "detected one",
        )

    def handle(self, *args, **options):
        user = user_named(options["user"])
        # An earlier foreground import killed half way is taken back before anything else.
        for batch in take_back_dead_imports():
            self.stderr.write(
                f"Took back the unfinished import of {batch.file_name} (batch {batch.pk}): "
                "its process had stopped."
            )
        show_progress = progress_wanted(options)
        format_options = {name: options[name] for name in FORMAT_OPTIONS}
        results, exit_code = [], 0
        for path in options["paths"]:
            progress = ProgressBar(path, enabled=show_progress)
            try:
                _result, batch, code = run_import(
                    self.stderr,
                    path,
                    lambda path=path, progress=progress: import_file(
                        user=user,
                        format=options["format"],
                        path=path,
                        state=options["state"],
                        dry_run=options["dry_run"],
                        skip_invalid=options["skip_invalid"],
                        options=format_options,
                        progress=progress,
                    ),
                )
            finally:
                progress.close()
            exit_code = max(exit_code, code)
            if batch is None:
                continue  # no format recognised the file: nothing was recorded
            if batch.options.get("recognised") and not options["json"]:
                self.stderr.write(f"{path}: read as {batch.format} ({format_label(batch)})")
            self._report_errors(path, batch, options["json"])
            results.append(batch)

        totals = {name: sum(getattr(batch, name) for batch in results) for name in COUNTS}
        if options["json"]:
            payload = {**totals, "dry_run": options["dry_run"]}
            payload["files"] = [batch_summary(batch) for batch in results]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            if len(results) > 1:
                for batch in results:
                    counts = {name: getattr(batch, name) for name in COUNTS}
                    self.stdout.write(f"{batch.file_name}: {summary_line(counts)}")
            self.stdout.write(summary_line(totals))
        if exit_code:
            sys.exit(exit_code)

    def _report_errors(self, path, batch, as_json):
        if as_json:
            return
        for line in row_error_lines(path, batch.errors, batch.rejected):
            self.stderr.write(line)
        # Doubtful values read anyway, by line like the errors.
        warnings = [
            {**warning, "reason": f"warning: {warning['reason']}"} for warning in batch.warnings
        ]
        for line in row_error_lines(path, warnings, len(warnings)):
            self.stderr.write(line)
        failed_on_rows = batch.status == ImportBatch.Status.FAILED and batch.rejected
        if batch.message and (failed_on_rows or batch.dry_run):
            self.stderr.write(f"{path}: {batch.message}")
