import csv
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rightstrack.reports import opendata

from .portal_world import SECRET, build_world

pytestmark = pytest.mark.django_db


def test_it_writes_every_dataset_in_both_formats(tmp_path):
    build_world()

    call_command("export-open-data", str(tmp_path / "out"), "--base-url", "https://example.org/")

    out = tmp_path / "out"
    for dataset in opendata.DATASETS:
        with open(out / f"{dataset.slug}.csv", encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        records = json.loads((out / f"{dataset.slug}.json").read_text(encoding="utf-8"))
        assert rows[0] == dataset.column_names
        assert len(rows) - 1 == len(records) > 0, dataset.slug
        text = (out / f"{dataset.slug}.csv").read_text(encoding="utf-8").lower()
        assert SECRET not in text
    measures = json.loads((out / "measures.json").read_text())
    assert measures[0]["url"].startswith("https://example.org/plans/measures/")
    package = json.loads((out / "datapackage.json").read_text())
    assert len(package["resources"]) == len(opendata.DATASETS)
    assert not list(out.glob(".*.partial"))


def test_it_writes_only_the_datasets_and_formats_asked_for(tmp_path):
    build_world()

    call_command("export-open-data", str(tmp_path), "--dataset", "terms", "--format", "json")

    assert sorted(path.name for path in tmp_path.iterdir()) == ["datapackage.json", "terms.json"]


def test_it_refuses_a_directory_it_cannot_create(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")

    with pytest.raises(CommandError, match="Cannot create"):
        call_command("export-open-data", str(blocker / "out"))


def test_it_starts_csv_files_with_a_byte_order_mark_when_asked(tmp_path):
    build_world()

    call_command("export-open-data", str(tmp_path), "--dataset", "terms", "--no-progress")
    call_command("export-open-data", str(tmp_path / "bom"), "--dataset", "terms", "--bom")

    assert not (tmp_path / "terms.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "bom" / "terms.csv").read_bytes() == (
        b"\xef\xbb\xbf" + (tmp_path / "terms.csv").read_bytes()
    )
    assert (tmp_path / "bom" / "terms.json").read_bytes().startswith(b"[")
