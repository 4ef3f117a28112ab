"""`rightstrack import-followup PATH...`: a Treaty Body's follow-up grades (A–E) as the
mechanism's own assessments."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rightstrack.core.commands import validation_error_text
from rightstrack.progress.services import followup_import
from rightstrack.recommendations.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Import a Treaty Body's follow-up grades (CSV: state, co_symbol, co_date, "
        "assessment_symbol, assessment_year, para, title, limb, grade). Exit 1 when a row "
        "cannot be read (nothing is written), 2 when a file cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--dry-run", action="store_true", help="Check without writing.")
        parser.add_argument("--json", action="store_true", help="Print the outcome as JSON.")

    def handle(self, *args, **options):
        failed = False
        for path in options["paths"]:
            try:
                batch = followup_import(actor=None, path=path, dry_run=options["dry_run"])
            except ValidationError as error:
                raise CommandError(validation_error_text(error), returncode=2) from None
            self._print(batch, as_json=options["json"])
            failed = failed or batch.status != ImportBatch.Status.SUCCEEDED
        if failed:
            raise CommandError("Some rows could not be read; nothing was written.", returncode=1)

    def _print(self, batch, *, as_json):
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "file": batch.file_name,
                        "status": batch.status,
                        "created": batch.created,
                        "updated": batch.updated,
                        "unchanged": batch.unchanged,
                        "errors": batch.errors,
                        "message": batch.message,
                    }
                )
            )
            return
        for error in batch.errors:
            self.stderr.write(f"{batch.file_name}:{error['line']}: {error['reason']}")
        self.stdout.write(
            f"{batch.file_name}: {batch.get_status_display()}; created {batch.created}, "
            f"updated {batch.updated}, unchanged {batch.unchanged}. {batch.message}"
        )
