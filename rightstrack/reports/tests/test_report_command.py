import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .documents_world import build_world
from .reading import read_docx, read_pdf


@pytest.fixture
def world(users):
    return build_world(users)


def run(*args):
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_first_published_plan_where_told(world, tmp_path):
    path = tmp_path / "status.pdf"
    out = run("plan-status", "-o", str(path))
    # The format follows the file's extension; the message says where the file went.
    assert out.startswith("Wrote Plan status report (pdf, ")
    assert str(path) in out
    pdf = read_pdf(path.read_bytes())
    assert "Национальный план действий" in pdf.text
    assert "Data scope: published data only" in pdf.text
    assert "Secret internal plan" not in pdf.text


def test_it_writes_other_reports_with_their_selectors_and_a_user(world, tmp_path):
    path = tmp_path / "midterm.docx"
    run("upr-midterm", "--state", "BLR", "--cycle", "1", "--format", "docx", "-o", str(path))
    word = read_docx(path.read_bytes())
    assert "Old cycle recommendation on prisons" in word.text

    path = tmp_path / "ccpr.docx"
    run("upr-midterm", "--document", "CCPR/C/BLR/CO/5", "-o", str(path))
    assert "CCPR/C/137/2/Add.1" in read_docx(path.read_bytes()).text

    path = tmp_path / "secret.docx"
    run("plan-status", "--plan", "secret-plan", "--user", "coordinator", "-o", str(path))
    word = read_docx(path.read_bytes())
    assert "Data scope: internal data as seen by coordinator (Coordinator)" in word.paragraphs
    assert "Confidential other measure" in word.text


def test_it_names_the_file_itself_without_an_output(world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = run("presence-summary", "--year", "2023", "--format", "docx")
    written = list(tmp_path.iterdir())
    assert len(written) == 1
    assert written[0].name.startswith("presence-summary-belarus-test-2023-")
    assert written[0].suffix == ".docx"
    assert written[0].name in out
    assert "Семинар для адвокатов" in read_docx(written[0].read_bytes()).text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("plan-status", "--plan", "secret-plan"), "--plan: No action plan “secret-plan”"),
        (("plan-status", "--plan", "nope"), "--plan: No action plan “nope” that you may see."),
        (("upr-midterm", "--cycle", "9"), "--cycle: No UPR recommendation of cycle 9"),
        (("presence-summary", "--presence", "hidden-presence"), "--presence: No field presence"),
        (("presence-summary", "--plan", "national-plan"), "--plan: This report does not take"),
        (("plan-status", "--user", "nobody"), "No user named 'nobody'."),
    ],
)
def test_it_stops_with_status_2_on_a_bad_selector(world, tmp_path, args, message):
    path = tmp_path / "out.pdf"
    with pytest.raises(CommandError) as error:
        run(*args, "-o", str(path))
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert not path.exists()


def test_it_stops_with_status_2_when_nothing_is_published(db, tmp_path):
    with pytest.raises(CommandError) as error:
        run("plan-status", "-o", str(tmp_path / "out.pdf"))
    assert error.value.returncode == 2
    assert "There is no published action plan to report on." in str(error.value)
