"""One record per recommendation (issue 14): how well imports join the sources of one
recommendation, and what matching costs an import.

    .venv/bin/python bench/dedup.py                 # everything (the speed part takes minutes)
    .venv/bin/python bench/dedup.py --size 50000    # speed at 50,000 recommendations held
    .venv/bin/python bench/dedup.py --skip-speed    # accuracy only
    .venv/bin/python bench/dedup.py --skip-accuracy # speed only

Needs ../shared/data (or --data DIR). Runs on a fresh temporary SQLite database.

1. Gold mapping, built here from the real files at every run (never stored): each UPR Info row
   of Belarus's first review (session 8) → its number in the Working Group report A/HRC/15/16, by
   rules checked by hand (printed with the rows they decide):
   a. the row's State made a wording of that number (UPR Info's short names — "DPR Korea",
      "Laos" — written as the report writes them) and the texts agree (difflib ratio ≥ 0.8,
      a character measure unlike the word sets the matcher uses), ahead of the State's next
      best number by 0.1;
   b. UPR Info split one wording of the State into two rows: the row's words are all in that
      wording (listed by hand after reading the rows rule a leaves over).
   Rows no rule decides are printed and count as having no number.
2. Accuracy: the two files imported in both orders (report first; UPR Info first, so its rows
   are merged when the report comes). Precision: of the rows joined to a numbered
   recommendation, those joined to their gold number. Recall: of the rows with a gold number,
   those joined to it. And the count of Belarus's recommendations against the report's.
3. Slovenia: the two OHCHR thematic lists (sessions 20 and 34) and UPR Info's Slovenia rows.
   UPR Info covers sessions 1–17 only, so no review is in both: the count must be the lists' rows
   plus UPR Info's (nothing wrongly merged across reviews).
4. Speed: a database filled with ``--size`` UHRI-shaped recommendations (bench/import_speed.py's
   generator: UPR Info's rows, cycled, numbered, several per State and session, so every UPR Info
   row meets candidates to compare with), then the four UPR Info files (33,082 rows) imported
   with matching. Floor: the same files read and resolved, nothing written.
"""

import argparse
import difflib
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import setup_in  # noqa: E402

UPR_INFO_6_9 = "upr-info/upr-info-sessions-6-9.csv"
REPORT = "un-documents/A-HRC-15-16-belarus-upr-working-group-report-2010.txt"
THEMATIC_LISTS = (
    "ohchr-thematic-lists/UPR20_Slovenia_ThematicList.docx",
    "ohchr-thematic-lists/UPR34_Slovenia_ThematicList.docx",
)
TARGET_PRECISION, TARGET_RECALL, TARGET_COUNT, TARGET_RATE = 0.98, 0.95, 0.02, 2000
# UPR Info's short names of recommending States, as the report writes them.
REPORT_NAMES = {
    "DPR Korea": "Democratic People’s Republic of Korea",
    "Laos": "Lao People’s Democratic Republic",
    "Iran": "Islamic Republic of Iran",
    "Libya": "Libyan Arab Jamahiriya",
    "Syria": "Syrian Arab Republic",
}
# Rule b, checked by hand: UPR Info split Spain's 98.3 ("Sign and ratify the Convention on the
# Rights of Persons with Disabilities and its Optional Protocol") into two rows.
SPLIT_WORDINGS = {
    (
        "Spain",
        "Sign and ratify the Optional Protocol to the Convention on the Rights of Persons "
        "with Disabilities",
    ): "98.3",
}
TEXT_RATIO, LEAD = 0.8, 0.1


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None, help="the shared data directory")
    parser.add_argument("--size", type=int, default=250_000, help="recommendations held (speed)")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--seed", type=int, default=2024)
    return parser.parse_args()


def _plain(text):
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def gold_mapping(data_dir):
    """{UPR Info source key: number or ""} for Belarus's session-8 rows; the report's drafts."""
    from rightstrack.recommendations.imports import un_wg_report, upr_info
    from rightstrack.recommendations.imports.records import RecordDraft

    report = [d for d in un_wg_report.parse(data_dir / REPORT) if isinstance(d, RecordDraft)]
    rows = [
        d
        for d in upr_info.parse(data_dir / UPR_INFO_6_9)
        if isinstance(d, RecordDraft) and d.state == "Belarus" and d.session == 8
    ]
    gold, rules, undecided = {}, Counter(), []
    for row in rows:
        state = row.recommending_states[0] if row.recommending_states else ""
        named = REPORT_NAMES.get(state, state)
        by_number = {}
        for draft in report:
            for wording in draft.wordings:
                if named in wording["states"]:
                    ratio = difflib.SequenceMatcher(
                        None, _plain(row.text), _plain(wording["text"])
                    ).ratio()
                    by_number[draft.number] = max(ratio, by_number.get(draft.number, 0))
        ranked = sorted(by_number.items(), key=lambda item: -item[1])
        best = ranked[0] if ranked else ("", 0.0)
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best[1] >= TEXT_RATIO and best[1] - runner_up >= LEAD:
            gold[row.source_key] = best[0]
            rules["a. State's wording, same text"] += 1
        elif (state, row.text) in SPLIT_WORDINGS:
            gold[row.source_key] = SPLIT_WORDINGS[(state, row.text)]
            rules["b. one wording split in two rows (by hand)"] += 1
            print(f"  rule b: {state}: {row.text[:70]} → {gold[row.source_key]}")
        else:
            gold[row.source_key] = ""
            undecided.append((state, row.text, ranked[:2]))
    for state, text, ranked in undecided:
        print(f"  undecided: {state}: {text[:70]} (best {ranked})")
    for rule, count in sorted(rules.items()):
        print(f"  {rule}: {count} rows")
    print(f"  no rule: {len(undecided)} rows")
    return gold, report


