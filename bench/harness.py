"""What several benchmarks share: a throw-away database and the percentile they report."""

import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))


def setup_in(temp_dir: Path) -> None:
    """Set Django up on an empty SQLite database (and var directory) in temp_dir, migrated."""
    os.environ["RIGHTSTRACK_VAR_DIR"] = str(temp_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{temp_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
