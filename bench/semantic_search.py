"""Search by meaning at 250,000 recommendations: latency of a natural-language query.

    .venv/bin/python bench/semantic_search.py [--count 250000] [--queries 200] [--json]

The database (var/bench-semantic.sqlite3, or DATABASE_URL) is built the way the full-text bench
builds its own (bench/search_speed.py: the UPR Info texts cycled and varied into 250,000
recommendations with States, mechanisms, sessions and tags), then the semantic index (LSA by
default, MiniLM with the semantic extra) over all of them.

One timed request is what the recommendation search does for ``mode=meaning``
(``intelligence.selectors.meaning_ranked_ids``), for an anonymous reader: the ids the facets
keep (none, one State, or a mechanism and a cycle) read from the database; the ranking by
meaning over them; the full-text ranking of those matching the words (the search's own
selector, first 200); the two fused (reciprocal rank fusion); and the first page of 25
recommendations read with what a list shows. p50, p95 and max per case.
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


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def one_request(query, facets, user, index):
    from rightstrack.intelligence.selectors import meaning_ranked_ids
    from rightstrack.recommendations.filters import parse_filters
    from rightstrack.recommendations.models import Recommendation
    from rightstrack.recommendations.selectors import _with_list_relations

    filters = parse_filters({**facets, "q": query})
    ids = meaning_ranked_ids(user=user, filters=filters, index=index)[:25]
    rows = {
        row.pk: row for row in _with_list_relations(Recommendation.objects.filter(pk__in=ids), user)
    }
    return [rows[pk] for pk in ids if pk in rows]


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
    index.info = {"items": len(ids), "kind": "minilm", "dimensions": base.shape[1]}
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
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from rightstrack.intelligence import embeddings, semantic
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
    name = "semantic-minilm" if use_embeddings else "semantic-lsa"
    path = Path(settings.VAR_DIR) / "models" / f"bench-{name}-{total}.joblib"
    started = time.perf_counter()
    if args.minilm_from_base_texts and use_embeddings:
        path = path.with_name(path.stem + "-from-base-texts.joblib")
    if args.rebuild_index or not path.exists():
        if args.minilm_from_base_texts and use_embeddings:
            index = minilm_from_base_texts(data_dir, path)
        else:
            index = semantic.build_index(use_embeddings=use_embeddings, path=path)
    index = semantic.load_semantic_index(path)
    index_seconds = time.perf_counter() - started

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
        one_request(query, {}, user, index)  # warm caches as a running server has them
    results = {}
    sample_page = None
    for case, make_facets in cases.items():
        timings, cpu = [], []
        for number in range(args.queries):
            query = QUERIES[number % len(QUERIES)]
            facets = make_facets()
            began, began_cpu = time.perf_counter(), time.thread_time()
            page = one_request(query, facets, user, index)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.thread_time() - began_cpu) * 1000)
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
            "requests": len(timings),
        }
    summary = {
        "recommendations": total,
        "index": index.kind,
        "dimensions": int(index.vectors.shape[1]),
        "database": connection.vendor,
        "database_build_seconds": round(database_seconds, 1),
        "index_build_or_load_seconds": round(index_seconds, 1),
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
        f"{'facets':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"{'CPU p50':>9}{'CPU p95':>9}"
    )
    for case, row in results.items():
        print(
            f"{case:<16}{row['requests']:>9}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['max_ms']:>9}"
            f"{row['cpu_p50_ms']:>9}{row['cpu_p95_ms']:>9}"
        )
    print(f"“{QUERIES[0]}” → " + " | ".join(sample_page or []))


if __name__ == "__main__":
    main()
