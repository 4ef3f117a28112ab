"""`rightstrack export-activities --format csv|xlsx|json -o PATH [filters]`.

Writes the same rows as the download on the activity list, with the same filters. Without
``--user`` only what the public sees is exported (published activities of published presences).
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from rightstrack.activities.exports import ACTIVITIES, FORMATS, export_rows
from rightstrack.activities.filters import ACTIVITY_SORTS, ActivityFilterForm
from rightstrack.activities.models import ActivityType
from rightstrack.activities.selectors import activity_list
from rightstrack.core.progress import progress_wanted
from rightstrack.core.tabular import BOM_HELP


class Command(BaseCommand):
    help = "Export activities of field presences as CSV, XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(FORMATS), required=True)
        parser.add_argument("-o", "--output", required=True, help="File to write.")
        parser.add_argument(
            "--user",
            help="Export what this user may see (default: only what the public sees).",
        )
        parser.add_argument("--q", help="Words in the title, description, place or results.")
        parser.add_argument("--presence", help="Slug of a field presence, e.g. belarus.")
        parser.add_argument("--type", choices=ActivityType.values)
        parser.add_argument("--pillar", help="Code of a thematic pillar.")
        parser.add_argument("--population", help="Code of a spotlight population.")
        parser.add_argument("--affected", help="Code of a group of affected persons.")
        parser.add_argument("--partner", type=int, help="Id of a partner organization.")
        parser.add_argument("--donor", type=int, help="Id of a donor organization.")
        parser.add_argument("--year", type=int, help="Under way at some time in this year.")
        parser.add_argument("--published", choices=("yes", "no"))
        parser.add_argument("--sort", choices=[option.key for option in ACTIVITY_SORTS])
        parser.add_argument("--bom", action="store_true", help=BOM_HELP)
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        names = ActivityFilterForm.base_fields
        raw = {name: options[name] for name in names if options[name] not in (None, "")}
        # The list page's own form, so a filter means the same here as on the page.
        form = ActivityFilterForm(raw, show_published=True)
        if not form.is_valid():
            raise CommandError(f"Invalid filters: {form.errors.as_text()}")
        activities = activity_list(user=user, filters=form.filters())
        show = progress_wanted(options)
        total = activities.count() if show else None
        rows = tqdm(
            export_rows(activities),
            total=total,
            desc="activities",
            unit="row",
            file=sys.stderr,
            disable=not show,
        )
        try:
            ACTIVITIES.write(options["output"], options["format"], rows, bom=options["bom"])
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error}") from error
        self.stdout.write(f"Wrote {activities.count()} activities to {options['output']}.")
