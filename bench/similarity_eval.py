"""How well the similarity index finds the same recommendation worded by different States.

    .venv/bin/python bench/similarity_eval.py [--data DIR] [--distractors] [--no-embeddings]
                                              [--no-topics] [--json]

In the UPR Working Group report on Belarus (A/HRC/15/16), the wordings of several States listed
under one number (e.g. 98.16) are the same recommendation. The report is imported into a fresh
temporary SQLite database with the importer (``import_file``, format ``un-wg-report``); every
wording becomes one item. For each wording of a number with several, the benchmark ranks all
other items by the score of ``rightstrack.intelligence.similarity`` and reports:

- recall@5: of the other wordings under the same number (at most five counted), the share found
  among its 5 most similar items — "how often the others under the same number are among the
  top 5" (the issue's figure, target 0.9);
- hit@5: the share of wordings with at least one other wording of the same number in the top 5;
- all@5: the share of wordings whose every sibling (numbers with at most 6 wordings) is in it.

So that the method is not fitted to one document, the same figures are computed on two other
sources:

- UPR Info's own rows for that review (session 8, Belarus): one row per State, each given the
  number of the report's wording by the same State that it matches (character n-gram cosine);
- the two OHCHR thematic lists for Slovenia (2014, 2019), where a few numbers carry several
  States' wordings; the lists are a pool of 388 wordings.

Each pool is ranked by the index built over it, scored as ``pairwise_scores`` scores one
State's recommendations (for proposed clusters), with and without topic vectors: the issue
probabilities of a UPR Info issues tagger trained here on sessions 1–17 **except session 8**,
the session of Belarus's review, so that it never saw the report's recommendations (it is
trained without sentence embeddings, which would take minutes to compute for 31,000 texts on
this machine). ``--distractors`` adds a pool of the Belarus wordings plus the 33,000 UPR Info
recommendations of sessions 1–17 (without Belarus's own session-8 rows), scored as ``nearest``
scores across all recommendations (without topic vectors), and with them for comparison. The
benchmark also tunes the "repeats an earlier recommendation" threshold on ``nearest``'s scores
of the Belarus wordings: the score that best separates pairs under one number from pairs under
different numbers (best F1), and the lowest score at which 80% of the pairs above it are under
one number.

With the semantic extra installed the scores include sentence embeddings (``--no-embeddings``
turns them off).
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from harness import setup_in  # noqa: E402

WG_REPORT = "un-documents/A-HRC-15-16-belarus-upr-working-group-report-2010.txt"
UPR_INFO_BELARUS = "upr-info/upr-info-sessions-6-9.csv"
BELARUS_SESSION = 8
TOP = 5
# A UPR Info row is the report's wording of the same State when their character n-gram cosine
# reaches this (measured: every one of the 169 rows matches a wording, the lowest at 0.81; 13
# rows name a State the report spells otherwise and are matched by their text alone).
SAME_WORDING = 0.6


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None, help="the shared data directory")
    parser.add_argument(
        "--distractors", action="store_true", help="also rank among 33,000 UPR Info items"
    )
    parser.add_argument("--no-embeddings", action="store_true", help="TF-IDF only")
    parser.add_argument("--no-topics", action="store_true", help="no topic vectors")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args()


def working_group_items(data_dir):
    """[(number, wording)] of the report, read through the importer into the database."""
    from rightstrack.recommendations.models import Recommendation
    from rightstrack.recommendations.services import import_file
    from rightstrack.taxonomy.services import vocabularies_load

    vocabularies_load(data_dir=data_dir, progress=False)
    batch = import_file(user=None, format="un-wg-report", path=data_dir / WG_REPORT)
    if batch.status != "succeeded":
        sys.exit(f"the report did not import: {batch.message} {batch.errors[:3]}")
    items = []
    for recommendation in Recommendation.objects.filter(import_batch=batch).order_by("pk"):
        wordings = recommendation.wordings or [{"text": recommendation.text, "states": []}]
        items += [(recommendation.number, w["text"]) for w in wordings if w.get("text")]
    return items, batch


def _drafts(format_name, path):
    from rightstrack.recommendations.imports.formats import FORMATS
    from rightstrack.recommendations.imports.records import RecordDraft

    return [
        item
        for item in FORMATS[format_name].parse(path, state=None, options={})
        if isinstance(item, RecordDraft)
    ]


def upr_info_belarus_items(data_dir):
    """[(number, text)]: UPR Info's session-8 Belarus rows, each with the report's number of the
    same State's wording it matches; and how many rows matched none."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    wordings = [
        (draft.number, wording["text"], set(wording.get("states") or []))
        for draft in _drafts("un-wg-report", data_dir / WG_REPORT)
        for wording in draft.wordings
    ]
    rows = [
        draft
        for draft in _drafts("upr-info", data_dir / UPR_INFO_BELARUS)
        if draft.state == "Belarus" and draft.session == BELARUS_SESSION
    ]
    characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))
    characters.fit([text for _n, text, _s in wordings] + [row.text for row in rows])
    wording_matrix = characters.transform([text for _n, text, _s in wordings])
    items, unmatched = [], 0
    for row in rows:
        scores = (characters.transform([row.text]) @ wording_matrix.T).toarray()[0]
        same_state = [i for i, w in enumerate(wordings) if set(row.recommending_states) & w[2]]
        best = max(same_state, key=lambda i: scores[i]) if same_state else int(np.argmax(scores))
        if scores[best] >= SAME_WORDING:
            items.append((wordings[best][0], row.text))
        else:
            unmatched += 1
    return items, unmatched


