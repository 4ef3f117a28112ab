"""What the import commands share: their common options, and running one file's import and
turning its failures into exit codes (1: rows could not be used, nothing written; 2: the file
could not be read)."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from rightstrack.core.commands import validation_error_text

from ..models import ImportBatch
from .service import ImportFileError


def add_import_arguments(parser: Any, *, dry_run: str) -> None:
    """The options of every import command: --dry-run (``dry_run`` says what it does then),
    --json, --user (read with core.commands.user_named) and --no-progress."""
    parser.add_argument("--dry-run", action="store_true", help=dry_run)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--user", metavar="NAME", help="record the import as this user (default: the system)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run_import(
    stderr: Any,
    path: str,
    run: Callable[[], Any],
    *,
    batch_of: Callable[[Any], ImportBatch] = lambda result: result,
) -> tuple[Any, ImportBatch, int]:
    """(what ``run`` returned or None, the batch, the exit code). An unreadable file is written
    to ``stderr`` and exits 2, rows that could not be used exit 1; a refusal (permission,
    invalid options) stops the command with its message."""
    try:
        result = run()
    except ImportFileError as error:
        stderr.write(f"{path}: {error.reason}")
        return None, error.batch, 2
    except PermissionDenied as error:
        raise CommandError(str(error)) from None
    except ValidationError as error:
        raise CommandError(validation_error_text(error)) from None
    batch = batch_of(result)
    return result, batch, 1 if batch.status == ImportBatch.Status.FAILED else 0
