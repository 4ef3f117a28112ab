"""What the management commands share beyond their progress bars (core/progress.py)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import CommandError

MAX_ERRORS_SHOWN = 50


def validation_error_text(error: ValidationError) -> str:
    """A service's refusal on one line for the command line, each message after its field."""
    if hasattr(error, "error_dict"):
        return " ".join(
            " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


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
