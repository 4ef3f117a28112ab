"""Search by meaning at 250,000 recommendations: the list's ``mode=meaning`` with facets.

    .venv/bin/python bench/semantic_search.py [--count 250000] [--queries 200] [--json]

The database (var/bench-semantic.sqlite3, or DATABASE_URL) is built the way the full-text bench
builds its own (bench/search_speed.py: the UPR Info texts cycled and varied into 250,000
recommendations with States, mechanisms, sessions and tags), then the semantic index (LSA by
default, MiniLM with the semantic extra) over all of them, kept in var/bench-semantic/models/
(not the index of the development database). Later runs reuse both.

One timed request is what the recommendation list does for ``?q=…&mode=meaning`` and its
facets, for an anonymous reader, through the same selector as the page, the API and the export
(``recommendations.selectors.recommendation_search``): the results ranked by meaning fused with
the words among what the facets keep (``intelligence.selectors.meaning_search``), counted; the
first page of 25 read with what a list shows; and the facet counts (state, mechanism and theme
as in the full-text bench; every facet of the page with ``--all-facets``), each facet that is
chosen counted over its own search by meaning. Three kinds of facets are timed: none, one
State, and a mechanism and a cycle. p50, p95 and max per case, wall clock and this thread's CPU
time; "rank" is the ranking part alone (the first call that needs it).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from harness import percentile  # noqa: E402

sys.path.insert(0, str(PROJECT_DIR / "bench"))

QUERIES = [
    "torture in police custody",
    "violence against women at home",
    "children forced to work",
    "freedom of journalists to report",
    "abolish capital punishment",
    "people with disabilities going to school",
    "independent national human rights institution",
    "trafficking of girls for sexual exploitation",
    "overcrowded prisons and conditions of detention",
    "rights of indigenous communities to their land",
    "discrimination against gay and lesbian people",
    "access to clean drinking water",
    "refugees and asylum seekers at the border",
    "corruption among public officials",
    "peaceful protest and demonstrations",
    "birth registration of babies",
    "early and forced marriage of girls",
    "human rights defenders threatened",
    "hate speech against minorities",
    "invite the special rapporteurs to visit",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=250_000)
    parser.add_argument("--queries", type=int, default=200, help="timed requests per case")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rebuild-index", action="store_true")
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument(
        "--minilm-from-base-texts",
        action="store_true",
        help="with the semantic extra: give each recommendation the MiniLM vector of the UPR "
        "Info text it was made from (33,000 encoded instead of 250,000), to time queries over "
        "250,000 384-dimension vectors without encoding every variant",
    )
    parser.add_argument(
        "--all-facets", action="store_true", help="count every facet of the page, not three"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args()


def configure_database():
    if not os.environ.get("DATABASE_URL"):
        path = PROJECT_DIR / "var" / "bench-semantic.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import search_speed

        search_speed.configure_database()
    os.environ.setdefault("RIGHTSTRACK_VAR_DIR", str(PROJECT_DIR / "var"))


FACETS = ("state", "mechanism", "theme")


def one_request(query, facets, user, facet_keys):
    """The list's search by meaning: (page rows, wall ms of the ranking, results counted)."""
    from rightstrack.core.listing import paginate
    from rightstrack.recommendations.filters import parse_filters
    from rightstrack.recommendations.selectors import recommendation_search

    filters = parse_filters({**facets, "q": query, "mode": "meaning"})
    search = recommendation_search(user=user, filters=filters)
    began = time.perf_counter()
    count = search.results.count()
    rank_ms = (time.perf_counter() - began) * 1000
    page = paginate(search.results, page=1)
    rows = list(page.object_list)
    counted = search.facets(facet_keys)
    assert search.mode == "meaning", "the search fell back to words: no semantic index"
    assert len(rows) <= 25 and len(rows) == min(25, count) and len(counted) == len(facet_keys)
    return rows, rank_ms, count


def minilm_from_base_texts(data_dir, path):
    import numpy as np
    import search_speed

    from rightstrack.intelligence import embeddings
    from rightstrack.intelligence.indexes import save_index
    from rightstrack.intelligence.semantic import SemanticIndex
    from rightstrack.recommendations.models import Recommendation

    texts = [row["Text"].strip() for row in search_speed.read_upr_info(data_dir)]
    base = np.vstack(
        [embeddings.encode(texts[start : start + 2000]) for start in range(0, len(texts), 2000)]
    )
    keys = Recommendation.objects.order_by("pk").values_list("pk", "source_key")
    ids, rows = [], []
    for pk, key in keys.iterator(chunk_size=20000):
        ids.append(pk)
        rows.append(int(key.split(":")[1]) % len(texts) if key.startswith("bench:") else 0)
    index = SemanticIndex(
        ids=np.array(ids, dtype=np.int64), vectors=base[np.array(rows)], kind="minilm"
    )
    index.info = {
        "items": len(ids),
        "kind": "minilm",
        "dimensions": base.shape[1],
        "from_base_texts": True,
    }
    save_index(index, path)
    return index


