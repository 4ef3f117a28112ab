"""Import speed: every UPR Info file, then UHRI-shaped JSON exports of 50,000 and 250,000 records.

    .venv/bin/python bench/import_speed.py                  # SQLite: a fresh temporary database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/import_speed.py              # PostgreSQL: a fresh database
                                                            # "rightstrack_import_bench" there

Needs ../shared/data (or --data DIR). Each run starts from an empty database (migrated, with the
vocabularies loaded), imports the four UPR Info files with ``rightstrack import upr-info``'s
service, then writes UHRI-shaped JSON files into a temporary directory and imports them with the
``uhri-json`` importer. The UHRI records are made from the UPR Info rows (cycled, each with a new
AnnotationId; every fourth one a Treaty Body observation) with 1–3 themes, 0–2 groups of affected
persons and 0–2 SDG targets drawn from the vocabularies, so every record carries tags.

Every import runs in its own process, so "peak RSS" is that import's own high-water mark: with
streaming, the 250,000-record import peaks no higher than the 50,000-record one. The table shows
records per second (records in the file / wall-clock seconds, full-text index included) and the
importing process's CPU seconds, which stay meaningful when other work shares the machine (the
load average is printed with the table).
"""

import argparse
import atexit
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench import harness  # noqa: E402
from bench.harness import uhri_vocabulary, upr_info_rows  # noqa: E402

BENCH_DATABASE = "rightstrack_import_bench"
UHRI_SIZES = (50_000, 250_000)
ANNOTATION_IDS = uuid.UUID("5f1e3c52-8f0a-4a57-9d1e-3b3c2b6f0a11")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None, help="the shared data directory")
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in UHRI_SIZES),
        help="UHRI file sizes to generate and import, comma-separated",
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--worker", nargs=2, metavar=("FORMAT", "PATH"), help=argparse.SUPPRESS)
    return parser.parse_args()


def fresh_database():
    """A DATABASE_URL of an empty database: a temporary SQLite file, or a new PG database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        directory = Path(tempfile.mkdtemp(prefix="rightstrack-bench-"))
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        return f"sqlite:///{directory / 'bench.sqlite3'}", "SQLite"
    import psycopg

    base, _slash, _name = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')

    def drop():
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')

    atexit.register(drop)
    return f"{base}/{BENCH_DATABASE}", "PostgreSQL"


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(format_name, path):
    """Import one file in this process and print what it took, as JSON."""
    setup_django()
    from rightstrack.recommendations.services import import_file

    before = rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    batch = import_file(user=None, format=format_name, path=Path(path))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    from rightstrack.recommendations.models import RecommendationTag

    print(
        json.dumps(
            {
                "records": batch.total,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "created": batch.created,
                "rejected": batch.rejected,
                "rss_before": before,
                "rss_peak": rss_mb(),
                "tags": RecommendationTag.objects.filter(
                    recommendation__import_batch=batch
                ).count(),
            }
        )
    )


def run_worker(format_name, path, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, __file__, "--worker", format_name, str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"import of {path} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_uhri_file(path, size, rows, vocabulary, rng):
    """The shared UHRI-shaped export with this benchmark's AnnotationIds (bench/dedup.py uses it
    too)."""
    harness.write_uhri_file(path, size, rows, vocabulary, rng, ids=ANNOTATION_IDS)


def main():
    args = parse_args()
    if args.worker:
        worker(*args.worker)
        return
    database_url, database_name = fresh_database()
    os.environ["DATABASE_URL"] = database_url
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from rightstrack.taxonomy.services import vocabularies_load

    data_dir = Path(args.data) if args.data else settings.SHARED_DATA_DIR
    if not (data_dir / "upr-info").is_dir():
        sys.exit(f"no UPR Info files in {data_dir}/upr-info (give --data DIR)")
    print(f"Database: {database_name} (fresh: {database_url})", flush=True)
    call_command("migrate", verbosity=0)
    vocabularies_load(data_dir=data_dir)

    results = []
    for path in sorted((data_dir / "upr-info").glob("upr-info-sessions-*.csv")):
        results.append((path.name, run_worker("upr-info", path, database_url)))
        print(f"  imported {path.name}", flush=True)

    vocabulary = uhri_vocabulary()
    rows = upr_info_rows(data_dir)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="rightstrack-uhri-") as directory:
        for size in (int(size) for size in args.sizes.split(",")):
            path = Path(directory) / f"export-{size}.json"
            write_uhri_file(path, size, rows, vocabulary, rng)
            megabytes = path.stat().st_size / 1e6
            results.append(
                (
                    f"UHRI JSON, {size:,} records ({megabytes:.0f} MB)",
                    run_worker("uhri-json", path, database_url),
                )
            )
            print(f"  imported {path.name}", flush=True)

    print()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Import speed on {database_name} ({os.cpu_count()} cores; load average now {load})")
    header = (
        f"{'file':<44} {'records':>8} {'tags':>9} {'seconds':>8} {'records/s':>10} "
        f"{'CPU s':>6} {'peak RSS':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, result in results:
        rate = result["records"] / result["seconds"]
        print(
            f"{name:<44} {result['records']:>8,} {result['tags']:>9,} {result['seconds']:>8.1f} "
            f"{rate:>10,.0f} {result['cpu_seconds']:>6.1f} {result['rss_peak']:>7.0f}MB"
        )
        if result["rejected"]:
            print(f"  ({result['rejected']} rows rejected)")
    upr = [result for name, result in results if name.endswith(".csv")]
    records = sum(result["records"] for result in upr)
    seconds = sum(result["seconds"] for result in upr)
    cpu_seconds = sum(result["cpu_seconds"] for result in upr)
    total = f"{'all UPR Info files':<44} {records:>8,} {'':>9} {seconds:>8.1f}"
    print(f"{total} {records / seconds:>10,.0f} {cpu_seconds:>6.1f}")
    print(
        "records/s: records in the file per wall-clock second of the import (parsing, "
        "resolving, writing, full-text index, commit).\nCPU s: the importing process's CPU "
        "time (on SQLite this includes the database's work; on PostgreSQL the server's is not)."
    )


if __name__ == "__main__":
    main()
