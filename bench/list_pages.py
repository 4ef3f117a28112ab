"""Every list page besides the recommendations' at --rows rows, over HTTP from the production
server.

    .venv/bin/python bench/list_pages.py                  # SQLite: var/bench/lists-250000.sqlite3
    .venv/bin/python bench/list_pages.py --database-url postgres://postgres@127.0.0.1:5432/bench_lists

``bench/pages.py`` times the recommendations' list, search, State page and plan page. This
times the other list pages (the audit trail, the jobs, a user's notifications, the possible
duplicates, the machine suggestions, the measures, the progress reports and their review queue,
the activities) when each of their tables holds --rows rows, as years of use leave them: every
change is an audit entry, every write queues a count job, every import may leave doubtful
matches to review.

Building (first run, or --rebuild): a copy of ``bench/pages.py``'s database of 250,000
recommendations (built first when missing; SQLite: the file is copied; PostgreSQL: ``CREATE
DATABASE … TEMPLATE`` of --pages-database-url), then for each list --rows rows are written with
``bulk_create`` in the shapes the app writes them (an audit entry of an edit, a count job that
ran, a notification of a report, a doubtful match between two records of a State's session...),
then the planner statistics are refreshed as after an import. The rows are made up; the
recommendations they point to are the real-text ones of the pages database.

Timing: the site is served as ``make run`` serves it (``rightstrack serve``) on --port, signed in
as an administrator (a session made in this process); each page is requested once to warm up
("first"), then --repeat times (median and p95 wall time over HTTP, the whole body read), in
four shapes where the page has them: as opened, filtered, sorted the other way, and its last
page. Beside each: "stmts", the SQL statements the page ran (Django's test client, in this
process, after a warm-up), and "floor", hand-written SQL giving what the page shows (the count
and the page's rows with what each row shows), median of three; "x" is the page over its
floor.
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.harness import percentile  # noqa: E402
from bench.pages import get, server_cpu, start_server, stop_server, timed  # noqa: E402

BENCH_DIR = PROJECT_DIR / "var" / "bench"
PER_BATCH = 5000
USER_NAME = "bench-administrator"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=250_000, help="rows in each list's table")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument(
        "--pages-database-url",
        default="",
        help="PostgreSQL: the built bench/pages.py database to copy (default: bench_pages_base "
        "on the same server)",
    )
    parser.add_argument("--data", type=Path, default=PROJECT_DIR.parent / "shared" / "data")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--port", type=int, default=8116)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="time only the pages whose name has this")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


# --- the database ---------------------------------------------------------------------------


def database_url(args):
    if args.database_url:
        return args.database_url, "PostgreSQL"
    return f"sqlite:///{BENCH_DIR / f'lists-{args.rows}.sqlite3'}", "SQLite"


def copy_pages_database(args, url):
    """The pages database (250,000 recommendations) copied under ``url``; built when missing."""
    if args.database_url:
        import psycopg

        base, _slash, name = url.rpartition("/")
        template = (args.pages_database_url or f"{base}/bench_pages_base").rpartition("/")[2]
        _ensure_pages_database(args, f"{base}/{template}")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return
    source = BENCH_DIR / "pages-250000.sqlite3"
    _ensure_pages_database(args, "")
    target = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
        jobs = target.with_name(f"{target.stem}-jobs.sqlite3{suffix}")
        jobs.unlink(missing_ok=True)
    _checkpoint(source)
    shutil.copyfile(source, target)
    source_jobs = source.with_name(f"{source.stem}-jobs.sqlite3")
    _checkpoint(source_jobs)
    shutil.copyfile(source_jobs, target.with_name(f"{target.stem}-jobs.sqlite3"))


def _checkpoint(path):
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _ensure_pages_database(args, url):
    command = [sys.executable, str(PROJECT_DIR / "bench" / "pages.py"), "--build-only"]
    command += ["--data", str(args.data)]
    if url:
        command += ["--database-url", url]
    subprocess.run(command, check=True)  # noqa: S603 - our own command line


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    # Staff sign in with a second factor in production; the bench's session has none.
    os.environ["STAFF_TWO_FACTOR_REQUIRED"] = "0"
    import django

    django.setup()


def is_built():
    from rightstrack.audit.models import AuditEntry

    try:
        return AuditEntry.objects.filter(note="bench").exists()
    except Exception:  # noqa: BLE001 - no such table yet
        return False


def bulk(model, rows, total, label, using=None):
    """``bulk_create`` the instances ``rows`` yields, a batch at a time, saying how far."""
    started = time.perf_counter()
    batch, written = [], 0
    manager = model.objects.db_manager(using) if using else model.objects
    for row in rows:
        batch.append(row)
        if len(batch) == PER_BATCH:
            manager.bulk_create(batch)
            written += len(batch)
            batch = []
            print(f"\r  {label}: {written:,} / {total:,}", end="", flush=True)
    if batch:
        manager.bulk_create(batch)
        written += len(batch)
    print(f"\r  {label}: {written:,} rows in {time.perf_counter() - started:.0f} s")


def build(args):
    """Fill every list's table with --rows rows."""
    from django.contrib.auth import get_user_model

    from rightstrack.core.db_statistics import refresh_planner_statistics
    from rightstrack.core.roles import Role

    rng = random.Random(args.seed)
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(
        username=USER_NAME, defaults={"role": Role.ADMINISTRATOR, "email": "bench@example.org"}
    )
    others = [
        user_model.objects.get_or_create(
            username=f"bench-focal-point-{number}",
            defaults={"role": Role.FOCAL_POINT, "email": f"focal{number}@example.org"},
        )[0]
        for number in range(20)
    ]
    recommendation_ids = _recommendation_ids()
    for fill in FILLS:
        fill(args.rows, rng=rng, user=user, others=others, recommendation_ids=recommendation_ids)
    refresh_planner_statistics()


