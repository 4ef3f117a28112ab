"""`rightstrack import-plan PATH (--plan ID | --new-plan-title TITLE --state CODE)`: import an
action plan's measures and indicators from its XLSX template or a Word table.

Exit codes: 0 when the file was imported (or, with --dry-run, could be); 1 when rows could not
be used (nothing was written); 2 when the file could not be read at all (nothing was written).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from rightstrack.core.commands import row_error_lines, user_named
from rightstrack.core.progress import ProgressBar, progress_wanted
from rightstrack.plans.imports.service import plan_import
from rightstrack.plans.models import ActionPlan
from rightstrack.recommendations.imports.commands import add_import_arguments, run_import


class Command(BaseCommand):
    help = (
        "Import the measures and indicators of an action plan from its XLSX template or a Word "
        "table with the same columns. Exit 1 when rows cannot be used, 2 when the file cannot "
        "be read; nothing is written then."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="the .xlsx or .docx file")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--plan", metavar="ID", help="the plan to import into (id or slug)")
        target.add_argument("--new-plan-title", metavar="TITLE", help="create a plan so named")
        parser.add_argument(
            "--state", metavar="CODE", help="with --new-plan-title: the plan's State (e.g. BLR)"
        )
        add_import_arguments(parser, dry_run="check and preview, write nothing")
        parser.add_argument(
            "--create-agencies",
            action="store_true",
            help="create the agencies the file names that are not on the list",
        )

    def _plan(self, value):
        if value is None:
            return None
        query = Q(slug=value) | Q(pk=int(value)) if value.isdigit() else Q(slug=value)
        plan = ActionPlan.objects.filter(query).first()
        if plan is None:
            raise CommandError(f"no action plan {value!r}", returncode=2)
        return plan

    def handle(self, *args, **options):
        user = user_named(options["user"])
        plan = self._plan(options["plan"])
        progress = ProgressBar(options["path"], enabled=progress_wanted(options), unit="measure")
        try:
            result, batch, exit_code = run_import(
                self.stderr,
                options["path"],
                lambda: plan_import(
                    actor=user,
                    path=options["path"],
                    plan=plan,
                    new_plan_title=options["new_plan_title"] or "",
                    state=options["state"],
                    dry_run=options["dry_run"],
                    create_agencies=options["create_agencies"],
                    progress=progress,
                ),
                batch_of=lambda result: result.batch,
            )
        finally:
            progress.close()
        outcome = result.outcome if result is not None else {}
        if options["json"]:
            self.stdout.write(json.dumps(_payload(batch, outcome), ensure_ascii=False, indent=2))
        else:
            self._print(options["path"], batch, outcome)
        if exit_code:
            sys.exit(exit_code)

    def _print(self, path, batch, outcome):
        for line in row_error_lines(path, batch.errors, batch.rejected):
            self.stderr.write(line)
        for warning in batch.warnings:
            self.stderr.write(f"{path}:{warning['line']}: {warning['reason']}")
        for item in outcome.get("measures", []):
            if item["action"] == "unchanged":
                continue
            details = [", ".join(item["fields"])] if item["fields"] else []
            details += [f"+{reference}" for reference in item["linked"]]
            details += [f"-{reference}" for reference in item["unlinked"]]
            details += item["indicators"]
            self.stdout.write(f"{item['action']} {item['number']}: {'; '.join(details)}")
        for agency in outcome.get("agencies", []):
            self.stdout.write(f"new agency: {agency['name']}")
        self.stdout.write(f"{batch.get_status_display()}. {batch.message}")


def _payload(batch, outcome):
    return {
        "batch": batch.pk,
        "file": batch.file_name,
        "status": batch.status,
        "dry_run": batch.dry_run,
        **batch.outcome(),
        **outcome,
    }
