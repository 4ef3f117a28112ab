"""`rightstrack report plan-status|upr-midterm|presence-summary [selectors] --format F -o PATH`.

Generates the same documents as the /reports/ page, through the same service. Without ``--user``
a document holds published data only; ``--user NAME`` generates it with that user's access.
Without a selector each report takes the first published plan, State (with UPR recommendations)
or field presence. A bad selector (an unknown plan, no published plan, a cycle with no
recommendations, …) stops with a message and exit status 2.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from rightstrack.reports.documents.formats import FORMAT_KEYS
from rightstrack.reports.services import KINDS, report_build

BAD_INPUT = 2
SELECTORS = ("plan", "state", "cycle", "document", "mechanism", "group", "presence", "year")


class Command(BaseCommand):
    help = "Generate a plan status report, a UPR mid-term report draft or a presence summary."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="Which document to generate.")
        parser.add_argument(
            "--format",
            choices=FORMAT_KEYS,
            help="docx or pdf (default: from the extension of -o, else pdf).",
        )
        parser.add_argument(
            "-o",
            "--output",
            metavar="PATH",
            help="File to write (default: the document's own name in the current directory).",
        )
        parser.add_argument("--plan", help="plan-status: the plan's slug or id.")
        parser.add_argument("--state", help="upr-midterm: the State (name or code, e.g. Belarus).")
        parser.add_argument("--cycle", help="upr-midterm: the UPR cycle (default: the latest).")
        parser.add_argument(
            "--document",
            help="upr-midterm: one source document's symbol, e.g. CCPR/C/BLR/CO/5.",
        )
        parser.add_argument(
            "--mechanism",
            help="upr-midterm: a Treaty Body's code (e.g. CCPR), with --state: its latest "
            "document on that State.",
        )
        parser.add_argument(
            "--group", choices=("theme", "cluster"), help="upr-midterm: group by (theme)."
        )
        parser.add_argument("--presence", help="presence-summary: the presence's slug.")
        parser.add_argument("--year", help="presence-summary: the year (default: all years).")
        parser.add_argument(
            "--user",
            metavar="NAME",
            help="Generate with this user's access (default: published data only).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the document's headings and labels.",
        )

    def _format(self, options):
        if options["format"]:
            return options["format"]
        suffix = Path(options["output"] or "").suffix.lower().lstrip(".")
        return suffix if suffix in FORMAT_KEYS else "pdf"

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.", returncode=BAD_INPUT)
        params = {name: options[name] for name in SELECTORS if options[name] not in (None, "")}
        fmt = self._format(options)
        with translation.override(options["language"]):
            try:
                built = report_build(kind=options["kind"], user=user, params=params, fmt=fmt)
            except ValidationError as error:
                lines = [
                    f"--{field}: {message}" if field in SELECTORS else str(message)
                    for field, messages in error.message_dict.items()
                    for message in messages
                ]
                raise CommandError(
                    "Cannot generate the report:\n  " + "\n  ".join(lines), returncode=BAD_INPUT
                ) from error
        path = Path(options["output"] or built.filename)
        try:
            path.write_bytes(built.content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        size = len(built.content)
        self.stdout.write(f"Wrote {built.title} ({fmt}, {size:,} bytes) to {path}.")
