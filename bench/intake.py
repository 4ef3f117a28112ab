"""Reading hostile files safely (core.intake): its cost on real files, its saving on bad ones.

    .venv/bin/python bench/intake.py [--data DIR] [--line-mb 200] [--bomb-mb 1024]

Table 1, the real files of ../shared/data: the time to recognise each file's format (``import
auto``, the upload page's "Automatic") and to detect a text file's encoding (one bounded pass
over the whole file), beside the floor: reading the file's bytes once.

Table 2, hostile files written to a temporary directory: a CSV with one 200 MB line and a .docx
whose document.xml is 1 GB of zeros (about 1 MB on disk). Each is read in a process of its own,
so "peak RSS" is that reading's own high-water mark: refused by core.intake, beside the floor
(the same process doing nothing) and beside what the importers did before (the whole file read
and decoded, then parsed as CSV until the csv module's field limit stops it; the bomb is not
opened the old way: python-docx would inflate it).
"""

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

SETUP = """
import os, resource, sys, time
sys.path.insert(0, {project!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
import django
django.setup()
from pathlib import Path
from rightstrack.core import intake
path = Path({path!r})
started = time.perf_counter()
"""
REPORT = """
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
READERS = {
    "nothing (floor)": "pass",
    "core.intake (refused)": textwrap.dedent(
        """
        try:
            intake.open_text(path) if path.suffix == ".csv" else intake.check_zip(path)
        except intake.IntakeError as error:
            print(error.message[:70], file=sys.stderr)
        """
    ),
    "before: read, decode, csv": textwrap.dedent(
        """
        import csv, io
        text = path.read_bytes().decode("utf-8")
        try:
            rows = sum(1 for _row in csv.reader(io.StringIO(text, newline="")))
        except csv.Error as error:  # "field larger than field limit", once it is all read
            print(error, file=sys.stderr)
        """
    ),
}


def _in_process(path: Path, reader: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of reading ``path`` with ``reader`` in a fresh process."""
    code = SETUP.format(project=str(PROJECT_DIR), path=str(path)) + reader + REPORT
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    seconds, peak_kb = result.stdout.split()[-2:]
    return float(seconds), int(peak_kb) / 1024


def real_files(data: Path) -> None:
    from rightstrack.core import intake
    from rightstrack.recommendations.imports.formats import detect_format

    print(
        f"{'file':56} {'MB':>6} {'format':>14} {'recognise s':>12} {'encoding s':>11}",
        f"{'floor s':>8}",
    )
    for path in sorted(data.rglob("*")):
        if not path.is_file() or path.suffix not in (".csv", ".txt", ".docx", ".pdf", ".yml"):
            continue
        started = time.perf_counter()
        try:
            name = detect_format(path).name
        except intake.IntakeError:
            name = "(none)"
        recognise = time.perf_counter() - started
        encoding = "-"
        if path.suffix in (".csv", ".txt", ".yml"):
            started = time.perf_counter()
            intake.detect_encoding(path)
            encoding = f"{time.perf_counter() - started:.3f}"
        started = time.perf_counter()
        path.read_bytes()
        floor = time.perf_counter() - started
        size = path.stat().st_size / 2**20
        print(
            f"{path.name[:56]:56} {size:6.1f} {name:>14} {recognise:12.3f} {encoding:>11} "
            f"{floor:8.3f}"
        )


def hostile_files(temp: Path, line_mb: int, bomb_mb: int) -> None:
    line = temp / "long-line.csv"
    with line.open("wb") as stream:
        stream.write(b"text,state,mechanism,position\n")
        block = b"Ensure the right to vote " * 40_000
        for _ in range(line_mb * 2**20 // len(block)):
            stream.write(block)
        stream.write(b",Belarus,UPR,Supported\n")
    bomb = temp / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as stream:
            for _ in range(bomb_mb):
                stream.write(b"\0" * 2**20)
    print()
    print(f"{'file':34} {'on disk MB':>10} {'read by':>27} {'seconds':>8} {'peak RSS MB':>12}")
    for path, readers in ((line, READERS), (bomb, list(READERS)[:2])):
        for reader in readers:
            seconds, peak = _in_process(path, READERS[reader])
            size = path.stat().st_size / 2**20
            print(f"{path.name:34} {size:10.1f} {reader:>27} {seconds:8.2f} {peak:12.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=PROJECT_DIR.parent / "shared" / "data")
    parser.add_argument("--line-mb", type=int, default=200)
    parser.add_argument("--bomb-mb", type=int, default=1024)
    options = parser.parse_args()
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()
    if options.data.is_dir():
        real_files(options.data)
    else:
        print(f"{options.data} is absent: no real files to time")
    with tempfile.TemporaryDirectory() as temp:
        hostile_files(Path(temp), options.line_mb, options.bomb_mb)


if __name__ == "__main__":
    main()
