import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rightstrack.taxonomy.models import Scheme, Term

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("load-vocabularies", *args, stdout=out)
    return out.getvalue()


def test_it_loads_and_prints_a_summary(tiny_data_dir):
    output = run("--data", str(tiny_data_dir), "--no-progress")
    lines = output.splitlines()
    assert lines[0].split() == ["vocabulary", "created", "updated", "unchanged"]
    state_row = next(line for line in lines if line.startswith("State "))
    assert state_row.split() == ["State", "195", "0", "0"]
    assert Term.objects.filter(scheme=Scheme.SDG_TARGET).count() == 3

    again = run("--data", str(tiny_data_dir), "--no-progress")
    total = next(line for line in again.splitlines() if line.startswith("total"))
    assert total.split() == ["total", "0", "0", str(Term.objects.count())]


def test_it_stops_with_status_2_naming_file_and_line(tiny_data_dir):
    path = tiny_data_dir / "sdg/en_global_targets.yml"
    path.write_text("1-1-title: fine\n1-1: no title suffix\n")
    with pytest.raises(CommandError) as caught:
        run("--data", str(tiny_data_dir), "--no-progress")
    assert caught.value.returncode == 2
    assert str(caught.value) == (f"{path}:2: unexpected key '1-1' (expected keys like '1-1-title')")
    assert not Term.objects.exists()


def test_it_prints_error_file_line_message_from_the_command_line(tiny_data_dir, tmp_path):
    path = tiny_data_dir / "taxonomy/uhri_taxonomy_from_impactoss_seeds.csv"
    path.write_text(path.read_text() + "uhri_affected_persons,,Migrants\n")
    # The error comes before the database is touched, so a fresh process needs no migrations.
    environment = {**os.environ, "RIGHTSTRACK_VAR_DIR": str(tmp_path / "var")}
    environment.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "rightstrack.cli", "load-vocabularies"]
    result = subprocess.run(  # noqa: S603
        [*command, "--data", str(tiny_data_dir)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {path}:7: expected 4 fields, found 3"
    assert result.stdout == ""


def test_it_says_when_it_loads_only_the_builtin_vocabularies(settings, tmp_path):
    settings.SHARED_DATA_DIR = tmp_path / "absent"
    output = run("--no-progress")
    assert "No data directory at" in output and "SDG goal" not in output
    assert Term.objects.filter(scheme=Scheme.STATE).count() == 195