def _recommendation_ids():
    from rightstrack.recommendations.models import Recommendation

    return list(Recommendation.objects.order_by("pk").values_list("pk", flat=True))


def _spread(rows, start, end):
    """A moment for each of ``rows`` rows between ``start`` and ``end``, oldest first."""
    step = (end - start) / max(rows, 1)
    return (start + step * number for number in range(rows))


NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
YEARS_AGO = NOW - datetime.timedelta(days=5 * 365)


def fill_audit(rows, *, rng, user, others, recommendation_ids, **_kwargs):
    from django.contrib.contenttypes.models import ContentType

    from rightstrack.audit.models import AuditEntry
    from rightstrack.recommendations.models import Recommendation

    content_type = ContentType.objects.get_for_model(Recommendation)
    actions = [value for value, _label in AuditEntry.Action.choices]
    actors = [user, *others]

    def entries():
        for number in range(rows):
            actor = actors[number % len(actors)]
            pk = recommendation_ids[number % len(recommendation_ids)]
            yield AuditEntry(
                content_type=content_type,
                object_id=str(pk),
                object_repr=f"Recommendation {pk}",
                action=rng.choice(actions),
                actor=actor,
                actor_name=actor.username,
                changes={"position": {"old": "Pending", "new": "Supported"}},
                note="bench",
            )

    bulk(AuditEntry, entries(), rows, "audit entries")
    # auto_now_add stamps every row with now: spread them over five years, as years of use.
    _spread_column(AuditEntry, "at", rows)


def _spread_column(model, column, rows, using="default"):
    """Set ``column`` of the model's rows to moments five years apart, oldest the lowest id."""
    from django.db import connections

    connection = connections[using]
    table = model._meta.db_table
    seconds = int((NOW - YEARS_AGO).total_seconds())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id) FROM {table}")  # noqa: S608 - our own table name
        first = cursor.fetchone()[0] or 0
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET {column} = %s::timestamptz "  # noqa: S608
                f"+ ((id - %s) * %s / %s) * interval '1 second'",
                [YEARS_AGO, first, seconds, rows],
            )
        else:
            cursor.execute(
                f"UPDATE {table} SET {column} = strftime('%%Y-%%m-%%d %%H:%%M:%%f', "  # noqa: S608
                f"%s, '+' || ((id - %s) * %s / %s) || ' seconds')",
                [YEARS_AGO.strftime("%Y-%m-%d %H:%M:%S"), first, seconds, rows],
            )


def fill_jobs(rows, *, rng, user, **_kwargs):
    from rightstrack.jobs.models import Job

    kinds = [
        ("recommendations.count_lists", "Counting the lists"),
        ("recommendations.import", "Import of recommendations"),
        ("recommendations.export", "Export of recommendations"),
        ("intelligence.build_indexes", "Building the search indexes"),
    ]
    weights = [90, 4, 5, 1]
    statuses = [Job.Status.SUCCEEDED] * 95 + [Job.Status.FAILED] * 4 + [Job.Status.CANCELLED]

    def jobs():
        for at in _spread(rows, YEARS_AGO, NOW):
            kind, label = rng.choices(kinds, weights)[0]
            yield Job(
                kind=kind,
                label=label,
                status=rng.choice(statuses),
                done=100,
                total=100,
                started_by_id=user.pk if kind != kinds[0][0] else None,
                started_at=at,
                finished_at=at + datetime.timedelta(seconds=2),
                heartbeat_at=at + datetime.timedelta(seconds=2),
                result="bench",
            )

    bulk(Job, jobs(), rows, "jobs", using="jobs")
    _spread_column(Job, "created_at", rows, using="jobs")


