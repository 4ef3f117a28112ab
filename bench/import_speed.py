"""Import speed into a database that already holds recommendations, with a user saving beside it.

    .venv/bin/python bench/import_speed.py                      # 250,000 held, 30,000 imported
    .venv/bin/python bench/import_speed.py --existing 50000 --size 20000
    .venv/bin/python bench/import_speed.py --existing 0 --size 250000   # into an empty database

SQLite only. Needs ../shared/data (or --data DIR).

The database held: ``var/bench/import-base-N.sqlite3``, built once through the app's own import
path (``bench/pages.py``'s build: a UHRI-shaped export of N records imported with
``import_file``) and reused afterwards; ``--base FILE`` copies another built database instead
(bench/pages.py's ``var/bench/pages-N.sqlite3``, say; it is read, never written, and migrated
after copying). Every run imports into a fresh copy, so the base stays as it was built.

The file imported: --size UHRI-shaped records (the UPR Info texts, with 1-3 themes, 0-2 groups
of affected persons and 0-2 SDG targets each). --overlap of them concern recommendations held:
half send a held record again (the same AnnotationId, its position changed: an update), half
are another export's record of a held recommendation (a new AnnotationId, the text without its
paragraph number: the matching of dedup.py has to find it among the State's and session's
recommendations). They are spread through the file.

Timed, what the user waits for: the whole ``import_file`` (parse, resolve, match, write, full-text
index, kept counts' version, commit), in a process of its own (its peak RSS shown). Beside it, the
floor: the raw parse of the same file (the format's parser alone), and a raw ``executemany``
INSERT of the same rows' values into a plain table of the same database.

The parallel client: while the import runs, a thread of this process saves a measure through
the service (``measure_update``) every second; the table gives its saves, failed writes and
the p50/p95/max time a save took (waiting for SQLite's write lock included).
"""

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench import harness  # noqa: E402
from bench.harness import percentile, uhri_vocabulary, upr_info_rows  # noqa: E402

