"""`rightstrack export recommendations --format csv|xlsx|json [filters] -o PATH`.

The filters are those of the /recommendations/ page (each list filter may be repeated:
``--state BLR --state UKR``). The export sees what the public sees (published recommendations,
accepted tags) unless ``--as USERNAME`` names a user whose view it should take.
"""

import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from rightstrack.core.progress import progress_wanted
from rightstrack.core.tabular import BOM_HELP
from rightstrack.recommendations.exports import FORMATS, RECOMMENDATIONS, export_rows
from rightstrack.recommendations.filters import (
    FILTER_NAMES,
    RECOMMENDATION_SORTS,
    SEARCH_MODES,
    parse_filters,
)
from rightstrack.recommendations.selectors import recommendation_ids, recommendation_search

DATASETS = ("recommendations",)
FILTER_HELP = {
    "q": 'full-text query: words, "a phrase", OR, -word',
    "state": "State under review (ISO code, e.g. BLR)",
    "mechanism": "mechanism or body code (UPR, CRC, …)",
    "cycle": "UPR cycle number",
    "session": "UPR session number",
    "position": "supported, supported-in-part, noted, pending or not-stated",
    "theme": "UHRI theme code",
    "affected": "affected persons code",
    "sdg_goal": "SDG goal (1–17)",
    "sdg_target": "SDG target (e.g. 16.2)",
    "issue": "UPR Info issue code",
    "action": "action category (1–5)",
    "recommending": "recommending State code",
    "cluster": "cluster slug",
    "document": "source document symbol",
    "batch": "import batch id: the recommendations that import created or last changed",
    "addressed": "yes or no: addressed by a measure of an action plan",
    "implementation": "implementation status (not-addressed, not-started, in-progress, "
    "partially-implemented, implemented, not-implemented)",
    "sources": "disagree: only recommendations whose sources disagree (position or date)",
}


class Command(BaseCommand):
    help = "Export recommendations (the same filters as the page) as CSV, XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("dataset", choices=DATASETS, help="What to export.")
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument("-o", "--output", required=True, metavar="PATH", help="File to write.")
        for name in FILTER_NAMES:
            flag = "--" + name.replace("_", "-")
            if name == "q":
                parser.add_argument(flag, default="", help=FILTER_HELP[name])
            else:
                parser.add_argument(
                    flag, dest=name, action="append", default=[], help=FILTER_HELP[name]
                )
        parser.add_argument(
            "--sort", choices=[option.key for option in RECOMMENDATION_SORTS], default=""
        )
        parser.add_argument(
            "--mode",
            choices=[key for key, _label in SEARCH_MODES],
            default="",
            help="words (default), or meaning: rank --q by meaning as well as words (the best "
            "matches; needs `rightstrack similarity build`, else the words are searched)",
        )
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            metavar="USERNAME",
            help="Export what this user may see (default: what the public sees).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Prefix of the url column, e.g. https://rightstrack.example.org",
        )
        parser.add_argument("--bom", action="store_true", help=BOM_HELP)
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress.")

    def handle(self, *args, **options):
        user = AnonymousUser()
        if options["username"]:
            try:
                user = get_user_model().objects.get(username=options["username"], is_active=True)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no active user named {options['username']!r}") from None
        data = {name: options[name] for name in FILTER_NAMES}
        data["sort"] = options["sort"]
        data["mode"] = options["mode"]
        filters = parse_filters(data)
        search = recommendation_search(user=user, filters=filters)
        if filters.by_meaning():
            total = search.results.count()
            if search.meaning_unavailable:
                self.stderr.write(
                    "no semantic index (build it with `rightstrack similarity build`): "
                    "the words were searched"
                )
        else:
            total = recommendation_ids(user=user, filters=filters).count()
        rows = export_rows(
            search.sorted_queryset(),
            tag_statuses=search.tag_statuses,
            base_url=options["base_url"].rstrip("/"),
        )
        show = progress_wanted(options)
        with tqdm(
            rows, total=total, disable=not show, unit=" rows", file=sys.stderr, desc="export"
        ) as progress:
            try:
                RECOMMENDATIONS.write(
                    options["output"], options["format"], progress, bom=options["bom"]
                )
            except OSError as error:
                raise CommandError(f"cannot write {options['output']}: {error}") from None
        self.stdout.write(f"{total} recommendations written to {options['output']}")
