"""The plan page of bench/pages.py: a published action plan for the busiest State, and its floor.

The plan page is the measure list of a plan with its dashboard above it (measures by status, by
responsible agency, by theme, budget per agency, coverage of the supported recommendations,
reports overdue). bench/pages.py builds the plan once into its database, through the services a
coordinator's clicks call (``measure_create``, ``measure_link_recommendations``,
``report_create`` / ``report_submit`` / ``report_approve``, ``plan_set_published``), so the
audit trail and the kept statuses are as real use leaves them:

- --plan-measures measures (default 1,000: more than any national plan we know of has);
- each answers 1-4 of the State's supported recommendations (a few hundred of them stay
  uncovered, as in a real plan) and has 1-3 of 25 responsible agencies, a budget in USD or EUR
  (every fifth measure none) and one indicator;
- two measures in three have an approved progress report (a status), one in ten a report
  waiting for review.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

PLAN_NAME = "Bench national action plan"
AGENCIES = 25
ASSESSMENTS = ("not-started", "in-progress", "partially-implemented", "implemented")


def plan_slug():
    """The bench plan's slug, None when it is not built yet."""
    from rightstrack.plans.models import ActionPlan

    plan = ActionPlan.objects.filter(name=PLAN_NAME).first()
    return plan.slug if plan else None


def build_plan(*, state_code, measures, seed):
    """Make the bench plan for ``state_code`` through the services; return its slug."""
    from django.db import transaction

    from rightstrack.accounts.models import User
    from rightstrack.core.roles import Role
    from rightstrack.plans import services
    from rightstrack.progress.services import report_approve, report_create, report_submit
    from rightstrack.recommendations.models import Position, Recommendation
    from rightstrack.taxonomy.models import Agency, Scheme, Term
    from rightstrack.taxonomy.services import agency_create

    rng = random.Random(seed)
    state = Term.objects.get(scheme=Scheme.STATE, code=state_code)
    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMINISTRATOR, "is_staff": True}
    )
    supported = list(
        Recommendation.objects.filter(
            state=state,
            is_published=True,
            position__in=(Position.SUPPORTED, Position.SUPPORTED_IN_PART),
        ).values_list("pk", flat=True)
    )
    # Most of the supported recommendations are answered, some by several measures.
    answered = rng.sample(supported, min(len(supported), measures * 2))
    agencies = [
        Agency.objects.filter(code=f"bench-agency-{n}").first()
        or agency_create(
            actor=None, code=f"bench-agency-{n}", name_en=f"Bench agency {n}", state=state
        )
        for n in range(AGENCIES)
    ]
    today = date.today()
    with transaction.atomic():
        plan = services.plan_create(
            actor=admin, data={"name": PLAN_NAME, "state": state, "status": "adopted"}
        )
        for number in range(1, measures + 1):
            currency = "" if number % 5 == 0 else rng.choice(("USD", "EUR"))
            measure = services.measure_create(
                actor=admin,
                plan=plan,
                data={
                    "number": f"{number // 20 + 1}.{number % 20 + 1}",
                    "title": f"Measure {number}: " + rng.choice(TITLES),
                    "description": "What will be done, by whom and how it is measured. " * 4,
                    "responsible_agencies": rng.sample(agencies, rng.randint(1, 3)),
                    "start_date": today - timedelta(days=365),
                    "due_date": today + timedelta(days=rng.randint(-60, 900)),
                    "budget_amount": Decimal(rng.randrange(5_000, 500_000, 500))
                    if currency
                    else None,
                    "budget_currency": currency,
                },
            )
            services.indicator_create(
                actor=admin,
                measure=measure,
                data={
                    "name": "People reached",
                    "baseline": "0",
                    "target": "1000",
                    "unit": "people",
                    "reporting_frequency": "quarterly",
                    "first_due_date": today - timedelta(days=rng.randint(-60, 120)),
                },
            )
            if answered:
                services.measure_link_recommendations(
                    actor=admin,
                    measure=measure,
                    recommendation_ids=rng.sample(answered, min(len(answered), rng.randint(1, 4))),
                )
            roll = rng.random()
            if roll < 0.77:
                period_end = today - timedelta(days=rng.randint(10, 200))
                report = report_create(
                    actor=admin,
                    measure=measure,
                    data={
                        "period_start": period_end - timedelta(days=180),
                        "period_end": period_end,
                        "status_assessment": rng.choice(ASSESSMENTS),
                        "narrative": "What was done in the period, with its evidence.",
                    },
                )
                report_submit(actor=admin, report=report)
                if roll < 0.67:
                    report_approve(actor=admin, report=report)
        services.plan_set_published(actor=admin, plan=plan, published=True)
    return plan.slug


TITLES = (
    "Review the criminal code's provisions on torture",
    "Train judges and prosecutors on the rights of the child",
    "Open shelters for victims of domestic violence",
    "Publish the statistics of complaints against the police",
    "Adopt a law on equality and non-discrimination",
    "Ensure access to education for children with disabilities",
    "Set up the national human rights institution",
    "Run an awareness campaign on trafficking in persons",
)


