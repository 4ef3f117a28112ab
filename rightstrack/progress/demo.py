"""Demo content: the Human Rights Committee's own follow-up grades of Belarus, when the real data
is beside the project. Importing the same file again changes nothing."""

from django.conf import settings

from rightstrack.recommendations.imports.service import already_imported

from .followup import FOLLOWUP_FORMAT
from .services import followup_import

DEMO_FOLLOWUP = "ccpr-followup/belarus_ccpr_followup_grades.csv"


def load_demo_followup(*, stdout=None):
    """Import the demo follow-up grades; returns the batch, or None without the real data."""
    path = settings.SHARED_DATA_DIR / DEMO_FOLLOWUP
    if not path.is_file():
        if stdout is not None:
            stdout.write(f"Follow-up grades: {DEMO_FOLLOWUP} not found; none imported.")
        return None
    if already_imported(format=FOLLOWUP_FORMAT, path=path):
        # Not even a new batch record: loading the demo twice changes nothing.
        if stdout is not None:
            stdout.write(f"Follow-up grades from {path.name}: imported already.")
        return None
    batch = followup_import(actor=None, path=path)
    if stdout is not None:
        stdout.write(
            f"Follow-up grades from {path.name}: created {batch.created}, updated "
            f"{batch.updated}, unchanged {batch.unchanged}"
        )
    return batch
