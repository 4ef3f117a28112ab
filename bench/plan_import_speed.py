"""Action plan template speed: export a plan, preview its import, import it, import it again.

    .venv/bin/python bench/plan_import_speed.py [--sizes 50,500,2000] [--data DIR]

Needs ../shared/data (or --data DIR): a fresh temporary SQLite database gets the vocabularies
and Belarus's real recommendations (the demo's imports). For each size, a plan of that many
measures is made through the services, each measure answering three of those recommendations
(by document symbol and number, or their id when they have none), with two responsible
agencies and two indicators. Then, as a user waits for them: the export into the template
(``write_template``), the preview (a dry run), the import into a new plan, and the same file
imported again into that plan (nothing changes). The floor beside them is openpyxl reading the
file's cells alone (``read_tables``), which no import can beat.
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PROJECT_DIR, setup_in  # noqa: E402


def _timed(run):
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="50,500,2000")
    parser.add_argument("--data", default=str(PROJECT_DIR.parent / "shared" / "data"))
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    temp_dir = Path(tempfile.mkdtemp(prefix="plan-import-bench-"))
    setup_in(temp_dir)

    from django.conf import settings

    settings.SHARED_DATA_DIR = Path(args.data)
    from rightstrack.plans import services
    from rightstrack.plans.imports.reading import read_tables
    from rightstrack.plans.imports.service import plan_import
    from rightstrack.plans.imports.template import write_template
    from rightstrack.plans.models import ActionPlan
    from rightstrack.recommendations.demo import load_demo_recommendations
    from rightstrack.recommendations.models import Recommendation
    from rightstrack.taxonomy.models import Scheme, Term
    from rightstrack.taxonomy.services import agency_create, vocabularies_load

    vocabularies_load(data_dir=Path(args.data))
    load_demo_recommendations()
    state = Term.objects.get(scheme=Scheme.STATE, code="BLR")
    recommendations = list(Recommendation.objects.filter(state=state).values_list("pk", flat=True))
    if not recommendations:
        sys.exit(f"no recommendations of Belarus: is the real data at {args.data}?")
    agencies = [
        agency_create(actor=None, code=f"agency-{n}", name_en=f"Agency {n}", state=state)
        for n in range(10)
    ]
    rng = random.Random(13)
    print(f"{len(recommendations)} recommendations of Belarus; times in seconds")
    header = ("measures", "export", "preview", "import", "again", "floor (read)")
    print(" | ".join(f"{name:>12}" for name in header))
    for size in sizes:
        plan = services.plan_create(actor=None, data={"name": f"Plan of {size}", "state": state})
        for number in range(1, size + 1):
            measure = services.measure_create(
                actor=None,
                plan=plan,
                data={
                    "number": f"{number // 10 + 1}.{number % 10}",
                    "title": f"Measure {number}",
                    "description": "What will be done, and how. " * 5,
                    "responsible_agencies": rng.sample(agencies, 2),
                    "start_date": "2025-01-01",
                    "due_date": "2027-12-31",
                    "budget_amount": "25000",
                    "budget_currency": "USD",
                },
            )
            services.measure_link_recommendations(
                actor=None, measure=measure, recommendation_ids=rng.sample(recommendations, 3)
            )
            for name in ("People trained", "Events held"):
                services.indicator_create(
                    actor=None,
                    measure=measure,
                    data={"name": name, "baseline": "0", "target": "100", "unit": "people"},
                )
        path = temp_dir / f"plan-{size}.xlsx"
        export, _ = _timed(lambda path=path, plan=plan: write_template(path, plan=plan))
        floor, _ = _timed(lambda path=path: read_tables(path))
        preview, result = _timed(
            lambda path=path, size=size: plan_import(
                actor=None, path=path, new_plan_title=f"Copy of {size}", state="BLR", dry_run=True
            )
        )
        assert result.batch.created == size, result.batch.errors[:3]
        imported, result = _timed(
            lambda path=path, size=size: plan_import(
                actor=None, path=path, new_plan_title=f"Copy of {size}", state="BLR"
            )
        )
        copy = result.batch.options["plan"]
        again, result = _timed(
            lambda path=path, copy=copy: plan_import(
                actor=None, path=path, plan=ActionPlan.objects.get(pk=copy)
            )
        )
        assert result.batch.unchanged == size, result.batch.message
        times = (export, preview, imported, again, floor)
        print(" | ".join([f"{size:>12}", *(f"{value:>12.2f}" for value in times)]))


if __name__ == "__main__":
    main()
