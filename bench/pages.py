"""The pages a user opens, over HTTP from the production server, at 250,000 recommendations.

    .venv/bin/python bench/pages.py                       # SQLite: var/bench/pages-250000.sqlite3
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/rightstrack_pages

Building (first run, or --rebuild): a fresh database is migrated, the vocabularies are loaded
from ../shared/data, and a UHRI-shaped JSON export of --count records is written to var/bench/
(made from the UPR Info texts: each record takes a real text, and from the second pass on a
clause of another real text is added, so texts recombine rather than repeat; 1-3 themes, 0-2
groups of affected persons, 0-2 SDG targets; every fourth record a Treaty Body observation) and
imported through the app's own import path (``import_file``, format ``uhri-json``), timed; the
file is deleted afterwards. Later runs reuse the database (SQLite: the file under var/bench/;
PostgreSQL: the database named in the URL, created when missing, built when empty).

Timing: the site is served as ``make run`` serves it (``rightstrack serve``: gunicorn with one
process per core) on --port; every page is requested once to warm up (that time is shown as
"first"), then --repeat times; the table gives the median and p95 wall time over HTTP on
loopback (the whole body read). Beside each:

- "cpu": the median CPU time the server's processes spent on the request (from /proc, at the
  kernel's 10 ms resolution; on SQLite it includes the database's work, on PostgreSQL not),
  which other work on a shared machine does not inflate the way it inflates wall time;
- "stmts": the SQL statements the page ran (counted in this process through Django's test
  client on the same database, after one warm-up request);
- "app SQL": those statements run again directly on the database (the median of three runs of
  the whole set), i.e. the time the page spends in its own queries;
- "floor": hand-written SQL giving the same information (the count, the page of rows with
  their terms and tags, and every facet's counts over the matching set, computed from the base
  tables without any maintained count), median of three; for the CSV export, one query joining
  every row's terms and tags written through Python's csv module;
- for the API's rows, "fixed": the median time over HTTP of the same endpoint asked for
  something that matches nothing (an unknown plan, a word no text has): what any request to it
  costs whatever it lists (the server, the middleware, authentication, the input's validation,
  an empty page), which a SQL floor of a fraction of a millisecond leaves out; "×(floor+fixed)"
  sets the time against both.

Then the first reader after an edit (not an import): one recommendation's text is edited (one
transaction, as an editor's save) with the job worker running beside the server (as ``make
run`` runs it; jobs the build queued are cancelled first, the page is requested a few times before
the edit, so a search is one readers have asked), the bench waits until no count job is waiting
or running (the time is printed under the table), then times the page: --edits times, each
after an edit of its own; "first" is the p95 of those first readers (each is listed under the
table), median and p95 those of the --repeat readers after the last first reader (the first of
the other web process among them).

Then a concurrency run per page in --concurrent-pages: --clients threads with a keep-alive
connection each, for --duration seconds, reporting requests/s, p50/p95/p99 and errors. The
clients run on the same two cores as the server, so these figures are a lower bound.
"""

import argparse
import csv
import http.client
import io
import os
import random
import select
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.harness import (  # noqa: E402
    percentile,
    uhri_vocabulary,
    upr_info_rows,
    write_uhri_file,
)
from bench.plan_page import PlanFloor, build_plan, plan_slug  # noqa: E402