def slovenia_items(data_dir):
    """[(number, wording)] of the two OHCHR thematic lists for Slovenia."""
    items = []
    for path in sorted((data_dir / "ohchr-thematic-lists").glob("*.docx")):
        for draft in _drafts("ohchr-docx", path):
            wordings = draft.wordings or [{"text": draft.text}]
            items += [(f"{path.stem}:{draft.number}", w["text"]) for w in wordings if w["text"]]
    return items


def topic_tagger(data_dir):
    """A UPR Info issues tagger trained on every session but Belarus's (session 8)."""
    from rightstrack.intelligence.tagging.classifiers import MultiLabelTagger
    from rightstrack.intelligence.tagging.data import examples_from_files
    from rightstrack.intelligence.tagging.schemes import get_scheme

    sessions = set(range(1, 18)) - {BELARUS_SESSION}
    examples = examples_from_files(
        get_scheme("upr-info-issues"),
        sorted((data_dir / "upr-info").glob("upr-info-sessions-*.csv")),
        sessions=sessions,
    )
    tagger = MultiLabelTagger(use_embeddings=False)
    return tagger.fit([e.text for e in examples], [list(e.labels) for e in examples])


def rates(index, items, *, topics=True):
    """recall@5, hit@5, all@5 and the number of queries, over the wordings with siblings.

    The items are the index's first ids. ``topics``: score as ``pairwise_scores`` does (topic
    vectors in, when the index has them), else as ``nearest`` does (without them).
    """
    import numpy as np

    numbers = np.array([number for number, _text in items])
    queries = [i for i in range(len(items)) if (numbers == numbers[i]).sum() > 1]
    recall, hits, complete, complete_queries = [], 0, 0, 0
    vectors = index.vectors(ids=list(range(len(items))))
    if not topics:
        vectors = vectors._replace(topics=None)
    for start in range(0, len(queries), 256):
        chunk = queries[start : start + 256]
        scores = index.scores(
            vectors.sparse[chunk],
            None if vectors.dense is None else vectors.dense[chunk],
            topics=None if vectors.topics is None else vectors.topics[chunk],
        )
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
    """The score best separating same-number pairs from other pairs (F1), over Belarus.

    Scored as ``nearest`` scores (without topic vectors): the repeat flag is set on its results.
    """
    import numpy as np

    count = len(items)
    numbers = np.array([number for number, _text in items])
    vectors = index.vectors(ids=list(range(count)))
    scores = index.scores(vectors.sparse, vectors.dense)
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