BENCH_DIR = PROJECT_DIR / "var" / "bench"
ANNOTATION_IDS = uuid.UUID("5f1e3c52-8f0a-4a57-9d1e-3b3c2b6f0a11")
# The AnnotationIds of the records the file adds (none is held).
NEW_IDS = uuid.UUID("9b1f0c7e-2d4a-4c55-8e0b-6a7d3f2e1c90")
SAVE_EVERY_SECONDS = 1.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data directory")
    parser.add_argument("--existing", type=int, default=250_000, help="recommendations held")
    parser.add_argument("--size", type=int, default=30_000, help="records in the file imported")
    parser.add_argument(
        "--overlap", type=float, default=0.2, help="share of the file about records held"
    )
    parser.add_argument("--base", type=Path, default=None, help="a built database to copy")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--profile", type=Path, default=None, help="cProfile the import into FILE")
    parser.add_argument("--worker", nargs=2, metavar=("FORMAT", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--build", type=Path, default=None, help=argparse.SUPPRESS)
    return parser.parse_args()


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sqlite_url(path):
    return f"sqlite:///{path}"


def run_python(args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


# --- the database held -------------------------------------------------------------------------


def build(args):
    """(In a process of its own.) Migrate, load the vocabularies, import --existing records."""
    setup_django(os.environ["DATABASE_URL"])
    from django.core.management import call_command

    from rightstrack.taxonomy.services import vocabularies_load

    if args.existing:
        from bench import pages

        built = pages.build(SimpleNamespace(count=args.existing, data=args.data, seed=args.seed))
        print(json.dumps(built))
    else:
        call_command("migrate", verbosity=0)
        call_command("migrate", database="jobs", verbosity=0)
        vocabularies_load(data_dir=args.data)
        print(json.dumps({}))


def copy_database(source, target):
    """A consistent copy of a SQLite database (its WAL included), without writing the source."""
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    with contextlib.closing(origin), contextlib.closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def base_database(args):
    """The path of a database holding --existing recommendations, built when missing."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    base = BENCH_DIR / f"import-base-{args.existing}.sqlite3"
    if base.exists():
        return base
    given = args.base or BENCH_DIR / f"pages-{args.existing}.sqlite3"
    if given.exists() and args.existing:
        print(f"Copying {given} to {base} ...", flush=True)
        copy_database(given, base.with_suffix(".part"))
        base.with_suffix(".part").rename(base)
        return base
    print(f"Building {args.existing:,} recommendations held in {base} ...", flush=True)
    part = base.with_name(base.stem + "-part.sqlite3")
    for tail in ("", "-wal", "-shm"):
        Path(f"{part}{tail}").unlink(missing_ok=True)
    forwarded = ["--build", str(part), "--existing", str(args.existing), "--seed", str(args.seed)]
    output = run_python([*forwarded, "--data", str(args.data)], sqlite_url(part))
    built = json.loads(output.strip().splitlines()[-1])
    if built:
        rate = built["records"] / built["seconds"]
        print(f"  built in {built['seconds']:.0f} s ({rate:,.0f} records/s)", flush=True)
    copy_database(part, base)
    for name in (part, part.with_name(f"{part.stem}-jobs.sqlite3")):
        for tail in ("", "-wal", "-shm"):
            Path(f"{name}{tail}").unlink(missing_ok=True)
    return base


# --- the file ----------------------------------------------------------------------------------


def write_uhri_file(path, size, rows, vocabulary, rng):
    """The shared UHRI-shaped export with this benchmark's AnnotationIds (bench/dedup.py uses it
    too)."""
    harness.write_uhri_file(path, size, rows, vocabulary, rng, ids=ANNOTATION_IDS)


def held_records(count, rng):
    """UHRI-shaped records of ``count`` recommendations held (UPR ones, with a session and one
    recommending State): half the same record again with its position changed, half another
    export's record of it (new AnnotationId, no paragraph number)."""
    from rightstrack.recommendations.models import Recommendation
    from rightstrack.taxonomy.models import Term

    held = list(
        Recommendation.objects.filter(
            source_key__startswith="uhri:", session__isnull=False, mechanism__code="UPR"
        )
        .exclude(number="")
        .values_list("id", flat=True)
    )
    chosen = rng.sample(held, min(count, len(held)))
    labels = dict(Term.objects.values_list("pk", "label_en"))
    through = Recommendation.recommending_states.through
    made_by = dict(
        through.objects.filter(recommendation_id__in=chosen).values_list(
            "recommendation_id", "term_id"
        )
    )
    rows = Recommendation.objects.filter(pk__in=chosen).values(
        "id", "source_key", "state_id", "session", "date", "number", "text", "position"
    )
    for number, row in enumerate(sorted(rows, key=lambda row: row["id"])):
        again = number % 2 == 0
        position = "Noted" if row["position"] == "supported" else "Supported"
        recommending = labels.get(made_by.get(row["id"]))
        yield {
            "AnnotationId": (
                row["source_key"].removeprefix("uhri:")
                if again
                else str(uuid.uuid5(ANNOTATION_IDS, f"held:{row['id']}"))
            ),
            "AnnotationType": "- Recommendation",
            "Body": "- UPR",
            "Countries": [labels[row["state_id"]]],
            "PublicationDate": f"{row['date']}T00:00:00" if row["date"] else None,
            "Symbol": None,
            "Text": f"{row['number']} {row['text']}" if again else row["text"],
            "Themes": [],
            "AffectedPersons": [],
            "Sdgs": [],
            "UprCycle": None,
            "UprSession": [str(row["session"])],
            "UprPositions": [f"- {position}"],
            "UprRecommendingCountry": [recommending] if recommending else [],
        }


def write_file(path, args, data_dir):
    """The file imported (see the module's docstring); returns (new, held) record counts."""
    rng = random.Random(args.seed + 1)
    overlapping = list(held_records(int(args.size * args.overlap), rng)) if args.existing else []
    rows = upr_info_rows(data_dir)
    start = rng.randrange(len(rows))
    fresh_path = path.with_name("fresh.json")
    harness.write_uhri_file(
        fresh_path,
        args.size - len(overlapping),
        rows[start:] + rows[:start],
        uhri_vocabulary(),
        rng,
        ids=NEW_IDS,
    )
    fresh = json.loads(fresh_path.read_text(encoding="utf-8"))
    fresh_path.unlink()
    every = max(1, len(fresh) // max(1, len(overlapping)))
    with path.open("w", encoding="utf-8") as stream:
        stream.write("[\n")
        written = 0
        for index, record in enumerate(fresh):
            records = [record]
            if overlapping and index % every == 0:
                records.append(overlapping.pop())
            for one in records:
                stream.write((",\n" if written else "") + json.dumps(one, ensure_ascii=False))
                written += 1
        for one in overlapping:
            stream.write(",\n" + json.dumps(one, ensure_ascii=False))
        stream.write("\n]\n")
    return len(fresh), args.size - len(fresh)


# --- the floor ---------------------------------------------------------------------------------


def floor(path):
    """(seconds to parse the file, seconds to insert its rows with one executemany)."""
    from django.db import connection

    from rightstrack.recommendations.imports.formats import FORMATS

    started = time.perf_counter()
    drafts = list(FORMATS["uhri-json"].parse(path, state=None, options={}))
    parsed = time.perf_counter() - started
    rows = [
        (
            draft.source_key,
            draft.state,
            draft.mechanism,
            draft.number,
            draft.text,
            draft.session,
            str(draft.date),
            draft.position,
            json.dumps(draft.recommending_states),
            json.dumps(draft.tags),
        )
        for draft in drafts
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_floor (source_key text, state text, mechanism text, number text, "
            "text text, session integer, date text, position text, recommending text, tags text)"
        )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_floor VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows
        )
    inserted = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return parsed, inserted


# --- the import and the user beside it ---------------------------------------------------------


def worker(format_name, path, profile):
    """(In a process of its own.) Import one file and print what it took, as JSON."""
    setup_django(os.environ["DATABASE_URL"])
    from rightstrack.recommendations.services import import_file

    before = rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        batch = profiler.runcall(import_file, user=None, format=format_name, path=Path(path))
        profiler.dump_stats(profile)
    else:
        batch = import_file(user=None, format=format_name, path=Path(path))
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "records": batch.total,
                "seconds": seconds,
                "cpu_seconds": time.process_time() - cpu_started,
                "created": batch.created,
                "updated": batch.updated,
                "unchanged": batch.unchanged,
                "matched": batch.matched,
                "rejected": batch.rejected,
                "status": batch.status,
                "message": batch.message,
                "rss_before": before,
                "rss_peak": rss_mb(),
            }
        )
    )


