"""What the management commands share beyond their progress bars (core/progress.py)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_ERRORS_SHOWN = 50


def validation_error_text(error: ValidationError) -> str:
    """A service's refusal on one line for the command line, each message after its field."""
    if hasattr(error, "error_dict"):
        return " ".join(
            " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def add_mailing_arguments(parser) -> None:
    """--dry-run, --today and --no-progress: the options of the commands that e-mail people
    (remind, digest)."""
    parser.add_argument(
        "--dry-run", action="store_true", help="Print what would be sent; send and record nothing."
    )
    parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")
    parser.add_argument("--no-progress", action="store_true", help="Show no progress bar.")


def write_would_send(stdout, messages) -> None:
    """What a dry run would e-mail: each (user, subject, body)."""
    for user, subject, body in messages:
        stdout.write(
            _("--- would send to %(email)s: %(subject)s")
            % {"email": user.email, "subject": subject}
        )
        stdout.write(body)


def today_option(value: str | None) -> date:
    """The day a command acts on: --today YYYY-MM-DD, or today."""
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("--today must be a date as YYYY-MM-DD.")) from error


def user_named(name: str | None):
    """The user a command acts as (--user NAME); None, the system, when no name is given."""
    if not name:
        return None
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        raise CommandError(f"no user named {name!r}")
    return user


def row_error_lines(path: str, errors: list[dict], rejected: int) -> list[str]:
    """An import batch's row errors as the command line shows them, "PATH:LINE: reason", at
    most MAX_ERRORS_SHOWN of them and how many more there are."""
    lines = [
        f"{path}:{error['line']}: {error['reason']}"
        if error.get("line")
        else f"{path}: {error['reason']}"
        for error in errors[:MAX_ERRORS_SHOWN]
    ]
    if rejected > MAX_ERRORS_SHOWN:
        lines.append(f"{path}: … and {rejected - MAX_ERRORS_SHOWN} more rows")
    return lines
