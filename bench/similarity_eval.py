"""How well the similarity index finds the same recommendation worded by different States.

    .venv/bin/python bench/similarity_eval.py [--data DIR] [--no-distractors] [--json]

In the UPR Working Group report on Belarus (A/HRC/15/16), the wordings of several States listed
under one number (e.g. 98.16) are the same recommendation. The report is imported into a fresh
temporary SQLite database with the importer (``import_file``, format ``un-wg-report``); every
wording becomes one item. For each wording of a number with several, the benchmark ranks all
other items by the similarity score of ``rightstrack.intelligence.similarity`` and reports:

- recall@5: of the other wordings under the same number (at most five counted), the share found
  among its 5 most similar items — "how often the others under the same number are among the
  top 5";
- hit@5: the share of wordings with at least one other wording of the same number in the top 5;
- all@5: the share of wordings whose every sibling (numbers with at most 6 wordings) is in it.

Two pools of items are ranked: the Belarus wordings alone, and the Belarus wordings plus the
33,000 UPR Info recommendations of sessions 1–17 as distractors (without Belarus's own session-8
rows, which are copies of the same recommendations from another source and would otherwise
count as misses). The benchmark also tunes the "repeats an earlier recommendation" threshold:
the score that best separates pairs of Belarus wordings under one number from pairs under
different numbers (best F1), with the share of each above it.

With the semantic extra installed the scores include sentence embeddings (``--no-embeddings``
turns them off).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
WG_REPORT = "un-documents/A-HRC-15-16-belarus-upr-working-group-report-2010.txt"
TOP = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None, help="the shared data directory")
    parser.add_argument("--no-distractors", action="store_true", help="only the Belarus pool")
    parser.add_argument("--no-embeddings", action="store_true", help="TF-IDF only")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args()


def setup(temp_dir):
    os.environ["RIGHTSTRACK_VAR_DIR"] = str(temp_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{temp_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(data_dir, with_distractors):
    from rightstrack.recommendations.models import Recommendation
    from rightstrack.recommendations.services import import_file
    from rightstrack.taxonomy.services import vocabularies_load

    vocabularies_load(data_dir=data_dir, progress=False)
    batch = import_file(user=None, format="un-wg-report", path=data_dir / WG_REPORT)
    if batch.status != "succeeded":
        sys.exit(f"the report did not import: {batch.message} {batch.errors[:3]}")
    belarus = list(Recommendation.objects.filter(import_batch=batch).order_by("pk"))
    others = []
    if with_distractors:
        for path in sorted((data_dir / "upr-info").glob("upr-info-sessions-*.csv")):
            import_file(user=None, format="upr-info", path=path, skip_invalid=True)
        others = list(
            Recommendation.objects.exclude(import_batch=batch)
            .exclude(state__code="BLR", session=8)
            .values_list("text", flat=True)
        )
    return belarus, others


def wording_items(recommendations):
    """[(number, text)]: each State's wording of each numbered recommendation."""
    items = []
    for recommendation in recommendations:
        wordings = recommendation.wordings or [{"text": recommendation.text, "states": []}]
        for wording in wordings:
            if wording.get("text"):
                items.append((recommendation.number, wording["text"]))
    return items


def rates(index, items):
    """recall@5, hit@5, all@5 and the number of queries, over the wordings with siblings."""
    import numpy as np

    numbers = np.array([number for number, _text in items])
    queries = [i for i in range(len(items)) if (numbers == numbers[i]).sum() > 1]
    recall, hits, complete, complete_queries = [], 0, 0, 0
    sparse, dense = index.vectors(ids=list(range(len(items))))
    for start in range(0, len(queries), 256):
        chunk = queries[start : start + 256]
        scores = index.scores(sparse[chunk], None if dense is None else dense[chunk])
        for row, query in zip(scores, chunk, strict=True):
            row[query] = -np.inf
            top = set(np.argpartition(-row, TOP)[:TOP].tolist())
            siblings = set(np.flatnonzero(numbers == numbers[query]).tolist()) - {query}
            found = len(siblings & top)
            recall.append(found / min(len(siblings), TOP))
            hits += found > 0
            if len(siblings) <= TOP:
                complete_queries += 1
                complete += found == len(siblings)
    return {
        "queries": len(queries),
        "recall_at_5": round(float(np.mean(recall)), 4),
        "hit_at_5": round(hits / len(queries), 4),
        "all_at_5": round(complete / complete_queries, 4) if complete_queries else None,
    }


