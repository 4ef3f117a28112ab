"""rightstrack digest [--dry-run] [--today YYYY-MM-DD]: the daily e-mail digest.

Each active user with an e-mail address who has not turned the digest off gets one e-mail: the
reports due (focal points; the items of ``rightstrack remind``, never twice a day) and their
notifications not e-mailed yet (reports returned or approved, reports and assessments to review,
new recommendations for their saved searches). The worker runs it once a day by itself.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from rightstrack.core.commands import add_mailing_arguments, today_option, write_would_send
from rightstrack.core.progress import progress_wanted
from rightstrack.notifications.services import digest_send


class Command(BaseCommand):
    help = "E-mail each user their daily digest: reports due and notifications not e-mailed yet."

    def add_arguments(self, parser):
        add_mailing_arguments(parser)

    def handle(self, *args, dry_run=False, today=None, **options):
        today = today_option(today)
        show_progress = progress_wanted(options)
        digests = digest_send(
            today=today,
            dry_run=dry_run,
            progress=lambda users: tqdm(
                users, desc="users", unit="user", disable=not show_progress
            ),
        )
        if dry_run:
            write_would_send(
                self.stdout, [(item.user, item.subject, item.body) for item in digests]
            )
        counts = {
            "digests": len(digests),
            "items": sum(digest.items for digest in digests),
            "today": today.isoformat(),
        }
        if dry_run:
            summary = _(
                "would send %(digests)d digest(s) listing %(items)d item(s) as of %(today)s."
            )
        else:
            summary = _("sent %(digests)d digest(s) listing %(items)d item(s) as of %(today)s.")
        self.stdout.write(self.style.SUCCESS(summary % counts))
