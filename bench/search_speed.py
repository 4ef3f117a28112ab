"""Search speed at 250,000 recommendations: a full-text query plus three facets with counts.

    .venv/bin/python bench/search_speed.py                     # SQLite, var/bench-search.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rightstrack_search_bench \\
        .venv/bin/python bench/search_speed.py                 # PostgreSQL (created if missing)

The first run builds the database (migrations, the vocabularies from ../shared/data, then
250,000 recommendations made from the UPR Info texts, cycled and varied, with states,
mechanisms, sessions, positions, recommending states and tags); later runs reuse it.

Each request is timed on the server side: the real selectors an anonymous reader's page calls
(``recommendation_search``: its results paginated to page 1 with their count, and its facets
for state, mechanism and theme), in this process, without HTTP. With ``--page`` the
whole page (every facet, templates) is also timed through Django's test Client.

Queries are words from the data: words of four or more letters that occur in at least 20
texts, chosen uniformly (one word, two words, or a two-word phrase taken from a text). The ten
most frequent words are timed separately as the worst case ("broad").

The table gives, per kind of request, the median, 95th percentile and maximum wall-clock time,
the same for this process's CPU time, and how many recommendations the queries matched. On a
shared machine ``--repeat 3`` keeps each query's fastest run, which is closer to what an idle
server takes; the load average is printed so a reader can judge.
"""

