"""Demo content: Belarus's real recommendations, when the real data is beside the project.

The UPR Info rows of Belarus's first review (session 8) and the Working Group report of that
review (A/HRC/15/16) are imported through the same service as any import: the report's 93
numbered recommendations join the 169 UPR Info rows (one per recommending State) that are the
same recommendations, so the demo holds 93. A file that an earlier load imported already is
skipped, so a second load changes nothing, not even the history; a demo database loaded before
imports matched sources has its copies merged (``match_held``).
"""

from django.conf import settings

from .imports.service import ImportFileError, already_imported, import_file, match_held

DEMO_STATE = "Belarus"
DEMO_IMPORTS = (
    ("upr-info", "upr-info/upr-info-sessions-6-9.csv", DEMO_STATE),
    ("un-wg-report", "un-documents/A-HRC-15-16-belarus-upr-working-group-report-2010.txt", None),
)


def load_demo_recommendations(*, stdout=None):
    """Import the demo recommendations; returns the batches (none without the real data)."""

    def say(line):
        if stdout is not None:
            stdout.write(line)

    data_dir = settings.SHARED_DATA_DIR
    if not data_dir.is_dir():
        say(f"Recommendations: no real data at {data_dir}; none imported.")
        return []
    batches = []
    for format_name, relative, state in DEMO_IMPORTS:
        path = data_dir / relative
        if not path.is_file():
            say(f"Recommendations: {relative} not found; skipped.")
            continue
        if already_imported(format=format_name, path=path):
            say(f"Recommendations from {path.name}: imported already.")
            continue
        try:
            batch = import_file(
                user=None, format=format_name, path=path, state=state, skip_invalid=True
            )
        except ImportFileError as error:
            say(f"Recommendations from {path.name}: not imported ({error.reason}).")
            continue
        say(
            f"Recommendations from {path.name}: created {batch.created}, updated "
            f"{batch.updated}, unchanged {batch.unchanged}, rejected {batch.rejected}"
        )
        batches.append(batch)
    if not batches:
        found = match_held(user=None, state=DEMO_STATE)
        if found.merged or found.queued:
            say(
                f"Recommendations: merged {found.merged} held twice, "
                f"{found.queued} possible duplicate(s) queued for review."
            )
    return batches
