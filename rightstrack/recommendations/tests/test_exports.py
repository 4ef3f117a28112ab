import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from rightstrack.core.tests.export_rows import rows_from
from rightstrack.recommendations import exports
from rightstrack.recommendations.exports import COLUMNS
from rightstrack.recommendations.models import Recommendation, TagStatus
from rightstrack.taxonomy.models import Scheme

from .factories import RecommendationFactory, TagFactory, term

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    theme = term(Scheme.UHRI_THEME, "torture", "Torture")
    goal = term(Scheme.SDG_GOAL, "16", "Peace")
    target = term(Scheme.SDG_TARGET, "16.2", "End abuse", parent=goal)
    france = term(Scheme.STATE, "FRA", "France")
    ukraine = term(Scheme.STATE, "UKR", "Ukraine")
    matching = [
        RecommendationFactory(
            text=f"Prevent torture {number}; =SUM(A1) stays text.",
            number=f"98.{number}",
            tags=[theme, target],
            recommending_states=[france, ukraine],
        )
        for number in range(3)
    ]
    RecommendationFactory(text="Unrelated.")
    RecommendationFactory(text="Hidden torture draft.", is_published=False)
    TagFactory(
        recommendation=matching[0],
        term=term(Scheme.UHRI_THEME, "suggested", "Suggested theme"),
        machine_suggestion=True,
    )
    return matching


def download(client, fmt, query):
    response = client.get(reverse("recommendations:export", args=[fmt]), query)
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_it_exports_the_rows_of_the_page(client, data, fmt):
    query = {"q": "torture", "theme": "torture", "sort": "number"}
    page = client.get("/recommendations/", query).content.decode()
    rows = rows_from(fmt, download(client, fmt, query))
    assert [str(row["id"]) for row in rows] == [str(item.pk) for item in data]
    for item in data:
        assert f'id="recommendation-{item.pk}-title"' in page
    first = rows[0]
    assert list(first) == list(COLUMNS)
    assert first["state"] == "Belarus"
    assert first["text"] == "Prevent torture 0; =SUM(A1) stays text."
    assert first["url"] == f"http://testserver/recommendations/{data[0].pk}/"
    themes = first["themes"]
    assert (themes if fmt == "json" else themes.split("; ")) == ["Torture"]
    states = first["recommending_states"]
    assert sorted(states if fmt == "json" else states.split("; ")) == ["France", "Ukraine"]


def test_it_keeps_formulas_out_of_spreadsheets(client, data):
    content = download(client, "xlsx", {"q": "torture"})
    sheet = load_workbook(io.BytesIO(content)).active
    texts = [cell.value for cell in sheet["Q"][1:]]
    assert all(text.startswith("Prevent torture") for text in texts)
    assert all(cell.data_type == "s" for cell in sheet["Q"][1:])


def test_it_exports_only_what_the_reader_may_see(client, client_for, data):
    public = rows_from("json", download(client, "json", {"q": "torture"}))
    assert len(public) == 3
    assert all("Suggested theme" not in row["themes"] for row in public)
    internal = rows_from("json", download(client_for("viewer"), "json", {"q": "torture"}))
    assert len(internal) == 4


def test_it_refuses_unknown_formats(client):
    assert client.get("/recommendations/export.pdf").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_it_exports_from_the_command_line(tmp_path, data, fmt, users):
    target = tmp_path / f"out.{fmt}"
    out = io.StringIO()
    call_command(
        "export",
        "recommendations",
        "--format",
        fmt,
        "--q",
        "torture",
        "--sdg-target",
        "16.2",
        "-o",
        str(target),
        "--no-progress",
        stdout=out,
    )
    rows = rows_from(fmt, target.read_bytes())
    assert sorted(int(row["id"]) for row in rows) == sorted(item.pk for item in data)
    assert "3 recommendations written" in out.getvalue()
    call_command(
        "export",
        "recommendations",
        "--format",
        fmt,
        "--as",
        "viewer",
        "-o",
        str(target),
        "--no-progress",
        "--q",
        "torture",
        stdout=io.StringIO(),
    )
    assert len(rows_from(fmt, target.read_bytes())) == 4


def test_it_reads_the_related_terms_of_a_chunk_in_one_query_each_in_vocabulary_order(
    monkeypatch, django_assert_max_num_queries
):
    second = term(Scheme.UHRI_THEME, "b-theme", "Second theme", position=2)
    first = term(Scheme.UHRI_THEME, "z-theme", "First theme", position=1)
    ukraine = term(Scheme.STATE, "UKR", "Ukraine")
    france = term(Scheme.STATE, "FRA", "France")
    made = [
        RecommendationFactory(tags=[second, first], recommending_states=[ukraine, france])
        for _ in range(12)
    ]
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)

    queryset = Recommendation.objects.order_by("pk")
    # The terms once, the rows, then per chunk of 5 one query for tags and one for States.
    with django_assert_max_num_queries(2 + 2 * 3):
        rows = [
            dict(zip(exports.COLUMNS, row, strict=True))
            for row in exports.export_rows(queryset, tag_statuses=[TagStatus.ACCEPTED])
        ]

    assert [row["id"] for row in rows] == [item.pk for item in made]
    assert all(row["themes"] == ["First theme", "Second theme"] for row in rows)
    assert all(row["recommending_states"] == ["France", "Ukraine"] for row in rows)