class PlanFloor:
    """Hand-written SQL for what the plan page shows: the first page of measures with their
    agencies, the filters' choices and the dashboard's figures, from the base tables."""

    def __init__(self, floor, slug):
        self.run = floor.run
        self.true = floor.true
        self.slug = slug

    def _plan(self):
        return self.run("SELECT id, state_id FROM plans_actionplan WHERE slug = %s", [self.slug])[0]

    def _measures(self, plan_id, *, linked, size):
        """The count and the first page of the plan's measures with their agencies (and, as the
        API gives them, their indicators and recommendations)."""
        self.run("SELECT count(*) FROM plans_measure WHERE plan_id = %s", [plan_id])
        ids = [
            row[0]
            for row in self.run(
                "SELECT id, number, title, description, status, due_date, budget_amount, "
                "budget_currency FROM plans_measure WHERE plan_id = %s ORDER BY number, id "
                "LIMIT %s",
                [plan_id, size],
            )
        ]
        marks = ", ".join(["%s"] * len(ids))
        self.run(
            "SELECT ma.measure_id, a.code, a.name_en FROM plans_measure_responsible_agencies ma "
            f"JOIN taxonomy_agency a ON a.id = ma.agency_id WHERE ma.measure_id IN ({marks})",  # noqa: S608
            ids,
        )
        if linked:
            self.run(
                f"SELECT * FROM plans_indicator WHERE measure_id IN ({marks})",  # noqa: S608
                ids,
            )
            self.run(
                "SELECT mr.measure_id, mr.recommendation_id FROM plans_measure_recommendations mr "
                "JOIN recommendations_recommendation r ON r.id = mr.recommendation_id "
                f"WHERE r.is_published = {self.true} AND mr.measure_id IN ({marks})",  # noqa: S608
                ids,
            )

    def api(self):
        """GET /api/v1/measures/?plan=…: a page (50) of the plan's measures."""
        plan_id, _state_id = self._plan()
        self._measures(plan_id, linked=True, size=50)

    def page(self):
        """The plan page: its first page of measures, the filters' choices (agencies, themes),
        the dashboard."""
        plan_id, state_id = self._plan()
        measures = "SELECT id FROM plans_measure WHERE plan_id = %s"
        self._measures(plan_id, linked=False, size=25)
        self.run(
            "SELECT DISTINCT a.id, a.name_en FROM taxonomy_agency a "  # noqa: S608
            "JOIN plans_measure_responsible_agencies ma ON ma.agency_id = a.id "
            f"WHERE ma.measure_id IN ({measures})",
            [plan_id],
        )
        self.run(
            "SELECT DISTINCT t.term_id FROM recommendations_recommendationtag t "  # noqa: S608
            "JOIN taxonomy_term term ON term.id = t.term_id "
            "WHERE t.status = 'accepted' AND term.scheme IN ('uhri-theme', 'upr-info-issue') "
            "AND t.recommendation_id IN (SELECT mr.recommendation_id FROM "
            f"plans_measure_recommendations mr WHERE mr.measure_id IN ({measures}))",
            [plan_id],
        )
        # The dashboard: by status, by agency, by theme, budget per agency and currency.
        self.run(
            "SELECT status, count(*) FROM plans_measure WHERE plan_id = %s GROUP BY status",
            [plan_id],
        )
        self.run(
            "SELECT a.name_en, count(DISTINCT ma.measure_id) FROM "  # noqa: S608
            "plans_measure_responsible_agencies ma JOIN taxonomy_agency a ON a.id = ma.agency_id "
            f"WHERE ma.measure_id IN ({measures}) GROUP BY a.name_en",
            [plan_id],
        )
        self.run(
            "SELECT count(*) FROM plans_measure m WHERE m.plan_id = %s AND NOT EXISTS "
            "(SELECT 1 FROM plans_measure_responsible_agencies ma WHERE ma.measure_id = m.id)",
            [plan_id],
        )
        self.run(
            "SELECT t.term_id, count(DISTINCT mr.measure_id) FROM plans_measure_recommendations mr "  # noqa: S608
            "JOIN recommendations_recommendationtag t ON t.recommendation_id = "
            "mr.recommendation_id JOIN taxonomy_term term ON term.id = t.term_id "
            "WHERE t.status = 'accepted' AND term.scheme IN ('uhri-theme', 'upr-info-issue') "
            f"AND mr.measure_id IN ({measures}) GROUP BY t.term_id",
            [plan_id],
        )
        self.run(
            "SELECT a.name_en, m.budget_currency, sum(m.budget_amount) FROM plans_measure m "
            "JOIN plans_measure_responsible_agencies ma ON ma.measure_id = m.id "
            "JOIN taxonomy_agency a ON a.id = ma.agency_id "
            "WHERE m.plan_id = %s AND m.budget_amount IS NOT NULL GROUP BY 1, 2",
            [plan_id],
        )
        supported = (
            f"SELECT r.id FROM recommendations_recommendation r WHERE r.state_id = %s "
            f"AND r.is_published = {self.true} AND r.position IN ('supported', 'supported-in-part')"
        )
        self.run(f"SELECT count(*) FROM ({supported}) s", [state_id])  # noqa: S608
        self.run(
            "SELECT count(DISTINCT mr.recommendation_id) FROM plans_measure_recommendations mr "
            "JOIN plans_measure m ON m.id = mr.measure_id "
            "JOIN recommendations_recommendation r ON r.id = mr.recommendation_id "
            f"WHERE m.plan_id = %s AND r.state_id = %s AND r.is_published = {self.true} "
            "AND r.position IN ('supported', 'supported-in-part')",
            [plan_id, state_id],
        )