def main():
    args = parse_args()
    configure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()
    import search_speed
    from django.conf import settings

    # The search loads the index from var/models/ under VAR_DIR: the bench's own one.
    settings.VAR_DIR = PROJECT_DIR / "var" / "bench-semantic"
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from rightstrack.intelligence import embeddings, semantic
    from rightstrack.recommendations.facets import DEFAULT_FACETS
    from rightstrack.recommendations.models import Recommendation
    from rightstrack.taxonomy.models import Term
    from rightstrack.taxonomy.services import vocabularies_load

    data_dir = settings.SHARED_DATA_DIR
    progress = not args.no_progress and sys.stderr.isatty()
    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    if not Term.objects.exists():
        vocabularies_load(data_dir=data_dir, progress=progress)
    started = time.perf_counter()
    search_speed.build(args.count, data_dir, rng, progress)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    database_seconds = time.perf_counter() - started
    total = Recommendation.objects.count()

    use_embeddings = embeddings.available() and not args.no_embeddings
    from_base_texts = bool(args.minilm_from_base_texts and use_embeddings)
    wanted_kind = "minilm" if use_embeddings else "lsa"
    path = semantic.index_file()
    started = time.perf_counter()
    index = None
    if path.exists() and not args.rebuild_index:
        index = semantic.load_semantic_index()
        usable = (
            index.kind == wanted_kind
            and len(index) == total
            and bool(index.info.get("from_base_texts")) == from_base_texts
        )
        index = index if usable else None
    if index is None:
        if from_base_texts:
            minilm_from_base_texts(data_dir, path)
        else:
            semantic.build_index(use_embeddings=use_embeddings)
        index = semantic.load_semantic_index()
    index_seconds = time.perf_counter() - started
    facet_keys = DEFAULT_FACETS if args.all_facets else FACETS

    user = AnonymousUser()
    states = list(
        Recommendation.objects.values_list("state__code", flat=True)
        .order_by("state__code")
        .distinct()
    )
    cases = {
        "no facet": lambda: {},
        "one State": lambda: {"state": rng.choice(states)},
        "UPR, cycle 2": lambda: {"mechanism": "UPR", "cycle": "2"},
    }
    for query in QUERIES[:5]:
        one_request(query, {}, user, facet_keys)  # warm caches as a running server has them
    results = {}
    sample_page = None
    for case, make_facets in cases.items():
        timings, cpu, ranking, counts = [], [], [], []
        for number in range(args.queries):
            query = QUERIES[number % len(QUERIES)]
            facets = make_facets()
            began, began_cpu = time.perf_counter(), time.thread_time()
            page, rank_ms, count = one_request(query, facets, user, facet_keys)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.thread_time() - began_cpu) * 1000)
            ranking.append(rank_ms)
            counts.append(count)
            if case == "no facet" and number == 0:
                sample_page = [row.text[:100] for row in page[:3]]
        results[case] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1),
            # CPU time of the request's thread (SQLite runs in it): what a busy machine adds
            # to the wall-clock figures is waiting, not work.
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
            "rank_p50_ms": round(statistics.median(ranking), 1),
            "rank_p95_ms": round(percentile(ranking, 0.95), 1),
            "results_p50": statistics.median(counts),
            "requests": len(timings),
        }
    summary = {
        "recommendations": total,
        "index": index.kind,
        "dimensions": int(index.vectors.shape[1]),
        "database": connection.vendor,
        "database_build_seconds": round(database_seconds, 1),
        "index_build_or_load_seconds": round(index_seconds, 1),
        "facets": list(facet_keys),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "cases": results,
        "sample": {"query": QUERIES[0], "top": sample_page},
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(
        f"{total} recommendations ({connection.vendor}), index {index.kind} "
        f"{summary['dimensions']} dims, built/loaded in {summary['index_build_or_load_seconds']} s"
    )
    print(
        f"mode=meaning + page 1 + facets {', '.join(facet_keys)}; "
        f"load average {', '.join(str(value) for value in summary['load_average'])}"
    )
    print(
        f"{'facets':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"{'CPU p50':>9}{'CPU p95':>9}{'rank p50':>9}{'rank p95':>9}{'results':>9}"
    )
    for case, row in results.items():
        print(
            f"{case:<16}{row['requests']:>9}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['max_ms']:>9}"
            f"{row['cpu_p50_ms']:>9}{row['cpu_p95_ms']:>9}{row['rank_p50_ms']:>9}"
            f"{row['rank_p95_ms']:>9}{row['results_p50']:>9}"
        )
    print(f"“{QUERIES[0]}” → " + " | ".join(sample_page or []))


if __name__ == "__main__":
    main()