class Saver(threading.Thread):
    """A user saving a measure through the service every second until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        from rightstrack.plans.services import measure_create, plan_create
        from rightstrack.taxonomy.models import Scheme, Term

        state = Term.objects.filter(scheme=Scheme.STATE).order_by("code").first()
        plan = plan_create(actor=None, data={"name": "Import bench plan", "state": state})
        self.measure = measure_create(
            actor=None, plan=plan, data={"number": "1", "title": "Saved during the import"}
        )
        self.stopping = threading.Event()
        self.seconds: list[float] = []
        self.failures: list[str] = []

    def run(self):
        from django.db import connection

        from rightstrack.plans.models import Measure
        from rightstrack.plans.services import measure_update

        try:
            while not self.stopping.is_set():
                started = time.perf_counter()
                try:
                    measure = Measure.objects.get(pk=self.measure.pk)
                    measure_update(
                        actor=None,
                        measure=measure,
                        data={"title": f"Saved during the import ({len(self.seconds)})"},
                        version=measure.version,
                    )
                except Exception as error:  # noqa: BLE001 - every failed write is reported
                    self.failures.append(repr(error))
                took = time.perf_counter() - started
                self.seconds.append(took)
                self.stopping.wait(max(0.0, SAVE_EVERY_SECONDS - took))
        finally:
            connection.close()


def main():
    args = parse_args()
    args.data = args.data or PROJECT_DIR.parent / "shared" / "data"
    if args.worker:
        worker(*args.worker, os.environ.get("BENCH_PROFILE"))
        return
    if args.build:
        build(args)
        return
    if not (args.data / "upr-info").is_dir():
        sys.exit(f"no UPR Info files in {args.data}/upr-info (give --data DIR)")
    base = base_database(args)
    directory = Path(tempfile.mkdtemp(prefix="rightstrack-import-bench-"))
    try:
        work = directory / "bench.sqlite3"
        copy_database(base, work)
        setup_django(sqlite_url(work))
        from django.core.management import call_command
        from django.db import connection

        from rightstrack.recommendations.models import Recommendation

        call_command("migrate", verbosity=0)
        held = Recommendation.objects.count()
        path = directory / "import.json"
        fresh, overlapping = write_file(path, args, args.data)
        megabytes = path.stat().st_size / 1e6
        parsed, inserted = floor(path)
        connection.close()

        saver = Saver()
        env_profile = {"BENCH_PROFILE": str(args.profile.resolve())} if args.profile else {}
        os.environ.update(env_profile)
        saver.start()
        try:
            output = run_python(["--worker", "uhri-json", str(path)], sqlite_url(work))
        finally:
            saver.stopping.set()
            saver.join()
        result = json.loads(output.strip().splitlines()[-1])
        after = Recommendation.objects.count()
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    records = result["records"]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print()
    print(
        f"Import into SQLite holding {held:,} recommendations ({os.cpu_count()} cores; "
        f"load average now {load})"
    )
    print(
        f"File: {records:,} UHRI-shaped records ({megabytes:.0f} MB): {fresh:,} new, "
        f"{overlapping:,} about recommendations held (half sent again, half from another export)"
    )
    print(
        f"Result: {result['status']}; created {result['created']:,}, matched "
        f"{result['matched']:,}, updated {result['updated']:,}, unchanged {result['unchanged']:,}, "
        f"rejected {result['rejected']:,}; recommendations {held:,} -> {after:,}"
    )
    header = f"{'':<34} {'seconds':>8} {'records/s':>10} {'CPU s':>6} {'peak RSS':>9}"
    print(header)
    print("-" * len(header))
    print(
        f"{'import_file (the whole import)':<34} {result['seconds']:>8.1f} "
        f"{records / result['seconds']:>10,.0f} {result['cpu_seconds']:>6.1f} "
        f"{result['rss_peak']:>7.0f}MB"
    )
    print(f"{'floor: raw parse':<34} {parsed:>8.1f} {records / parsed:>10,.0f}")
    print(f"{'floor: raw executemany insert':<34} {inserted:>8.1f} {records / inserted:>10,.0f}")
    both = parsed + inserted
    print(f"{'floor: parse + insert':<34} {both:>8.1f} {records / both:>10,.0f}")
    saves = saver.seconds
    print()
    print(
        f"Parallel client (measure_update every {SAVE_EVERY_SECONDS:.0f} s during the import): "
        f"{len(saves)} saves, {len(saver.failures)} failed"
        + (
            f"; p50 {percentile(saves, 0.5) * 1000:,.0f} ms, p95 "
            f"{percentile(saves, 0.95) * 1000:,.0f} ms, max {max(saves) * 1000:,.0f} ms"
            if saves
            else ""
        )
    )
    for failure in saver.failures[:5]:
        print(f"  {failure}")
    if result["status"] != "succeeded":
        print(f"  import: {result['message']}")


if __name__ == "__main__":
    main()