def distractor_texts(data_dir, batch):
    from rightstrack.recommendations.models import Recommendation
    from rightstrack.recommendations.services import import_file

    for path in sorted((data_dir / "upr-info").glob("upr-info-sessions-*.csv")):
        import_file(user=None, format="upr-info", path=path, skip_invalid=True)
    return list(
        Recommendation.objects.exclude(import_batch=batch)
        .exclude(state__code="BLR", session=BELARUS_SESSION)
        .values_list("text", flat=True)
    )


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="rightstrack-similarity-") as temp:
        setup_in(Path(temp))
        from django.conf import settings

        from rightstrack.intelligence import embeddings
        from rightstrack.intelligence.similarity import SimilarityIndex

        data_dir = Path(args.data) if args.data else settings.SHARED_DATA_DIR
        if not (data_dir / WG_REPORT).is_file():
            sys.exit(f"the Belarus Working Group report is not in {data_dir}")
        use_embeddings = embeddings.available() and not args.no_embeddings
        started = time.perf_counter()
        belarus, batch = working_group_items(data_dir)
        upr_info, unmatched = upr_info_belarus_items(data_dir)
        sources = {
            "Belarus WG report A/HRC/15/16": belarus,
            "UPR Info rows, Belarus session 8": upr_info,
            "OHCHR lists, Slovenia 2014 + 2019": slovenia_items(data_dir),
        }
        results = {
            "embeddings": use_embeddings,
            "upr_info_rows_unmatched": unmatched,
            "items": {name: len(items) for name, items in sources.items()},
            "load_seconds": round(time.perf_counter() - started, 1),
        }
        started = time.perf_counter()
        tagger = None if args.no_topics else topic_tagger(data_dir)
        results["topic_tagger_seconds"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        variants = {"words": None} if tagger is None else {"words": None, "words + topics": tagger}
        results["sources"] = {}
        for name, items in sources.items():
            pool = list(enumerate(text for _number, text in items))
            results["sources"][name] = {
                variant: rates(
                    SimilarityIndex.build(
                        pool, use_embeddings=use_embeddings, topic_tagger=topic_model
                    ),
                    items,
                )
                for variant, topic_model in variants.items()
            }
        chosen = SimilarityIndex.build(
            list(enumerate(text for _number, text in belarus)),
            use_embeddings=use_embeddings,
            topic_tagger=tagger,
        )
        results["repeat_threshold_in_code"] = chosen.repeat_threshold
        results["repeat_threshold_tuned"] = tune_threshold(chosen, belarus)
        if args.distractors:
            others = distractor_texts(data_dir, batch)
            pool = list(enumerate([text for _number, text in belarus] + others))
            mixed = SimilarityIndex.build(pool, use_embeddings=use_embeddings, topic_tagger=tagger)
            results["with_distractors"] = {
                "pool": len(pool),
                # As `nearest` ranks across all recommendations: words (and embeddings) only.
                "words": rates(mixed, belarus, topics=False),
            }
            if tagger is not None:
                results["with_distractors"]["words + topics"] = rates(mixed, belarus)
        results["index_seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print_table(results)


def print_table(results):
    print(
        f"sentence embeddings: {'yes' if results['embeddings'] else 'no'}; topic tagger trained "
        f"in {results['topic_tagger_seconds']} s; UPR Info rows matching no wording: "
        f"{results['upr_info_rows_unmatched']}"
    )
    print(f"{'pool':<36}{'scores':<16}{'queries':>8}{'recall@5':>10}{'hit@5':>8}{'all@5':>8}")
    for name, variants in results["sources"].items():
        for variant, row in variants.items():
            print(
                f"{name:<36}{variant:<16}{row['queries']:>8}{row['recall_at_5']:>10.3f}"
                f"{row['hit_at_5']:>8.3f}{row['all_at_5']:>8.3f}"
            )
    if "with_distractors" in results:
        distractors = dict(results["with_distractors"])
        name = f"Belarus + UPR Info, {distractors.pop('pool')} items"
        for variant, row in distractors.items():
            print(
                f"{name:<36}{variant:<16}{row['queries']:>8}{row['recall_at_5']:>10.3f}"
                f"{row['hit_at_5']:>8.3f}{row['all_at_5']:>8.3f}"
            )
    tuned = results["repeat_threshold_tuned"]
    print(
        f"repeat threshold (best F1 {tuned['f1']:.3f} on {tuned['pairs']} Belarus pairs): "
        f"{tuned['threshold']:.2f} — same-number pairs above "
        f"{tuned['same_number_pairs_above']:.3f}, other pairs above {tuned['other_pairs_above']}"
    )
    print(
        f"repeat threshold at 80% precision: {tuned['precision_80_threshold']} — same-number "
        f"pairs above {tuned['same_number_pairs_above_precise']}; in the code: "
        f"{results['repeat_threshold_in_code']}"
    )


if __name__ == "__main__":
    main()
