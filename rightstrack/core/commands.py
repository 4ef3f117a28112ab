"""What the management commands share beyond their progress bars (core/progress.py)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def validation_error_text(error: ValidationError) -> str:
    """A service's refusal on one line for the command line, each message after its field."""
    if hasattr(error, "error_dict"):
        return " ".join(
            " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