def _import(format_name, path, state=None):
    from rightstrack.recommendations.services import import_file

    return import_file(user=None, format=format_name, path=path, state=state)


class _RolledBack(Exception):
    pass


def accuracy(data_dir, gold, report_count):
    from django.db import transaction

    from rightstrack.recommendations.models import (
        MatchCandidate,
        Recommendation,
        RecommendationMerge,
        SourceRecord,
    )

    results = []
    for order in (("un-wg-report", "upr-info"), ("upr-info", "un-wg-report")):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                for format_name in order:
                    if format_name == "upr-info":
                        _import("upr-info", data_dir / UPR_INFO_6_9, state="Belarus")
                    else:
                        _import("un-wg-report", data_dir / REPORT)
                seconds = time.perf_counter() - started
                joined = dict(
                    SourceRecord.objects.filter(source_key__in=list(gold)).values_list(
                        "source_key", "recommendation__number"
                    )
                )
                made = {key: number for key, number in joined.items() if number}
                correct = sum(1 for key, number in made.items() if gold[key] == number)
                wanted = sum(1 for number in gold.values() if number)
                results.append(
                    {
                        "order": " then ".join(order),
                        "precision": correct / len(made) if made else 1.0,
                        "recall": correct / wanted if wanted else 1.0,
                        "joined": len(made),
                        "gold": wanted,
                        "count": Recommendation.objects.filter(state__code="BLR").count(),
                        "queued": MatchCandidate.objects.count(),
                        "merges": RecommendationMerge.objects.count(),
                        "seconds": seconds,
                        "wrong": [
                            (key, number, gold[key])
                            for key, number in made.items()
                            if gold[key] != number
                        ],
                    }
                )
                raise _RolledBack
        except _RolledBack:
            pass
    print()
    print(f"Belarus, first review: {len(gold)} UPR Info rows, report {report_count} numbers")
    header = (
        f"{'order':<28} {'precision':>9} {'recall':>7} {'joined':>7} {'gold':>5} "
        f"{'count':>6} {'vs report':>9} {'queued':>6} {'merges':>6} {'seconds':>7}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        off = (result["count"] - report_count) / report_count
        print(
            f"{result['order']:<28} {result['precision']:>9.3f} {result['recall']:>7.3f} "
            f"{result['joined']:>7} {result['gold']:>5} {result['count']:>6} {off:>+9.1%} "
            f"{result['queued']:>6} {result['merges']:>6} {result['seconds']:>7.1f}"
        )
        for key, number, wanted in result["wrong"]:
            print(f"  wrong: {key} joined {number}, gold {wanted or '(none)'}")
    print(
        f"targets: precision ≥ {TARGET_PRECISION}, recall ≥ {TARGET_RECALL}, count within "
        f"{TARGET_COUNT:.0%} of the report's"
    )
    return results


def slovenia(data_dir):
    from django.db import transaction

    from rightstrack.recommendations.imports import upr_info
    from rightstrack.recommendations.imports.records import RecordDraft
    from rightstrack.recommendations.models import Recommendation

    sessions = Counter()
    for name in ("upr-info-sessions-1-5.csv", "upr-info-sessions-6-9.csv"):
        for draft in upr_info.parse(data_dir / "upr-info" / name):
            if isinstance(draft, RecordDraft) and draft.state == "Slovenia":
                sessions[draft.session] += 1
    print()
    print(f"Slovenia: UPR Info rows by session {dict(sessions)}; thematic lists: sessions 20, 34")
    try:
        with transaction.atomic():
            listed = 0
            for relative in THEMATIC_LISTS:
                batch = _import("ohchr-docx", data_dir / relative)
                listed += batch.created + batch.matched
            for name in ("upr-info-sessions-1-5.csv", "upr-info-sessions-6-9.csv"):
                _import("upr-info", data_dir / "upr-info" / name, state="Slovenia")
            count = Recommendation.objects.filter(state__code="SVN").count()
            expected = listed + sum(sessions.values())
            print(
                f"  after importing both: {count} recommendations; thematic lists {listed} + "
                f"UPR Info {sum(sessions.values())} = {expected} (no review in both sources: "
                "UPR Info ends at session 17)"
            )
            raise _RolledBack
    except _RolledBack:
        pass


def resolve_only(data_dir):
    """Seconds to read and resolve the four UPR Info files, nothing written (the floor)."""
    from rightstrack.recommendations.imports import upr_info
    from rightstrack.recommendations.imports.records import RecordDraft
    from rightstrack.recommendations.imports.service import _resolve
    from rightstrack.recommendations.imports.terms import ImportDocuments, ImportTerms

    terms, documents = ImportTerms(), ImportDocuments()
    records, started = 0, time.perf_counter()
    for path in sorted((data_dir / "upr-info").glob("upr-info-sessions-*.csv")):
        for draft in upr_info.parse(path):
            records += 1
            if isinstance(draft, RecordDraft):
                _resolve(
                    draft,
                    terms=terms,
                    documents=documents,
                    default_state=None,
                    state_filter_id=None,
                )
    return records, time.perf_counter() - started


def speed(data_dir, size, seed):
    import import_speed

    from rightstrack.recommendations.models import Recommendation, SourceRecord
    from rightstrack.taxonomy.models import Scheme, Term

    def labels(scheme, pattern="{label}"):
        terms = Term.objects.filter(scheme=scheme).order_by("code")
        return [pattern.format(code=term.code, label=term.label_en) for term in terms]

    vocabulary = (
        labels(Scheme.UHRI_THEME),
        labels(Scheme.AFFECTED_PERSONS),
        labels(Scheme.SDG_TARGET, "{code} - {label}"),
    )
    rows = import_speed.upr_info_rows(data_dir)
    with tempfile.TemporaryDirectory(prefix="rightstrack-dedup-") as directory:
        path = Path(directory) / "held.json"
        import_speed.write_uhri_file(path, size, rows, vocabulary, random.Random(seed))
        started = time.perf_counter()
        _import("uhri-json", path)
        fill = time.perf_counter() - started
    held = Recommendation.objects.count()
    print()
    print(f"Held: {held:,} recommendations, {SourceRecord.objects.count():,} source records")
    timed = []
    for path in sorted((data_dir / "upr-info").glob("upr-info-sessions-*.csv")):
        started = time.perf_counter()
        batch = _import("upr-info", path)
        timed.append((path.name, batch, time.perf_counter() - started))
    records, floor = resolve_only(data_dir)
    header = (
        f"{'import':<44} {'records':>8} {'joined':>7} {'queued':>6} {'seconds':>8} {'rec/s':>7}"
    )
    print(header)
    print("-" * len(header))
    print(
        f"{'UHRI-shaped fill (matching on)':<44} {size:>8,} {'':>7} {'':>6} {fill:>8.1f} "
        f"{size / fill:>7,.0f}"
    )
    total_records = total_seconds = 0
    for name, batch, seconds in timed:
        queued = batch.message.count("await review")
        total_records += batch.total
        total_seconds += seconds
        print(
            f"{name:<44} {batch.total:>8,} {batch.matched:>7,} {queued:>6} {seconds:>8.1f} "
            f"{batch.total / seconds:>7,.0f}"
        )
    rate = total_records / total_seconds
    print(
        f"{'all UPR Info files, matching on':<44} {total_records:>8,} {'':>7} {'':>6} "
        f"{total_seconds:>8.1f} {rate:>7,.0f}"
    )
    print(
        f"{'floor: read and resolve only, no writes':<44} {records:>8,} {'':>7} {'':>6} "
        f"{floor:>8.1f} {records / floor:>7,.0f}"
    )
    print(f"target: ≥ {TARGET_RATE:,} records/s with {held:,} recommendations held")


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="rightstrack-dedup-") as directory:
        setup_in(Path(directory))
        from django.conf import settings

        from rightstrack.taxonomy.services import vocabularies_load

        data_dir = Path(args.data) if args.data else settings.SHARED_DATA_DIR
        if not (data_dir / REPORT).is_file():
            sys.exit(f"no {REPORT} in {data_dir} (give --data DIR)")
        vocabularies_load(data_dir=data_dir)
        if not args.skip_accuracy:
            print("Gold mapping (UPR Info session 8, Belarus → A/HRC/15/16):")
            gold, report = gold_mapping(data_dir)
            accuracy(data_dir, gold, len(report))
            slovenia(data_dir)
        if not args.skip_speed:
            speed(data_dir, args.size, args.seed)


if __name__ == "__main__":
    main()