BENCH_DIR = PROJECT_DIR / "var" / "bench"
ANNOTATION_IDS = uuid.UUID("0c7e8f0e-3c1b-4f43-9d4f-6f0a6f1ab250")
FTS = "recommendations_fts"
TAGS = "recommendations_recommendationtag"
MADE_BY = "recommendations_recommendation_recommending_states"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=250_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--data", type=Path, default=PROJECT_DIR.parent / "shared" / "data")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--port", type=int, default=8115)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--edits", type=int, default=5, help="edits, each with its first reader timed, per page"
    )
    parser.add_argument(
        "--export-repeat", type=int, default=2, help="timed runs of the whole-table export"
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument(
        "--concurrent-pages",
        default="list,q=torture",
        help="pages (by name in the table) for the concurrency run, comma-separated; '' for none",
    )
    parser.add_argument(
        "--server",
        choices=("serve", "waitress"),
        default="serve",
        help="serve: `rightstrack serve`, as make run; waitress: one waitress process with 8 "
        "threads, as make run served before gunicorn (to compare)",
    )
    parser.add_argument("--only", default="", help="time only the pages whose name has this")
    parser.add_argument(
        "--build-only", action="store_true", help="build the database when missing, time nothing"
    )
    parser.add_argument(
        "--count-ahead",
        action="store_true",
        help="after the write before timing, count the unfiltered lists as an import does once "
        "it is committed (facets.count_unfiltered_lists): 'first' is then the first reader "
        "after an import rather than after any other write",
    )
    parser.add_argument(
        "--plan-measures",
        type=int,
        default=1000,
        help="measures of the plan whose page (with its dashboard) is timed; built once",
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--seed-texts", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args()


# --- building -----------------------------------------------------------------------------


def database_url(args):
    if args.database_url:
        return args.database_url, "PostgreSQL"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{BENCH_DIR / f'pages-{args.count}.sqlite3'}", "SQLite"


def prepare_postgres(url, rebuild):
    """Create the PostgreSQL database when missing (dropping it first with rebuild)."""
    import psycopg

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if rebuild:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def build(args):
    """Migrate, load the vocabularies, import --count UHRI-shaped records; return the timings."""
    from django.core.management import call_command

    from rightstrack.recommendations.services import import_file
    from rightstrack.taxonomy.services import vocabularies_load

    call_command("migrate", verbosity=0)
    call_command("migrate", database="jobs", verbosity=0)
    vocabularies_load(data_dir=args.data)

    vocabulary = uhri_vocabulary()
    rows = upr_info_rows(args.data)
    path = BENCH_DIR / f"uhri-{args.count}.json"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    try:
        write_uhri_file(
            path,
            args.count,
            rows,
            vocabulary,
            random.Random(args.seed),
            ids=ANNOTATION_IDS,
            recombine=True,
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        batch = import_file(user=None, format="uhri-json", path=path)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    finally:
        path.unlink(missing_ok=True)
    return {"records": batch.total, "created": batch.created, "seconds": seconds, "cpu": cpu}


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()


def is_built():
    from django.db import connection

    from rightstrack.recommendations.models import Recommendation

    if "recommendations_recommendation" not in connection.introspection.table_names():
        return False
    return Recommendation.objects.exists()


# --- the server -----------------------------------------------------------------------------


def start_server(url, port, kind):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TASKS_BACKEND": "database",
    }
    command = [sys.executable, str(PROJECT_DIR / "manage.py"), "serve", "--port", str(port)]
    if kind == "waitress":
        waitress = Path(sys.executable).with_name("waitress-serve")
        command = [
            str(waitress),
            "--port",
            str(port),
            "--threads",
            "8",
            "rightstrack.wsgi:application",
        ]
    log = (BENCH_DIR / f"server-{port}.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own command line
        command,
        env=env,
        cwd=PROJECT_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _size, _seconds, _location = get(port, "/")
            if status < 500:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit(f"the server did not start; see {log.name}")


def server_cpu(server):
    """CPU seconds the server's processes (gunicorn's master and workers) have used so far: a
    figure the other work on a shared machine does not inflate as it does wall time."""
    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def stop_server(server):
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def start_worker(url):
    """The job worker, as ``make run`` runs it beside the server (the count job after an edit
    runs there)."""
    from django.db import connection

    from rightstrack.jobs.models import Job

    # What the build queued (the meaning index, saved searches) is not what is timed here.
    Job.objects.filter(status=Job.Status.PENDING).exclude(kind=COUNT_JOB).update(
        status=Job.Status.CANCELLED
    )
    connection.close()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "TASKS_BACKEND": "database",
        "INTELLIGENCE_AUTO_BUILD": "0",
    }
    log = (BENCH_DIR / "worker.log").open("w")
    return subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, str(PROJECT_DIR / "manage.py"), "worker"],
        env=env,
        cwd=PROJECT_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


COUNT_JOB = "recommendations.count_lists"


def counts_settled(timeout=300.0):
    """Wait until no count job is waiting or running; (seconds waited, whether one was)."""
    from rightstrack.jobs.models import Job

    started = time.perf_counter()
    busy = Job.objects.filter(kind=COUNT_JOB, status__in=[Job.Status.PENDING, Job.Status.RUNNING])
    queued = busy.exists()
    while busy.exists() and time.perf_counter() - started < timeout:
        time.sleep(0.05)
    return time.perf_counter() - started, queued


def edit_and_wait(pk):
    """Edit one recommendation's text (as an editor's save: one transaction), then wait until
    what it queued has run; (seconds that took, whether the edit queued a count job)."""
    from django.db import connection, transaction

    from rightstrack.recommendations.models import Recommendation

    with transaction.atomic():
        recommendation = Recommendation.objects.get(pk=pk)
        text = recommendation.text
        recommendation.text = text[:-1] if text.endswith(" ") else text + " "
        recommendation.save(update_fields=["text"])
    settled = counts_settled()
    connection.close()
    return settled


_local = threading.local()


def get(port, path, connection=None, cookie=None):
    """(status, body length, seconds, Location) of one GET on a keep-alive connection (this
    thread's own unless one is given), with ``cookie`` (a signed-in session, say) when given;
    a connection the server closed while idle is opened again, untimed."""
    if connection is None:
        connection = getattr(_local, "connection", None)
        if connection is None or getattr(_local, "port", None) != port:
            connection = _local.connection = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=300
            )
            _local.port = port
    if connection.sock is not None and _closed_by_server(connection.sock):
        connection.close()
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
    except (OSError, http.client.HTTPException):
        connection.close()
        raise
    return response.status, size, time.perf_counter() - started, response.getheader("Location")