import argparse
import csv
import io
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from harness import percentile  # noqa: E402

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your shall well ensure continue take measures including further state states
    party""".split()  # noqa: SIM905 - a word list reads better as text
)
FACETS = ("state", "mechanism", "theme")
TREATY_BODIES = ["CCPR", "CESCR", "CEDAW", "CRC", "CAT", "CERD", "CRPD", "CMW", "CED"]
CLAUSES = [
    "",
    "",
    " in line with its international obligations",
    " and allocate adequate resources to that end",
    ", in consultation with civil society",
    " and report on progress in its next periodic report",
    ", with the technical assistance of OHCHR",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=250_000, help="recommendations to build")
    parser.add_argument("--queries", type=int, default=200, help="full-text queries to time")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--data", default=None, help="the shared data directory")
    parser.add_argument("--rebuild", action="store_true", help="delete and rebuild the data")
    parser.add_argument("--page", action="store_true", help="also time the whole page")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each query N times in a row and keep the fastest (on a shared, busy machine "
        "this shows the time without waiting for the CPU)",
    )
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args()


def configure_database():
    url = os.environ.get("DATABASE_URL")
    if not url:
        path = PROJECT_DIR / "var" / "bench-search.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return
    if url.startswith("postgres"):
        _create_postgres_database(url)


def _create_postgres_database(url):
    import psycopg

    base, _slash, name = url.rpartition("/")
    try:
        psycopg.connect(url).close()
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')


def read_upr_info(data_dir):
    rows = []
    for path in sorted((data_dir / "upr-info").glob("upr-info-sessions-*.csv")):
        text = path.read_bytes().decode("mac_roman")
        rows.extend(csv.DictReader(io.StringIO(text, newline="")))
    return [row for row in rows if (row.get("Text") or "").strip()]


def session_date(session):
    return date(2008, 4, 7) + timedelta(days=int((session - 1) * 365 / 3))


def cycle_of(session):
    return 1 + min(3, (session - 1) // 14)


def build(count, data_dir, rng, progress):
    from django.db import transaction
    from tqdm import tqdm

    from rightstrack.recommendations.models import (
        Document,
        Position,
        Recommendation,
        RecommendationTag,
        TagSource,
        TagStatus,
    )
    from rightstrack.taxonomy.models import Scheme, Term
    from rightstrack.taxonomy.selectors import TermResolver

    rows = read_upr_info(data_dir)
    states = TermResolver(Scheme.STATE)
    issues = TermResolver(Scheme.UPR_INFO_ISSUE)
    all_states = list(Term.objects.filter(scheme=Scheme.STATE))
    mechanisms = {term.code: term for term in Term.objects.filter(scheme=Scheme.MECHANISM)}
    actions = {term.code: term for term in Term.objects.filter(scheme=Scheme.ACTION_CATEGORY)}
    themes = list(Term.objects.filter(scheme=Scheme.UHRI_THEME))
    affected = list(Term.objects.filter(scheme=Scheme.AFFECTED_PERSONS))
    targets = list(Term.objects.filter(scheme=Scheme.SDG_TARGET))
    documents = {}
    numbers = Counter()
    made = Recommendation.objects.count()
    bar = tqdm(total=count, initial=made, disable=not progress, desc="recommendations")
    batch_size = 5000
    while made < count:
        batch = []
        extras = []
        for index in range(made, min(count, made + batch_size)):
            row = rows[index % len(rows)]
            copy = index // len(rows)
            state = states.resolve(row["To"]) or rng.choice(all_states)
            session = int(row["Session"] or 1)
            if copy:
                state = rng.choice(all_states) if rng.random() < 0.5 else state
                session = (session + 14 * copy - 1) % 50 + 1
            is_upr = copy == 0 or rng.random() < 0.5
            mechanism = mechanisms["UPR"]
            if not is_upr:
                mechanism = mechanisms[rng.choice(TREATY_BODIES)] if rng.random() < 0.8 else None
                mechanism = mechanism or mechanisms["SP"]
            when = session_date(session) + timedelta(days=rng.randint(0, 60) if copy else 0)
            if is_upr:
                symbol = f"A/HRC/WG.6/{session}/{state.code}/bench"
            else:
                symbol = f"{mechanism.code}/C/{state.code}/CO/{when.year}/bench"
            document = documents.get(symbol)
            if document is None:
                document, _created = Document.objects.get_or_create(
                    symbol=symbol,
                    defaults={"state": state, "mechanism": mechanism, "date": when},
                )
                documents[symbol] = document
            numbers[symbol] += 1
            text = row["Text"].strip()
            if copy:
                text = text.rstrip(".") + rng.choice(CLAUSES) + "."
            response = (row.get("Response") or "").strip().lower()
            position = {"accepted": Position.SUPPORTED, "noted": Position.NOTED}.get(response, "")
            action = actions.get((row.get("Action") or "").strip()) if is_upr else None
            batch.append(
                Recommendation(
                    source_key=f"bench:{index}",
                    state=state,
                    mechanism=mechanism,
                    document=document,
                    number=f"{90 + copy}.{numbers[symbol]}",
                    annotation_type="Recommendation" if is_upr else "Concerns/Observations",
                    date=when,
                    cycle=cycle_of(session) if is_upr else None,
                    session=session if is_upr else None,
                    text=text,
                    position=position if is_upr else "",
                    action_category=action,
                    is_published=rng.random() > 0.02,
                )
            )
            recommending = states.resolve(row["From"]) if is_upr else None
            tags = [term for term in (issues.resolve(i) for i in row["Issue"].split(",")) if term]
            tags += rng.sample(themes, k=min(len(themes), rng.randint(1, 3)))
            tags += rng.sample(affected, k=min(len(affected), rng.randint(0, 2)))
            tags += rng.sample(targets, k=min(len(targets), rng.randint(0, 2)))
            extras.append((recommending, list(dict.fromkeys(tags))))
        with transaction.atomic():
            created = Recommendation.objects.bulk_create(batch)
            through = Recommendation.recommending_states.through
            through.objects.bulk_create(
                [
                    through(recommendation_id=recommendation.pk, term_id=recommending.pk)
                    for recommendation, (recommending, _tags) in zip(created, extras, strict=True)
                    if recommending is not None
                ]
            )
            tag_rows = []
            for recommendation, (_recommending, tags) in zip(created, extras, strict=True):
                for term in tags:
                    suggested = rng.random() < 0.1
                    tag_rows.append(
                        RecommendationTag(
                            recommendation_id=recommendation.pk,
                            term=term,
                            source=TagSource.MACHINE if suggested else TagSource.IMPORTED,
                            status=TagStatus.SUGGESTED if suggested else TagStatus.ACCEPTED,
                            confidence=round(rng.uniform(0.4, 0.95), 2) if suggested else None,
                        )
                    )
            RecommendationTag.objects.bulk_create(tag_rows)
        made += len(batch)
        bar.update(len(batch))
    bar.close()


def query_words(data_dir):
    frequency = Counter()
    texts = [row["Text"] for row in read_upr_info(data_dir)]
    for text in texts:
        frequency.update(set(re.findall(r"[a-z]{4,}", text.lower())))
    words = sorted(word for word, n in frequency.items() if n >= 20 and word not in STOPWORDS)
    broad = [word for word, _n in frequency.most_common() if word not in STOPWORDS][:10]
    return words, broad, texts


def make_queries(n, words, texts, rng):
    queries = []
    while len(queries) < n:
        kind = rng.random()
        if kind < 0.6:
            queries.append(rng.choice(words))
        elif kind < 0.85:
            queries.append(f"{rng.choice(words)} {rng.choice(words)}")
        else:
            tokens = re.findall(r"[a-z]{4,}", rng.choice(texts).lower())
            pairs = [
                (a, b)
                for a, b in zip(tokens, tokens[1:], strict=False)
                if a not in STOPWORDS and b not in STOPWORDS
            ]
            if pairs:
                first, second = rng.choice(pairs)
                queries.append(f'"{first} {second}"')
    return queries


def fastest(measure, query, repeat):
    """(wall ms, cpu ms, hits) of the fastest of ``repeat`` runs of one query."""
    return min((measure(query) for _ in range(repeat)), key=lambda run: run[0])


def time_selectors(queries, user, repeat=1):
    from rightstrack.core.listing import paginate
    from rightstrack.recommendations.filters import parse_filters
    from rightstrack.recommendations.selectors import recommendation_search

    def measure(query):
        started = time.perf_counter()
        cpu_started = time.process_time()
        filters = parse_filters({"q": query})
        search = recommendation_search(user=user, filters=filters)
        page = paginate(search.results, page=1)
        rows = list(page.object_list)
        facets = search.facets(FACETS)
        wall = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu_started) * 1000
        assert len(facets) == len(FACETS) and len(rows) <= 25
        return wall, cpu, page.paginator.count

    runs = [fastest(measure, query, repeat) for query in queries]
    return [run[0] for run in runs], [run[1] for run in runs], [run[2] for run in runs]


def time_page(queries, repeat=1):
    from django.test import Client

    client = Client()

    def measure(query):
        started = time.perf_counter()
        cpu_started = time.process_time()
        response = client.get("/recommendations/", {"q": query})
        wall = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu_started) * 1000
        assert response.status_code == 200, response.status_code
        return wall, cpu, None

    runs = [fastest(measure, query, repeat) for query in queries]
    return [run[0] for run in runs], [run[1] for run in runs]


def main():
    args = parse_args()
    configure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from rightstrack.recommendations.models import Recommendation
    from rightstrack.taxonomy.models import Term
    from rightstrack.taxonomy.services import vocabularies_load

    data_dir = Path(args.data) if args.data else settings.SHARED_DATA_DIR
    if not (data_dir / "upr-info").is_dir():
        sys.exit(f"UPR Info data not found in {data_dir} (use --data DIR)")
    progress = not args.no_progress and sys.stderr.isatty()
    rng = random.Random(args.seed)

    call_command("migrate", verbosity=0)
    if not Term.objects.exists():
        vocabularies_load(data_dir=data_dir, progress=progress)
    if args.rebuild:
        Recommendation.objects.all().delete()
    started = time.perf_counter()
    build(args.count, data_dir, rng, progress)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built_in = time.perf_counter() - started
    total = Recommendation.objects.count()

    words, broad, texts = query_words(data_dir)
    queries = make_queries(args.queries, words, texts, rng)
    user = AnonymousUser()
    time_selectors(queries[:10], user)  # warm the caches as a running server would have them
    repeat = max(1, args.repeat)
    results = [("query + 3 facets (selectors)", *time_selectors(queries, user, repeat))]
    results.append(("broad words + 3 facets (selectors)", *time_selectors(broad, user, repeat)))
    if args.page:
        time_page(queries[:10])
        results.append(("whole page, all facets (client)", *time_page(queries, repeat), None))

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{connection.vendor}: {total:,} recommendations (build/reuse {built_in:.0f} s)")
    print(f"{os.cpu_count()} CPUs, load average {load}; fastest of {repeat} run(s) per query")
    header = (
        f"{'measured':<36} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}"
        f" {'cpu med':>8} {'cpu p95':>8} {'hits med':>9} {'hits p95':>9}"
    )
    print(header)
    print("-" * len(header))
    for label, timings, cpu_timings, matches in results:
        hits = (
            f"{statistics.median(matches):>9,.0f} {percentile(matches, 0.95):>9,}"
            if matches
            else ""
        )
        print(
            f"{label:<36} {len(timings):>4} {statistics.median(timings):>10.1f}"
            f" {percentile(timings, 0.95):>8.1f} {max(timings):>8.1f}"
            f" {statistics.median(cpu_timings):>8.1f} {percentile(cpu_timings, 0.95):>8.1f}"
            f" {hits}"
        )
    print(
        "cpu: this process's CPU time. SQLite runs in the process, so there it is the server "
        "time without waiting for a busy CPU; PostgreSQL's own work is not in it."
    )


if __name__ == "__main__":
    main()
