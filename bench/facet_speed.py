"""Facet speed on a generated list: every facet of the recommendation list, timed per filter.

    .venv/bin/python bench/facet_speed.py [--count 100000] [--db /tmp/facet-bench]

The first run builds an SQLite database in --db (migrations, the vocabularies from
../shared/data, then --count recommendations and about four tags each, written in SQL rather
than through the importer, so building takes seconds), then gathers planner statistics. Later
runs reuse it. Each filter's facets (``count_facets`` as the list page calls it, for an
anonymous reader) are timed ``--repeat`` times and the fastest run is printed, with the plan
SQLite chooses for the tag facet's query. ``--drop-index`` removes the tag table's covering
(recommendation, status, term) index first, to compare with the schema before it.
"""

import argparse
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.harness import setup_in  # noqa: E402

# Filters as the list's query string gives them: from the whole list down to a few hundred.
FILTERS = {
    "nothing": {},
    "big state": {"state": "__BIG_STATE__"},
    "big state+cycle": {"state": "__BIG_STATE__", "cycle": "3"},
    "small state": {"state": "__SMALL_STATE__"},
    "theme": {"theme": "__THEME__"},
    "position+session": {"position": "supported", "session": "31"},
    "q=torture": {"q": "torture"},
    "q=torture+state": {"q": "torture", "state": "__BIG_STATE__"},
}
WORDS = (
    "torture",
    "women",
    "children",
    "detention",
    "education",
    "health",
    "migrants",
    "journalists",
    "judiciary",
    "poverty",
    "disability",
    "indigenous",
    "trafficking",
)
TAG_SCHEMES = ("uhri-theme", "affected-persons", "sdg-target", "sdg-goal", "upr-info-issue")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/facet-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--drop-index", action="store_true")
    return parser.parse_args()


def build(count):
    """Recommendations, recommending states and tags generated in SQL from the vocabularies."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from rightstrack.core.db_statistics import refresh_planner_statistics

    call_command("load-vocabularies", data=str(PROJECT_DIR.parent / "shared" / "data"), verbosity=0)
    now = "2026-01-01 00:00:00"
    words = ", ".join(f"('{word}')" for word in WORDS)
    schemes = ", ".join(f"'{scheme}'" for scheme in TAG_SCHEMES)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE states AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, id "
            "FROM taxonomy_term WHERE scheme = 'state'"
        )
        cursor.execute(
            "CREATE TEMP TABLE mechanisms AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, "
            "id FROM taxonomy_term WHERE scheme = 'mechanism'"
        )
        cursor.execute(
            "CREATE TEMP TABLE tag_terms AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id "
            f"FROM taxonomy_term WHERE scheme IN ({schemes})"  # noqa: S608
        )
        cursor.execute(
            "CREATE TEMP TABLE words AS SELECT row_number() OVER () - 1 AS n, column1 AS word "
            f"FROM (VALUES {words})"  # noqa: S608
        )
        cursor.execute("SELECT (SELECT count(*) FROM states), (SELECT count(*) FROM mechanisms)")
        n_states, n_mechanisms = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM tag_terms")
        (n_tag_terms,) = cursor.fetchone()
        n_words = len(WORDS)
        # Skewed: a few States hold most recommendations, as in the real data.
        cursor.execute(
            f"""
            INSERT INTO recommendations_recommendation (source_key, number, annotation_type, date,
                cycle, session, text, wordings, position, position_source, is_published,
                created_at, updated_at, mechanism_id, state_id)
            WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %s)
            SELECT 'bench:' || i, i, '', '2020-01-01', 1 + i % 4, 1 + i % 45,
                'Recommendation ' || i || ' on ' || w1.word || ' and ' || w2.word, '[]',
                CASE i % 3 WHEN 0 THEN 'supported' WHEN 1 THEN 'noted' ELSE '' END, '', 1,
                '{now}', '{now}', m.id, s.id
            FROM seq
            JOIN words w1 ON w1.n = i % {n_words}
            JOIN words w2 ON w2.n = (i / 7) % {n_words}
            JOIN mechanisms m ON m.n = i % {n_mechanisms}
            JOIN states s ON s.n = ((i * i) % 1000) * ((i * i) % 1000) % {n_states}
            """,  # noqa: S608
            [count],
        )
        cursor.execute(
            "INSERT OR IGNORE INTO recommendations_recommendation_recommending_states "
            "(recommendation_id, term_id) SELECT r.id, s.id FROM recommendations_recommendation r "
            f"JOIN states s ON s.n = (r.id * 31) % {n_states}"  # noqa: S608
        )
        for k in range(4):
            cursor.execute(
                f"""
                INSERT OR IGNORE INTO recommendations_recommendationtag
                    (recommendation_id, term_id, source, status, created_at)
                SELECT r.id, t.id, 'imported',
                    CASE WHEN r.id % 10 = {k} THEN 'suggested' ELSE 'accepted' END, '{now}'
                FROM recommendations_recommendation r
                JOIN tag_terms t ON t.n = (r.id * {7 + 2 * k} + {k * 131}) % {n_tag_terms}
                """  # noqa: S608
            )
    refresh_planner_statistics()


def main():
    args = parse_args()
    args.db.mkdir(parents=True, exist_ok=True)
    fresh = not (args.db / "bench.sqlite3").exists()
    setup_in(args.db)
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.db.models import Count

    from rightstrack.recommendations.filters import parse_filters
    from rightstrack.recommendations.models import Recommendation, RecommendationTag
    from rightstrack.recommendations.selectors import recommendation_search
    from rightstrack.taxonomy.models import Term

    if fresh:
        started = time.perf_counter()
        build(args.count)
        print(f"built in {time.perf_counter() - started:.1f} s")
    if args.drop_index:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS tag_recommendation_status_term")
    print(
        f"{Recommendation.objects.count()} recommendations, "
        f"{RecommendationTag.objects.count()} tags"
    )
    theme = Term.objects.filter(scheme="uhri-theme", recommendation_tags__isnull=False).first()
    states = list(
        Recommendation.objects.values_list("state__code")
        .annotate(n=Count("id"))
        .order_by("-n", "state__code")
    )
    codes = {
        "__THEME__": theme.code,
        "__BIG_STATE__": states[0][0],
        "__SMALL_STATE__": states[len(states) // 2][0],
    }
    user = AnonymousUser()
    print(f"{'filter':<20}{'matched':>9}{'facets ms':>11}")
    for name, data in FILTERS.items():
        data = {key: codes.get(value, value) for key, value in data.items()}
        filters = parse_filters(data)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            search = recommendation_search(user=user, filters=filters)
            search.facets()
            times.append((time.perf_counter() - started) * 1000)
        matched = recommendation_search(user=user, filters=filters).results.count()
        print(f"{name:<20}{matched:>9}{min(times):>11.0f}")


if __name__ == "__main__":
    main()