def _closed_by_server(sock):
    """Whether the server has closed an idle keep-alive connection (it reads as end of file)."""
    readable, _writable, _failed = select.select([sock], [], [], 0)
    return bool(readable)


def _get(port, path):
    status, size, seconds, _location = get(port, path)
    return status, size, seconds


def resolve(port, path):
    """Follow redirects (a State's canonical address) to the page itself."""
    for _ in range(3):
        status, _size, _seconds, location = get(port, path)
        if status not in (301, 302) or not location:
            return path
        path = urlsplit(location).path + (
            f"?{urlsplit(location).query}" if urlsplit(location).query else ""
        )
    return path


# --- floors ---------------------------------------------------------------------------------


def timed(function, repeat=3):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Floor:
    """Hand-written SQL for the information a list page shows, on this database."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.true = "true" if self.postgres else "1"

    def match(self, q=None, state=None, mechanism=None, position=None):
        """(WHERE over r, params) of the published recommendations matching the filters."""
        where = [f"r.is_published = {self.true}"]
        params = []
        if q:
            if self.postgres:
                where.append("r.search_vector @@ websearch_to_tsquery('english'::regconfig, %s)")
                params.append(q)
            else:
                where.append(f"r.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)")
                params.append(f'"{q}"')
        if state:
            where.append(
                "r.state_id = (SELECT id FROM taxonomy_term WHERE scheme = 'state' AND code = %s)"
            )
            params.append(state)
        if mechanism:
            where.append(
                "r.mechanism_id = (SELECT id FROM taxonomy_term "
                "WHERE scheme = 'mechanism' AND code = %s)"
            )
            params.append(mechanism)
        if position:
            where.append("r.position = %s")
            params.append(position)
        return " AND ".join(where), params

    def run(self, sql, params=()):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def page_rows(self, ids):
        if not ids:
            return
        marks = ", ".join(["%s"] * len(ids))
        self.run(
            "SELECT r.id, r.text, r.date, r.position, r.cycle, r.session, s.code, s.label_en, "
            "m.code, m.label_en, d.symbol FROM recommendations_recommendation r "
            "LEFT JOIN taxonomy_term s ON s.id = r.state_id "
            "LEFT JOIN taxonomy_term m ON m.id = r.mechanism_id "
            "LEFT JOIN recommendations_document d ON d.id = r.document_id "
            f"WHERE r.id IN ({marks})",  # noqa: S608
            ids,
        )
        self.run(
            "SELECT t.recommendation_id, term.scheme, term.code, term.label_en "
            f"FROM {TAGS} t JOIN taxonomy_term term ON term.id = t.term_id "
            f"WHERE t.status = 'accepted' AND t.recommendation_id IN ({marks})",  # noqa: S608
            ids,
        )
        self.run(
            f"SELECT rs.recommendation_id, term.code FROM {MADE_BY} rs "  # noqa: S608
            "JOIN taxonomy_term term ON term.id = rs.term_id "
            f"WHERE rs.recommendation_id IN ({marks})",
            ids,
        )

    def list_page(self, *, q=None, offset=0, facets=True, **given):
        filters = {"state": None, "mechanism": None, "position": None, **given}
        where, params = self.match(q, **filters)
        self.run(f"SELECT count(*) FROM recommendations_recommendation r WHERE {where}", params)  # noqa: S608
        if q and self.postgres:
            rank = "ts_rank(r.search_vector, websearch_to_tsquery('english'::regconfig, %s))"
            order = f"{rank} DESC, r.id"
            order_params = [q]
        elif q:
            order, order_params = None, []
        else:
            order, order_params = "r.date DESC, r.id", []
        if order is None:
            # FTS5 ranks from its own index, as the app does.
            ids = [
                row[0]
                for row in self.run(
                    f"SELECT f.rowid FROM {FTS} f JOIN recommendations_recommendation r "  # noqa: S608
                    f"ON r.id = f.rowid WHERE recommendations_fts MATCH %s AND {where} "  # noqa: S608
                    "ORDER BY f.rank LIMIT 20 OFFSET %s",
                    [f'"{q}"', *params, offset],
                )
            ]
        else:
            ids = [
                row[0]
                for row in self.run(
                    f"SELECT r.id FROM recommendations_recommendation r WHERE {where} "  # noqa: S608
                    f"ORDER BY {order} LIMIT 20 OFFSET %s",
                    [*params, *order_params, offset],
                )
            ]
        self.page_rows(ids)
        if not facets:
            return
        self.run(
            "SELECT r.state_id, r.mechanism_id, r.cycle, r.session, r.position, "  # noqa: S608
            "r.action_category_id, count(*) FROM recommendations_recommendation r "
            f"WHERE {where} GROUP BY 1, 2, 3, 4, 5, 6",
            params,
        )
        matched = f"SELECT r.id FROM recommendations_recommendation r WHERE {where}"  # noqa: S608
        if q or any(filters.values()):
            self.related_counts(f"IN ({matched})", params)
            return
        # Tuned for the whole list: every tag (the (term, status) index counts them alone) less
        # those of the unpublished recommendations.
        self.related_counts("", [])
        unpublished = "SELECT r.id FROM recommendations_recommendation r "  # noqa: S608
        self.related_counts(f"IN ({unpublished} WHERE r.is_published <> {self.true})", [])

    def related_counts(self, among, params):
        """Tag, SDG goal and recommending State counts of the recommendations ``among`` (SQL:
        "IN (subquery)"), or of all when it is empty."""
        tags_among = f"AND t.recommendation_id {among}" if among else ""
        self.run(
            f"SELECT t.term_id, count(*) FROM {TAGS} t WHERE t.status = 'accepted' "  # noqa: S608
            f"{tags_among} GROUP BY t.term_id",
            params,
        )
        self.run(
            "SELECT CASE WHEN term.scheme = 'sdg-goal' THEN term.id ELSE term.parent_id END, "
            "count(DISTINCT t.recommendation_id) FROM recommendations_recommendationtag t "
            "JOIN taxonomy_term term ON term.id = t.term_id "
            "WHERE term.scheme IN ('sdg-goal', 'sdg-target') AND t.status = 'accepted' "
            f"{tags_among} GROUP BY 1",  # noqa: S608
            params,
        )
        made_among = f"WHERE rs.recommendation_id {among}" if among else ""
        self.run(
            f"SELECT rs.term_id, count(*) FROM {MADE_BY} rs {made_among} "  # noqa: S608
            "GROUP BY rs.term_id",
            params,
        )

    def detail(self, pk):
        self.page_rows([pk])

    def state_page(self, state):
        where, params = self.match(state=state)
        self.run(
            "SELECT r.position, r.cycle, r.mechanism_id, count(*) "  # noqa: S608
            f"FROM recommendations_recommendation r WHERE {where} GROUP BY 1, 2, 3",
            params,
        )
        self.run(
            "SELECT t.term_id, count(*) FROM recommendations_recommendationtag t "
            f"WHERE t.status = 'accepted' AND t.recommendation_id IN (SELECT r.id FROM "  # noqa: S608
            f"recommendations_recommendation r WHERE {where}) GROUP BY t.term_id",
            params,
        )

    def export_csv(self):
        """Every published row with its terms and accepted tags, written as CSV."""
        aggregate = "string_agg" if self.postgres else "group_concat"
        sql = (
            "SELECT r.id, r.source_key, d.symbol, r.number, r.date, r.cycle, r.session, s.code, "
            "m.code, r.position, r.text, "
            f"(SELECT {aggregate}(term.scheme || ':' || term.code, '|') FROM "  # noqa: S608
            "recommendations_recommendationtag t JOIN taxonomy_term term ON term.id = t.term_id "
            "WHERE t.recommendation_id = r.id AND t.status = 'accepted'), "
            f"(SELECT {aggregate}(term.code, '|') FROM "
            "recommendations_recommendation_recommending_states rs JOIN taxonomy_term term "
            "ON term.id = rs.term_id WHERE rs.recommendation_id = r.id) "
            "FROM recommendations_recommendation r "
            "LEFT JOIN taxonomy_term s ON s.id = r.state_id "
            "LEFT JOIN taxonomy_term m ON m.id = r.mechanism_id "
            "LEFT JOIN recommendations_document d ON d.id = r.document_id "
            f"WHERE r.is_published = {self.true} ORDER BY r.date DESC, r.id"
        )
        sink = io.StringIO()
        writer = csv.writer(sink)
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            while rows := cursor.fetchmany(2000):
                writer.writerows(rows)
                sink.seek(0)
                sink.truncate()


# --- the app's own SQL ----------------------------------------------------------------------


def own_sql(path, repeat):
    """(statements, seconds to run them directly) of one request made through the test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def request():
        response = client.get(path)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        return response

    request()  # warm up (caches, as on the server)
    with CaptureQueriesContext(connection) as captured:
        request()
    statements = [query["sql"] for query in captured.captured_queries]
    runnable = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]

    def run_all():
        with connection.cursor() as cursor:
            for sql in runnable:
                cursor.execute(sql.replace("%", "%%") if connection.vendor == "postgresql" else sql)
                cursor.fetchall()

    try:
        seconds = timed(run_all, repeat)
    except Exception as error:  # noqa: BLE001 - a statement Django prints but cannot re-run
        print(f"  (could not re-run the SQL of {path}: {error})", file=sys.stderr)
        seconds = None
    return len(statements), seconds


