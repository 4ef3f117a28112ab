"""`rightstrack dedup [--state NAME]`: join the recommendations held twice.

Imports match every new record to the recommendations held (recommendations/dedup.py). Databases
filled before that hold the same recommendation several times (a UPR Info row beside the Working
Group report's numbered entry); this merges those it is confident of (each merge recorded and
reversible from the recommendation's page) and queues the doubtful ones for review.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rightstrack.core.commands import validation_error_text
from rightstrack.recommendations.imports.service import match_held


class Command(BaseCommand):
    help = "Merge the recommendations held twice (several sources of one recommendation)."

    def add_arguments(self, parser):
        parser.add_argument("--state", metavar="NAME", help="only this State under review")

    def handle(self, *args, **options):
        try:
            found = match_held(user=None, state=options["state"])
        except ValidationError as error:
            raise CommandError(validation_error_text(error)) from None
        self.stdout.write(
            f"Merged {found.merged} recommendation(s) into the one they repeat; "
            f"{found.queued} possible duplicate(s) queued for review."
        )