def fill_notifications(rows, *, rng, user, **_kwargs):
    from rightstrack.notifications.models import Kind, Notification

    kinds = [value for value, _label in Kind.choices]

    def notifications():
        for number in range(rows):
            yield Notification(
                user=user,
                kind=rng.choice(kinds),
                params={"title": f"Measure {number}"},
                url=f"/plans/measures/{number}/",
                read_at=NOW if number < rows - 40 else None,
            )

    bulk(Notification, notifications(), rows, "notifications")
    _spread_column(Notification, "created_at", rows)


def fill_duplicates(rows, *, rng, recommendation_ids, **_kwargs):
    from rightstrack.recommendations.models import MatchCandidate, SourceRecord

    sources = list(
        SourceRecord.objects.order_by("pk").values_list("pk", "recommendation_id")[: rows + 1]
    )
    statuses = [MatchCandidate.Status.OPEN] * 3 + [
        MatchCandidate.Status.MERGED,
        MatchCandidate.Status.SEPARATE,
    ]

    def candidates():
        for number in range(rows):
            source, _own = sources[number % len(sources)]
            _other_source, candidate = sources[(number + 1 + number // len(sources)) % len(sources)]
            yield MatchCandidate(
                source_id=source,
                candidate_id=candidate,
                score=round(rng.uniform(0.55, 0.9), 3),
                status=rng.choice(statuses),
            )

    bulk(MatchCandidate, candidates(), rows, "possible duplicates")


def fill_suggestions(rows, *, rng, recommendation_ids, **_kwargs):
    """Machine suggestions: UHRI themes the suggester proposed, waiting for a person, three for
    each recommendation until there are ``rows``."""
    from rightstrack.recommendations.models import RecommendationTag, TagSource, TagStatus
    from rightstrack.taxonomy.models import Scheme, Term

    terms = list(Term.objects.filter(scheme=Scheme.UHRI_THEME).values_list("pk", flat=True))
    taken = set(
        RecommendationTag.objects.filter(term_id__in=terms).values_list(
            "recommendation_id", "term_id"
        )
    )

    def suggestions():
        made = 0
        for pk in recommendation_ids:
            for term in rng.sample(terms, 3):
                if made == rows:
                    return
                if (pk, term) in taken:
                    continue
                made += 1
                yield RecommendationTag(
                    recommendation_id=pk,
                    term_id=term,
                    source=TagSource.MACHINE,
                    status=TagStatus.SUGGESTED,
                    confidence=round(rng.uniform(0.3, 0.99), 3),
                )

    bulk(RecommendationTag, suggestions(), rows, "machine suggestions")


FILLS = [fill_audit, fill_jobs, fill_notifications, fill_duplicates, fill_suggestions]


# --- the pages ------------------------------------------------------------------------------


@dataclass
class ListBench:
    name: str
    path: str
    # Hand-written SQL: what the page shows (its count, then its rows), per database vendor
    # where the two differ.
    floor: list[str] = field(default_factory=list)


def audit_floor(order, where=""):
    """The audit trail's count and page of entries with their object types."""
    return [
        f"SELECT COUNT(*) FROM audit_auditentry e {where}",
        "SELECT e.id, e.at, e.action, e.actor_name, e.object_repr, e.object_id, "
        "c.app_label, c.model FROM audit_auditentry e JOIN django_content_type c "
        f"ON c.id = e.content_type_id {where} ORDER BY {order} LIMIT 50",
    ]


def duplicates_floor(order):
    """The review queue's count and page of pairs with both texts."""
    return [
        "SELECT COUNT(*) FROM recommendations_matchcandidate WHERE status = 'open'",
        "SELECT m.id, m.score, s.text, r.text FROM recommendations_matchcandidate m "
        "JOIN recommendations_sourcerecord s ON s.id = m.source_id "
        "JOIN recommendations_recommendation r ON r.id = m.candidate_id "
        f"WHERE m.status = 'open' ORDER BY {order} LIMIT 25",
    ]


def pages():
    newest, oldest = "e.at DESC, e.id DESC", "e.at, e.id"
    # The last page is the first from the other end: that is its floor.
    return [
        ListBench("audit trail", "/audit/", audit_floor(newest)),
        ListBench(
            "audit trail, one user's",
            f"/audit/?actor={USER_NAME}",
            audit_floor(newest, where=f"WHERE e.actor_name = '{USER_NAME}'"),
        ),
        ListBench("audit trail, oldest first", "/audit/?sort=oldest", audit_floor(oldest)),
        ListBench("audit trail, last page", "/audit/?page=99999", audit_floor(oldest)),
        ListBench(
            "jobs",
            "/jobs/",
            [
                "SELECT COUNT(*) FROM jobs_job",
                "SELECT * FROM jobs_job ORDER BY created_at DESC, id DESC LIMIT 25",
            ],
        ),
        ListBench(
            "jobs, failed",
            "/jobs/?status=failed",
            [
                "SELECT COUNT(*) FROM jobs_job WHERE status = 'failed'",
                "SELECT * FROM jobs_job WHERE status = 'failed' "
                "ORDER BY created_at DESC, id DESC LIMIT 25",
            ],
        ),
        ListBench(
            "notifications",
            "/notifications/",
            [
                "SELECT COUNT(*) FROM notifications_notification n JOIN accounts_user u "
                f"ON u.id = n.user_id WHERE u.username = '{USER_NAME}'",
                "SELECT n.* FROM notifications_notification n JOIN accounts_user u "
                f"ON u.id = n.user_id WHERE u.username = '{USER_NAME}' "
                "ORDER BY n.created_at DESC, n.id DESC LIMIT 25",
            ],
        ),
        ListBench(
            "possible duplicates",
            "/recommendations/duplicates/",
            duplicates_floor("m.score DESC, m.id"),
        ),
        ListBench(
            "possible duplicates, least similar",
            "/recommendations/duplicates/?sort=least-likely",
            duplicates_floor("m.score, m.id"),
        ),
        ListBench(
            "possible duplicates, last page",
            "/recommendations/duplicates/?page=99999",
            duplicates_floor("m.score, m.id DESC"),
        ),
        ListBench(
            "machine suggestions",
            "/intelligence/review/",
            [
                "SELECT COUNT(DISTINCT recommendation_id) FROM recommendations_recommendationtag "
                "WHERE source = 'machine' AND status = 'suggested'",
                "SELECT r.id, r.text, best.confidence, t.confidence, term.label_en FROM "
                "(SELECT recommendation_id, MAX(confidence) AS confidence "
                "FROM recommendations_recommendationtag "
                "WHERE source = 'machine' AND status = 'suggested' GROUP BY recommendation_id "
                "ORDER BY 2 DESC, 1 LIMIT 25) best "
                "JOIN recommendations_recommendation r ON r.id = best.recommendation_id "
                "JOIN recommendations_recommendationtag t ON t.recommendation_id = r.id "
                "AND t.source = 'machine' AND t.status = 'suggested' "
                "JOIN taxonomy_term term ON term.id = t.term_id",
            ],
        ),
    ]


def signed_in_cookie():
    """The session cookie of the bench's administrator, made in this process's database."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=USER_NAME))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def statements(path):
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=USER_NAME))
    client.get(path)
    with (
        CaptureQueriesContext(connections["default"]) as default,
        CaptureQueriesContext(connections["jobs"]) as jobs,
    ):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(default) + (len(jobs) if connections["jobs"] is not connections["default"] else 0)


def floor_seconds(bench):
    from django.db import connections

    using = "jobs" if bench.path.startswith("/jobs/") else "default"

    def run():
        with connections[using].cursor() as cursor:
            for sql in bench.floor:
                cursor.execute(sql)
                cursor.fetchall()

    return timed(run)


def main():
    args = parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    url, vendor = database_url(args)
    built_before = None
    if not args.rebuild:
        setup_django(url)
        built_before = is_built()
    if not built_before:
        print(f"Building {args.rows:,} rows for each list on {vendor} ...", flush=True)
        if built_before is not None:
            from django.db import connections

            connections.close_all()  # the file is replaced under them
        copy_pages_database(args, url)
        setup_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("migrate", database="jobs", verbosity=0)
        build(args)
    from django.db import connections

    cookie = signed_in_cookie()
    connections.close_all()
    server = start_server(url, args.port, "serve")
    try:
        header = (
            f"{'page':34} {'first':>6} {'median':>7} {'p95':>6} {'cpu':>5} {'stmts':>5} "
            f"{'floor':>6} {'x':>5}"
        )
        print(f"\n{vendor}, {args.rows:,} rows per list; ms; load {os.getloadavg()[0]:.1f}")
        print(header)
        print("-" * len(header))
        for bench in pages():
            if args.only and args.only not in bench.name:
                continue
            status, _size, first, _location = get(args.port, bench.path, cookie=cookie)
            if status != 200:
                print(f"{bench.name:34} HTTP {status}")
                continue
            times, cpu_before = [], server_cpu(server)
            for _ in range(args.repeat):
                times.append(get(args.port, bench.path, cookie=cookie)[2])
            cpu = (server_cpu(server) - cpu_before) / args.repeat
            median = statistics.median(times)
            floor = floor_seconds(bench)
            print(
                f"{bench.name:34} {first * 1000:6.0f} {median * 1000:7.1f} "
                f"{percentile(times, 0.95) * 1000:6.1f} {cpu * 1000:5.0f} "
                f"{statements(bench.path):5d} {floor * 1000:6.1f} {median / floor:5.1f}",
                flush=True,
            )
            connections.close_all()
        print(f"load at the end: {os.getloadavg()[0]:.1f}")
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