# --- concurrency ----------------------------------------------------------------------------


def concurrency(port, path, clients, duration):
    times, errors = [], []
    stop = time.monotonic() + duration
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, failed = [], 0
        while time.monotonic() < stop:
            try:
                status, _size, seconds, _location = get(port, path, connection)
            except (OSError, http.client.HTTPException):
                failed += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            if status != 200:
                failed += 1
            mine.append(seconds)
        with lock:
            times.extend(mine)
            errors.append(failed)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(times),
        "per_second": len(times) / elapsed,
        "p50": percentile(times, 0.5) if times else 0,
        "p95": percentile(times, 0.95) if times else 0,
        "p99": percentile(times, 0.99) if times else 0,
        "errors": sum(errors),
    }


# --- main -----------------------------------------------------------------------------------


# Words no text of the bench has: the API's list asked for them answers an empty page.
NO_MATCH = "qxzvwk"


def fixed_cost_path(path):
    """The same API endpoint as ``path`` asked for something that matches nothing (None for a
    page that is not the API's): its time is the fixed cost of a request to it."""
    if path.startswith("/api/v1/measures/"):
        return f"/api/v1/measures/?plan={NO_MATCH}"
    if path.startswith("/api/v1/recommendations"):
        return f"/api/v1/recommendations?q={NO_MATCH}"
    return None


