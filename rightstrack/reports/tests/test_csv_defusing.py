"""Every CSV the product writes defuses formulas the same way.

A text cell that a spreadsheet program would run as a formula (it starts with =, +, -, @, a tab
or a carriage return) is written with a single quote before it: the list exports (page and
command) and every open-data dataset (download and ``export-open-data``). The exports and the
datasets are read from their registries, so a new one is checked as soon as it exists; a list
export without a case below fails the test until it gets one."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from itertools import cycle

import pytest
from django.conf import settings
from django.core.management import call_command

from rightstrack.activities.models import Activity, Organization
from rightstrack.core.tabular import EXPORTS, FORMULA_PREFIXES
from rightstrack.recommendations.models import Recommendation
from rightstrack.reports import opendata
from rightstrack.reports.opendata.schema import TEXT, TEXT_LIST
from rightstrack.taxonomy.models import Term

from .portal_world import build_world

pytestmark = pytest.mark.django_db

PAYLOADS = ('=HYPERLINK("x")', "+1", "-1", "@SUM(A1)")
HYPERLINK, PLUS, MINUS, AT = PAYLOADS

# Loading the URLs imports every view, and so every export the pages offer.
import_module(settings.ROOT_URLCONF)


def _defused(payload):
    return "'" + payload


def _csv_rows(content):
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))
    assert rows, "the world has rows for every CSV"
    return rows


def _assert_defused(content, planted):
    """No cell of the CSV starts like a formula, and each planted column holds its formula
    text behind one single quote, in every row."""
    rows = _csv_rows(content)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_PREFIXES), (column, cell)
    assert planted
    for column, payload in planted.items():
        assert {row[column] for row in rows} == {_defused(payload)}, column


# The list exports: how to put formula text in the columns of each, where to download it and
# which command writes it.


def _plant_recommendations(world):
    Recommendation.objects.update(text=HYPERLINK, number=PLUS, position_source=MINUS)
    Term.objects.update(label_en=AT)
    return {
        "text": HYPERLINK,
        "number": PLUS,
        "position_source": MINUS,
        "state": AT,
    }


def _plant_activities(world):
    Activity.objects.update(title=HYPERLINK, description=PLUS, place=MINUS, outputs=AT)
    # Names are unique: the one partner of the published activity.
    Organization.objects.filter(pk=world.partner.pk).update(name=HYPERLINK)
    return {
        "title": HYPERLINK,
        "description": PLUS,
        "place": MINUS,
        "outputs": AT,
        "partners": HYPERLINK,
    }


@dataclass(frozen=True)
class ListExportCase:
    plant: Callable[[object], dict[str, str]]
    url: str
    command: tuple[str, ...]


LIST_EXPORTS = {
    "recommendations": ListExportCase(
        _plant_recommendations, "/recommendations/export.csv", ("export", "recommendations")
    ),
    "activities": ListExportCase(
        _plant_activities, "/activities/export.csv", ("export-activities",)
    ),
}


def test_every_list_export_is_checked():
    assert set(EXPORTS) == set(LIST_EXPORTS)
    assert all("csv" in export.formats for export in EXPORTS.values())


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_the_list_export_defuses_formulas_on_the_page(client, name):
    planted = LIST_EXPORTS[name].plant(build_world())

    response = client.get(LIST_EXPORTS[name].url)

    assert response.status_code == 200
    _assert_defused(response.getvalue(), planted)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_the_list_export_defuses_formulas_from_the_command(tmp_path, name):
    planted = LIST_EXPORTS[name].plant(build_world())
    path = tmp_path / "out.csv"

    call_command(
        *LIST_EXPORTS[name].command,
        "--format",
        "csv",
        "-o",
        str(path),
        "--no-progress",
        stdout=io.StringIO(),
    )

    _assert_defused(path.read_bytes(), planted)


# The open-data datasets: formula text in every text column read straight from the rows.


def _plant_dataset(dataset):
    rows = dataset.rows()
    ids = list(rows.values_list("pk", flat=True))
    planted = {}
    payloads = cycle(PAYLOADS)
    for column in dataset.columns:
        if column.type not in (TEXT, TEXT_LIST) or "__" in column.path:
            continue
        payload = next(payloads)
        value = [payload] if column.is_list else payload
        rows.model.objects.filter(pk__in=ids).update(**{column.path: value})
        planted[column.name] = payload
    return planted


DATASETS_WITH_TEXT = [
    dataset.slug
    for dataset in opendata.DATASETS
    if any(column.type in (TEXT, TEXT_LIST) for column in dataset.columns)
]


def test_every_dataset_with_text_has_it_checked():
    assert len(DATASETS_WITH_TEXT) >= 10
    for slug in DATASETS_WITH_TEXT:
        dataset = opendata.dataset_get(slug)
        text = [column for column in dataset.columns if column.type in (TEXT, TEXT_LIST)]
        # A text read across a relation would need its own way to be planted here.
        assert all("__" not in column.path for column in text), slug


@pytest.mark.parametrize("slug", DATASETS_WITH_TEXT)
def test_the_open_data_download_defuses_formulas(client, slug):
    build_world()
    planted = _plant_dataset(opendata.dataset_get(slug))

    response = client.get(f"/open-data/{slug}.csv")

    assert response.status_code == 200
    _assert_defused(response.getvalue(), planted)


@pytest.mark.parametrize("slug", DATASETS_WITH_TEXT)
def test_the_open_data_command_defuses_formulas(tmp_path, slug):
    build_world()
    planted = _plant_dataset(opendata.dataset_get(slug))

    call_command(
        "export-open-data",
        str(tmp_path),
        "--dataset",
        slug,
        "--format",
        "csv",
        "--no-progress",
        stdout=io.StringIO(),
    )

    _assert_defused((tmp_path / f"{slug}.csv").read_bytes(), planted)
