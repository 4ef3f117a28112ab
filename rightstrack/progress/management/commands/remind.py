"""rightstrack remind [--dry-run] [--today YYYY-MM-DD]: e-mail focal points what is due.

Each focal point gets one e-mail listing their agency's progress reports due within 30 days or
overdue. What they were already reminded of today is left out, so running it twice the same day
sends nothing twice. The daily digest (``rightstrack digest``) lists the same items, recorded
in the same log: what one sent today the other leaves out. E-mail goes through Django's e-mail
backend (the console by default; SMTP when EMAIL_BACKEND and EMAIL_HOST are set in the
environment).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from rightstrack.core.commands import add_mailing_arguments, today_option, write_would_send
from rightstrack.core.progress import progress_wanted
from rightstrack.progress.due import DEFAULT_HORIZON_DAYS
from rightstrack.progress.services import reminders_send


class Command(BaseCommand):
    help = "E-mail each focal point the progress reports due within 30 days or overdue."

    def add_arguments(self, parser):
        add_mailing_arguments(parser)
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_HORIZON_DAYS,
            help="Remind of reports due within this many days (default 30).",
        )

    def handle(self, *args, dry_run=False, today=None, days=DEFAULT_HORIZON_DAYS, **options):
        today = today_option(today)
        if days < 0:
            raise CommandError(_("--days cannot be negative."))
        show_progress = progress_wanted(options)

        def progress(users):
            return tqdm(users, desc="focal points", unit="user", disable=not show_progress)

        reminders = reminders_send(
            today=today, dry_run=dry_run, horizon_days=days, progress=progress
        )
        if dry_run:
            write_would_send(
                self.stdout, [(item.user, item.subject, item.body) for item in reminders]
            )
        counts = {
            "reminders": len(reminders),
            "items": sum(len(reminder.items) for reminder in reminders),
            "today": today.isoformat(),
        }
        if dry_run:
            summary = _(
                "would send %(reminders)d reminder(s) listing %(items)d due report(s) as of "
                "%(today)s."
            )
        else:
            summary = _(
                "sent %(reminders)d reminder(s) listing %(items)d due report(s) as of %(today)s."
            )
        self.stdout.write(self.style.SUCCESS(summary % counts))