def pages(sample):
    """(name, path, floor) of every page timed."""
    torture = "/recommendations/?q=torture"
    filtered = (
        f"{torture}&state={sample['state']}&mechanism={sample['mechanism']}&position=supported"
    )
    return [
        ("list", "/recommendations/", lambda f: f.list_page()),
        ("q=torture", torture, lambda f: f.list_page(q="torture")),
        (
            "q=torture+state+mechanism+position",
            filtered,
            lambda f: f.list_page(
                q="torture",
                state=sample["state"],
                mechanism=sample["mechanism"],
                position="supported",
            ),
        ),
        ("q=the", "/recommendations/?q=the", lambda f: f.list_page(q="the")),
        ("page=200", "/recommendations/?page=200", lambda f: f.list_page(offset=199 * 20)),
        (
            "state page",
            f"/states/{sample['state'].lower()}/",
            lambda f: f.state_page(sample["state"]),
        ),
        (
            "recommendation page",
            f"/recommendations/{sample['pk']}/",
            lambda f: f.detail(sample["pk"]),
        ),
        (
            "API q=torture",
            "/api/v1/recommendations?q=torture",
            lambda f: f.list_page(q="torture", facets=False),
        ),
        (
            "plan page (dashboard)",
            f"/plans/{sample['plan']}/",
            lambda f: PlanFloor(f, sample["plan"]).page(),
        ),
        (
            "API measures of the plan",
            f"/api/v1/measures/?plan={sample['plan']}",
            lambda f: PlanFloor(f, sample["plan"]).api(),
        ),
        ("CSV export (all)", "/recommendations/export.csv", lambda f: f.export_csv()),
    ]


