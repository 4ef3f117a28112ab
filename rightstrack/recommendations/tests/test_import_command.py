"""`rightstrack import FORMAT PATH...`: summary, JSON, exit codes."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from rightstrack.recommendations.models import ImportBatch, Recommendation

from .import_helpers import UPR_INFO_ROWS, write_upr_info, write_wg_report

pytestmark = pytest.mark.django_db


def run(*args):
    """(exit code, stdout, stderr) of the import command."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=stdout, stderr=stderr)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, stdout.getvalue(), stderr.getvalue()


def test_it_prints_one_summary_line_and_exits_0(tmp_path, terms):
    code, out, err = run("upr-info", str(write_upr_info(tmp_path / "u.csv")), "--no-progress")

    assert code == 0
    assert out == "created 4, updated 0, unchanged 0, rejected 0\n"
    assert err == ""


def test_it_prints_a_line_per_file_and_the_sum_for_several_files(tmp_path, terms):
    upr = write_upr_info(tmp_path / "u.csv")
    other = write_upr_info(tmp_path / "v.csv", (UPR_INFO_ROWS[0], UPR_INFO_ROWS[1]))

    code, out, _err = run("upr-info", str(upr), str(other))

    assert code == 0
    assert out.splitlines() == [
        "u.csv: created 4, updated 0, unchanged 0, rejected 0",
        "v.csv: created 0, updated 0, unchanged 1, rejected 0",
        "created 4, updated 0, unchanged 1, rejected 0",
    ]


def test_it_lists_warnings_by_line_and_in_json_and_exits_0(tmp_path, terms):
    rows = (*UPR_INFO_ROWS, "Belarus,EEG,CIS,Ensure fair trials,Narnia,,,Accepted,4,Justice,8")
    path = write_upr_info(tmp_path / "u.csv", rows)

    code, out, err = run("upr-info", str(path), "--no-progress")
    _code, as_json, _err = run("upr-info", str(path), "--json")

    assert code == 0
    assert out == "created 5, updated 0, unchanged 0, rejected 0\n"
    assert err == f"{path}:6: warning: unknown recommending State “Narnia” left out\n"
    assert json.loads(as_json)["files"][0]["warnings"] == [
        {"line": 6, "reason": "unknown recommending State “Narnia” left out"}
    ]


def test_it_exits_1_and_writes_nothing_when_a_row_is_bad(tmp_path, terms):
    rows = (*UPR_INFO_ROWS, "Atlantis,,,Sink less,France,,,Accepted,4,Justice,8")
    path = write_upr_info(tmp_path / "u.csv", rows)

    code, out, err = run("upr-info", str(path))

    assert code == 1
    assert out == "created 0, updated 0, unchanged 0, rejected 1\n"
    assert f"{path}:6: unknown State under review “Atlantis”" in err
    assert not Recommendation.objects.exists()

    code, out, err = run("upr-info", str(path), "--skip-invalid")

    assert code == 0
    assert out == "created 4, updated 0, unchanged 0, rejected 1\n"
    assert f"{path}:6:" in err


def test_it_exits_2_on_an_unreadable_file_or_wrong_format(tmp_path, terms):
    report = write_wg_report(tmp_path / "A-HRC-15-16.txt")

    code, out, err = run("upr-info", str(report))

    assert code == 2
    assert "not a UPR Info export" in err
    assert out == "created 0, updated 0, unchanged 0, rejected 0\n"
    assert not Recommendation.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
    for format, name in (("uhri-json", "missing.json"), ("upr-info", "missing.csv")):
        code, _out, err = run(format, str(tmp_path / name))
        assert code == 2
        assert err.strip() == f"{tmp_path / name}: file not found"  # the path once


def test_it_prints_json_with_json(tmp_path, terms):
    code, out, _err = run("upr-info", str(write_upr_info(tmp_path / "u.csv")), "--json")

    assert code == 0
    result = json.loads(out)
    assert (result["created"], result["rejected"]) == (4, 0)
    [file] = result["files"]
    assert file["file"] == "u.csv"
    assert file["status"] == "succeeded"
    assert len(file["checksum"]) == 64


def test_it_writes_nothing_with_dry_run(tmp_path, terms):
    code, out, err = run("upr-info", str(write_upr_info(tmp_path / "u.csv")), "--dry-run")

    assert code == 0
    assert out == "created 4, updated 0, unchanged 0, rejected 0\n"
    assert "Dry run" in err
    assert not Recommendation.objects.exists()
    assert ImportBatch.objects.get().dry_run


def test_it_passes_state_map_and_user(tmp_path, terms, users):
    path = tmp_path / "t.csv"
    path.write_text("Recommendation\nAdopt a law\n", encoding="utf-8")

    code, out, _err = run(
        "table",
        str(path),
        "--map",
        "text=Recommendation",
        "--state",
        "Belarus",
        "--mechanism",
        "UPR",
        "--user",
        "coordinator",
    )

    assert (code, out) == (0, "created 1, updated 0, unchanged 0, rejected 0\n")
    assert Recommendation.objects.get().state.code == "BLR"
    assert ImportBatch.objects.get().user == users["coordinator"]
    with pytest.raises(CommandError, match="Only coordinators"):
        run("table", str(path), "--map", "text=Recommendation", "--user", "viewer")
    with pytest.raises(CommandError, match="no user"):
        run("table", str(path), "--user", "nobody")