def tune_threshold(index, items):
    """The score best separating same-number pairs from other pairs (F1), over Belarus."""
    import numpy as np

    count = len(items)
    numbers = np.array([number for number, _text in items])
    sparse, dense = index.vectors(ids=list(range(count)))
    scores = index.scores(sparse, dense)
    upper = np.triu_indices(count, k=1)
    pair_scores = scores[upper]
    same = numbers[upper[0]] == numbers[upper[1]]
    best = (0.0, 0.0)
    for threshold in np.arange(0.1, 0.95, 0.01):
        above = pair_scores >= threshold
        true_positive = np.logical_and(above, same).sum()
        f1 = 2 * true_positive / (above.sum() + same.sum()) if above.sum() else 0.0
        if f1 > best[0]:
            best = (float(f1), float(threshold))
    threshold = best[1]
    # A flag shown to people must be right most of the time: the lowest score at which at least
    # 80% of the pairs above it are wordings of the same recommendation.
    precise = None
    for candidate in np.arange(0.1, 0.95, 0.01):
        above = pair_scores >= candidate
        if above.sum() and np.logical_and(above, same).sum() / above.sum() >= 0.8:
            precise = float(candidate)
            break
    return {
        "precision_80_threshold": round(precise, 2) if precise is not None else None,
        "same_number_pairs_above_precise": round(float((pair_scores[same] >= precise).mean()), 4)
        if precise is not None
        else None,
        "threshold": round(threshold, 2),
        "f1": round(best[0], 4),
        "same_number_pairs_above": round(float((pair_scores[same] >= threshold).mean()), 4),
        "other_pairs_above": round(float((pair_scores[~same] >= threshold).mean()), 5),
        "pairs": int(len(pair_scores)),
    }


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="rightstrack-similarity-") as temp:
        setup(Path(temp))
        from django.conf import settings

        from rightstrack.intelligence import embeddings
        from rightstrack.intelligence.similarity import SimilarityIndex

        data_dir = Path(args.data) if args.data else settings.SHARED_DATA_DIR
        if not (data_dir / WG_REPORT).is_file():
            sys.exit(f"the Belarus Working Group report is not in {data_dir}")
        use_embeddings = embeddings.available() and not args.no_embeddings
        started = time.perf_counter()
        belarus, others = load(data_dir, not args.no_distractors)
        loaded = time.perf_counter() - started
        items = wording_items(belarus)
        texts = [text for _number, text in items]
        results = {
            "embeddings": use_embeddings,
            "recommendations": len(belarus),
            "wordings": len(items),
            "numbers_with_several_wordings": len(
                {number for number, _text in items if sum(n == number for n, _t in items) > 1}
            ),
            "import_seconds": round(loaded, 1),
        }
        started = time.perf_counter()
        alone = SimilarityIndex.build(list(enumerate(texts)), use_embeddings=use_embeddings)
        results["repeat_threshold_in_code"] = alone.repeat_threshold
        results["belarus_only"] = rates(alone, items)
        results["repeat_threshold_tuned"] = tune_threshold(alone, items)
        if others:
            pool = list(enumerate(texts + others))
            mixed = SimilarityIndex.build(pool, use_embeddings=use_embeddings)
            results["with_distractors"] = {**rates(mixed, items), "pool": len(pool)}
        results["index_seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"Belarus WG report: {results['recommendations']} recommendations, "
        f"{results['wordings']} wordings, {results['numbers_with_several_wordings']} numbers "
        f"with several wordings; sentence embeddings: {'yes' if use_embeddings else 'no'}"
    )
    print(f"{'pool':<38}{'queries':>8}{'recall@5':>10}{'hit@5':>8}{'all@5':>8}")
    rows = [("Belarus wordings", results["belarus_only"])]
    if "with_distractors" in results:
        pool = results["with_distractors"]["pool"]
        rows.append((f"+ UPR Info distractors ({pool} items)", results["with_distractors"]))
    for name, row in rows:
        print(
            f"{name:<38}{row['queries']:>8}{row['recall_at_5']:>10.3f}{row['hit_at_5']:>8.3f}"
            f"{row['all_at_5']:>8.3f}"
        )
    tuned = results["repeat_threshold_tuned"]
    print(
        f"repeat threshold (best F1 {tuned['f1']:.3f} on {tuned['pairs']} pairs): "
        f"{tuned['threshold']:.2f} — same-number pairs above "
        f"{tuned['same_number_pairs_above']:.3f}, "
        f"other pairs above {tuned['other_pairs_above']:.4f}"
    )
    print(
        f"repeat threshold at 80% precision: {tuned['precision_80_threshold']} — same-number "
        f"pairs above {tuned['same_number_pairs_above_precise']}; in the code: "
        f"{results['repeat_threshold_in_code']}"
    )


if __name__ == "__main__":
    main()