def row_result(
    name, path, timed_run, *, cpu=None, statements=0, app_sql=None, floor=None, fixed=None, note=""
):
    """One row of the table: ``timed_run`` is (status, size, first, [seconds of each run])."""
    status, size, first, times = timed_run
    return {
        "name": name,
        "path": path,
        "status": status,
        "size": size,
        "first": first,
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "cpu": cpu,
        "statements": statements,
        "app_sql": app_sql,
        "floor": floor,
        "fixed": fixed,
        "note": note,
    }


def sample_values():
    from django.db.models import Count

    from rightstrack.recommendations.models import Recommendation

    busiest = (
        Recommendation.objects.values_list("state__code")
        .annotate(n=Count("id"))
        .order_by("-n", "state__code")
        .first()
    )
    middle = Recommendation.objects.order_by("id").values_list("id", flat=True)
    total = Recommendation.objects.count()
    return {
        "state": busiest[0],
        "mechanism": "UPR",
        "pk": middle[total // 2],
    }


def main():
    args = parse_args()
    url, database_name = database_url(args)
    if args.database_url:
        prepare_postgres(url, args.rebuild)
    elif args.rebuild:
        for suffix in ("", "-jobs"):
            for tail in ("", "-wal", "-shm"):
                (BENCH_DIR / f"pages-{args.count}{suffix}.sqlite3{tail}").unlink(missing_ok=True)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from rightstrack.recommendations.models import Recommendation, RecommendationTag

    built = None
    if not is_built():
        print(f"Building {args.count:,} recommendations on {database_name} ...", flush=True)
        built = build(args)
    else:
        call_command("migrate", verbosity=0)
        call_command("migrate", database="jobs", verbosity=0)
    if args.build_only:
        if built:
            print(
                f"Built {built['records']:,} records in {built['seconds']:.0f} s "
                f"(CPU {built['cpu']:.0f} s)"
            )
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    total = Recommendation.objects.count()
    tags = RecommendationTag.objects.count()
    sample = sample_values()
    sample["plan"] = plan_slug()
    if sample["plan"] is None:
        print(f"Building a plan of {args.plan_measures:,} measures for {sample['state']} ...")
        started = time.perf_counter()
        sample["plan"] = build_plan(
            state_code=sample["state"], measures=args.plan_measures, seed=args.seed
        )
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
        # As the worker's periodic job (jobs.statistics) does within ten minutes.
        from rightstrack.core.db_statistics import refresh_stale_statistics

        refresh_stale_statistics()
    # As after any write: the counts kept for the list are counted again by the first request
    # (its time is the "first" column).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE recommendations_dataversion SET version = version + 1")
    counted_ahead = None
    if args.count_ahead:
        from rightstrack.recommendations.facets import count_unfiltered_lists

        started = time.perf_counter()
        count_unfiltered_lists()
        counted_ahead = time.perf_counter() - started
    connection.close()

    server = start_server(url, args.port, args.server)
    results = []
    try:
        floor = Floor()
        for name, path, floor_of in pages(sample):
            if args.only and args.only not in name:
                continue
            if path.startswith("/states/"):
                # Only a State's address may redirect; any other page's first request is timed.
                path = resolve(args.port, path)
            status, _size, first = _get(args.port, path)
            fixed_path = fixed_cost_path(path)
            if fixed_path:
                _get(args.port, fixed_path)  # warm up
            times, cpu, fixed_times = [], [], []
            repeat = args.export_repeat if "export" in name else args.repeat
            for _ in range(repeat):
                cpu_before = server_cpu(server)
                status, size, seconds = _get(args.port, path)
                times.append(seconds)
                cpu.append(server_cpu(server) - cpu_before)
                if fixed_path:
                    # In turn with the page, so that both meet the same load.
                    fixed_times.append(_get(args.port, fixed_path)[2])
            sql_repeat = 1 if "export" in name else 3
            statements, app_sql = own_sql(path, sql_repeat)
            floor_seconds = timed(lambda floor_of=floor_of: floor_of(floor), sql_repeat)
            results.append(
                row_result(
                    name,
                    path,
                    (status, size, first, times),
                    cpu=statistics.median(cpu),
                    statements=statements,
                    app_sql=app_sql,
                    floor=floor_seconds,
                    fixed=statistics.median(fixed_times) if fixed_times else None,
                    note=f"fixed: {fixed_path}" if fixed_path else "",
                )
            )
            print(f"  timed {name}", flush=True)
        # The first reader after an edit (not an import), once what the edit queued has run.
        after_edit = [
            ("list after an edit", "/recommendations/"),
            ("q=torture after an edit", "/recommendations/?q=torture"),
            (
                "q=torture+state+... after an edit",
                "/recommendations/?q=torture&state={state}&mechanism=UPR&position=supported",
            ),
            ("q=rights after an edit", "/recommendations/?q=rights"),
            ("q=torture page 2 after an edit", "/recommendations/?q=torture&page=2"),
        ]
        after_edit = [(name, path.format(state=sample["state"])) for name, path in after_edit]
        after_edit = [row for row in after_edit if not args.only or args.only in row[0]]
        worker = start_worker(url) if after_edit else None
        try:
            for name, path in after_edit:
                firsts, jobs = [], []
                for _ in range(args.edits):
                    # A server whose processes have served the page before the edit (a few
                    # requests: each may go to either), and no count left over.
                    counts_settled()
                    for _ in range(4):
                        _get(args.port, path)
                    counted, queued = edit_and_wait(sample["pk"])
                    status, _size, first = _get(args.port, path)
                    firsts.append(first)
                    jobs.append(f"{counted:.1f} s" if queued else "none")
                times = []
                for _ in range(args.repeat):
                    status, size, seconds = _get(args.port, path)
                    times.append(seconds)
                note = (
                    f"first readers after {args.edits} edits: "
                    + ", ".join(f"{first * 1000:.0f}" for first in firsts)
                    + f" ms; count jobs: {', '.join(jobs)}"
                )
                first = percentile(firsts, 0.95)
                results.append(row_result(name, path, (status, size, first, times), note=note))
                print(f"  timed {name}", flush=True)
        finally:
            if worker is not None:
                stop_server(worker)
        load_run = []
        names = {result["name"]: result["path"] for result in results}
        for name in filter(None, args.concurrent_pages.split(",")):
            if name in names:
                load_run.append(
                    (name, concurrency(args.port, names[name], args.clients, args.duration))
                )
    finally:
        stop_server(server)

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print()
    print(
        f"{database_name}: {total:,} recommendations, {tags:,} tags; {os.cpu_count()} cores, "
        f"load average {load}; server: {args.server}"
    )
    if counted_ahead is not None:
        print(
            f"The unfiltered lists counted ahead, as after an import: {counted_ahead:.1f} s "
            "('first' is the first reader after it)"
        )
    if built:
        print(
            f"Built through the app's import (uhri-json): {built['records']:,} records in "
            f"{built['seconds']:.0f} s ({built['records'] / built['seconds']:,.0f} records/s, "
            f"CPU {built['cpu']:.0f} s)"
        )

    def ms(seconds):
        if seconds is None:
            return "–"
        # Tenths below 10 ms: an API floor is a fraction of a millisecond.
        return f"{seconds * 1000:,.1f}" if seconds < 0.01 else f"{seconds * 1000:,.0f}"

    header = (
        f"{'page':<36} {'status':>6} {'KB':>8} {'first':>7} {'median':>7} {'p95':>7} {'cpu':>6} "
        f"{'stmts':>5} {'app SQL':>8} {'floor':>7} {'×floor':>6} {'fixed':>6} "
        f"{'×(floor+fixed)':>14}"
    )

    def fixed_ratio(result):
        if result["fixed"] is None or not result["floor"]:
            return "–"
        return f"{result['median'] / (result['floor'] + result['fixed']):.1f}"

    print(header + "   (milliseconds)")
    print("-" * len(header))
    for result in results:
        ratio = result["median"] / result["floor"] if result["floor"] else 0
        print(
            f"{result['name']:<36} {result['status']:>6} {result['size'] / 1024:>8,.0f} "
            f"{ms(result['first']):>7} {ms(result['median']):>7} {ms(result['p95']):>7} "
            f"{ms(result['cpu']):>6} "
            f"{result['statements']:>5} {ms(result['app_sql']):>8} {ms(result['floor']):>7} "
            f"{ratio:>6.1f} {ms(result['fixed']):>6} {fixed_ratio(result):>14}"
        )
    for result in results:
        note = f" ({result['note']})" if result.get("note") else ""
        print(f"  {result['name']}: {result['path']}{note}")
    if load_run:
        print()
        print(
            f"Concurrency: {args.clients} clients, {args.duration:.0f} s each, keep-alive, loopback"
        )
        columns = ("requests", "req/s", "p50", "p95", "p99", "errors")
        print(f"{'page':<36} " + " ".join(f"{column:>8}" for column in columns))
        for name, run in load_run:
            print(
                f"{name:<36} {run['requests']:>8} {run['per_second']:>8.1f} {ms(run['p50']):>8} "
                f"{ms(run['p95']):>8} {ms(run['p99']):>8} {run['errors']:>8}"
            )


if __name__ == "__main__":
    main()
