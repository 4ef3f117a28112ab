"""Demo action plans: the two plans the seed page names, with EXAMPLE measures.

The seed names the Interagency Human Rights Plan of Belarus and the second National Human Rights
Action Plan (to be adopted in 2021) but lists no measure. Every measure, indicator and
budget made here is therefore an invented example: each is flagged
``is_example`` and shown with an "Example" badge and notice. The plans themselves are real, so
only the facts the seed gives are filled in (no period, no adoption date).

Measures are linked to Belarus's real recommendations from its first UPR (A/HRC/15/16, and the
same recommendations as UPR Info recorded them) when the recommendations demo has imported them;
without them the measures simply have no links.

The example progress reports and assessment of these measures are made by the progress app's
demo (progress/demo.py), which builds on this one.

Everything goes through the services (so it is validated and audited) and loading twice changes
nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rightstrack.accounts.models import User
from rightstrack.core.roles import Role
from rightstrack.plans.schedule import add_months
from rightstrack.recommendations.models import Recommendation
from rightstrack.taxonomy.models import Agency, Scheme, Term
from rightstrack.taxonomy.services import agency_create

from . import services
from .models import ActionPlan, Measure, PlanStatus

SOURCE_DOCUMENT = "A/HRC/15/16"
DEMO_AGENCIES = (
    (
        "moj-by",
        "Ministry of Justice of the Republic of Belarus (demo)",
        "Министерство юстиции Республики Беларусь (демо)",
    ),
    (
        "mvd-by",
        "Ministry of Internal Affairs of the Republic of Belarus (demo)",
        "Министерство внутренних дел Республики Беларусь (демо)",
    ),
    (
        "mintrud-by",
        "Ministry of Labour and Social Protection of the Republic of Belarus (demo)",
        "Министерство труда и социальной защиты Республики Беларусь (демо)",
    ),
)

PLANS = (
    {
        "slug": "interagency-human-rights-plan",
        "name": "Interagency Human Rights Plan",
        "status": PlanStatus.ADOPTED,
        "description": (
            "The Government of Belarus's Interagency Human Rights Plan includes measures to "
            "implement recommendations made to Belarus during the Universal Periodic Review and "
            "by the Treaty Bodies. The UN Senior Human Rights Adviser supported its "
            "implementation (OHCHR, UN Human Rights in Belarus).\n\n"
            "The measures shown here are EXAMPLES made up for this demonstration: the source "
            "lists none."
        ),
        "measures": (
            {
                "number": "1",
                "title": "Study the establishment of a national human rights institution in line "
                "with the Paris Principles",
                "agencies": ("mfa-by", "moj-by"),
                "budget": ("25000", "USD", "UNDG Human Rights Mainstreaming Fund (example)"),
                "recommendations": ("97.4",),
                "indicator": ("Feasibility study presented to the Government", "0", "1", "study"),
                "frequency": "semi-annual",
                "report": ("approved", "in-progress"),
            },
            {
                "number": "2",
                "title": "Anti-discrimination training for legal professionals, authorities and "
                "businesses",
                "agencies": ("mfa-by", "moj-by"),
                "budget": ("40000", "USD", "State budget and UN partners (example)"),
                "recommendations": ("97.21", "97.22"),
                "indicator": ("People trained", "0", "600", "people"),
                "frequency": "quarterly",
                "report": ("submitted", "partially-implemented"),
            },
            {
                "number": "3",
                "title": "Protection and assistance for women victims of domestic violence",
                "agencies": ("mvd-by", "mintrud-by"),
                "budget": ("120000", "BYN", "State budget (example)"),
                "recommendations": ("97.24",),
                "indicator": ("Crisis rooms open", "60", "120", "rooms"),
                "frequency": "annual",
            },
            {
                "number": "4",
                "title": "Public information and expert dialogue on a moratorium on the death "
                "penalty",
                "agencies": ("mfa-by",),
                "recommendations": ("98.16", "98.17"),
                "indicator": ("Round tables held", "0", "4", "events"),
                "frequency": "annual",
            },
        ),
    },
    {
        "slug": "second-national-human-rights-action-plan",
        "name": "Second National Human Rights Action Plan of Belarus",
        "status": PlanStatus.DRAFT,
        "description": (
            "The second National Human Rights Action Plan of Belarus, to be adopted in 2021; "
            "the UN Senior Human Rights Adviser was to support its elaboration (OHCHR, UN Human "
            "Rights in Belarus).\n\n"
            "The measures shown here are EXAMPLES made up for this demonstration: the source "
            "lists none."
        ),
        "measures": (
            {
                "number": "1.1",
                "title": "Review legal aid legislation and support free legal aid for "
                "vulnerable groups",
                "agencies": ("moj-by",),
                "budget": ("60000", "USD", "Donor funding (example)"),
                "recommendations": ("98.8",),
                "indicator": ("Legal aid consultations given", "0", "5000", "consultations"),
                "frequency": "quarterly",
            },
            {
                "number": "1.2",
                "title": "Strengthen independent oversight of places of detention",
                "agencies": ("mvd-by", "mfa-by"),
                "recommendations": ("97.28", "98.22"),
                "indicator": ("Monitoring visits to places of detention", "0", "24", "visits"),
                "frequency": "quarterly",
            },
            {
                "number": "1.3",
                "title": "Implement the rights of persons with disabilities",
                "agencies": ("mintrud-by",),
                "budget": ("80000", "BYN", "State budget (example)"),
                "recommendations": ("98.2", "98.3"),
                "indicator": ("Accessible public buildings", "30", "70", "%"),
                "frequency": "annual",
            },
        ),
    },
)


class _Reporter:
    def __init__(self, stdout):
        self.stdout = stdout

    def __call__(self, line):
        if self.stdout is not None:
            self.stdout.write(line)


def demo_user(username, role):
    return User.objects.filter(username=username, role=role, is_active=True).first()


def demo_administrator():
    return (
        demo_user("demo-admin", Role.ADMINISTRATOR)
        or User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).order_by("pk").first()
    )


def _agencies():
    for code, name_en, name_ru in DEMO_AGENCIES:
        if not Agency.objects.filter(code=code).exists():
            agency_create(actor=None, code=code, name_en=name_en, name_ru=name_ru, state="BLR")
    return {agency.code: agency for agency in Agency.objects.all()}


def _find_recommendations(numbers):
    """The demo's recommendations of A/HRC/15/16 by paragraph number; the same recommendations
    as UPR Info recorded them are their sources, not recommendations of their own."""
    return list(
        Recommendation.objects.filter(
            state__code="BLR", document__symbol=SOURCE_DOCUMENT, number__in=numbers
        ).values_list("pk", flat=True)
    )


def _measure(*, actor, plan, spec, agencies, today, find, say):
    measure = Measure.objects.filter(plan=plan, number=spec["number"]).first()
    if measure is None:
        amount, currency, source = spec.get("budget", (None, "", ""))
        measure = services.measure_create(
            actor=actor,
            plan=plan,
            is_example=True,
            data={
                "number": spec["number"],
                "title": spec["title"],
                "description": "Example measure, made up for the demonstration; not a real "
                "measure of the Government of Belarus.",
                "responsible_agencies": [
                    agencies[code] for code in spec["agencies"] if code in agencies
                ],
                "partners": "UN Human Rights (OHCHR), UN Country Team (example)",
                "start_date": add_months(today, -12),
                "due_date": add_months(today, 36),
                "budget_amount": Decimal(amount) if amount else None,
                "budget_currency": currency,
                "budget_source": source,
            },
        )
        name, baseline, target, unit = spec["indicator"]
        services.indicator_create(
            actor=actor,
            measure=measure,
            data={
                "name": name,
                "baseline": baseline,
                "target": target,
                "unit": unit,
                "reporting_frequency": spec["frequency"],
                # One report already late and one coming up, so reminders have work to show.
                "first_due_date": today - timedelta(days=45),
            },
        )
        say(f"  example measure {plan.slug} {measure.number}: created")
    wanted = find(spec.get("recommendations", ()))
    if wanted:
        services.measure_link_recommendations(
            actor=actor, measure=measure, recommendation_ids=wanted
        )
    return measure


@transaction.atomic
def load_demo_plans(*, actor=None, stdout=None):
    """Create (once) the two demo plans with their example measures; returns the plans."""
    say = _Reporter(stdout)
    actor = actor or demo_administrator()
    state = Term.objects.filter(scheme=Scheme.STATE, code="BLR").first()
    if actor is None or state is None:
        say("Action plans: needs an administrator and the state Belarus; none loaded.")
        return []
    today = timezone.localdate()
    agencies = _agencies()
    find = _find_recommendations
    plans = []
    for spec in PLANS:
        plan = ActionPlan.objects.filter(slug=spec["slug"]).first()
        outcome = "already there"
        if plan is None:
            plan = services.plan_create(
                actor=actor,
                data={
                    "name": spec["name"],
                    "slug": spec["slug"],
                    "state": state,
                    "status": spec["status"],
                    "description": spec["description"],
                },
            )
            plan = services.plan_set_published(actor=actor, plan=plan, published=True)
            outcome = "created"
        say(f"Action plan {plan.slug}: {outcome} (/plans/{plan.slug}/)")
        for measure_spec in spec["measures"]:
            _measure(
                actor=actor,
                plan=plan,
                spec=measure_spec,
                agencies=agencies,
                today=today,
                find=find,
                say=say,
            )
        plans.append(plan)
    linked = Measure.recommendations.through.objects.filter(measure__plan__in=plans).count()
    say(f"Action plans: {linked} links from example measures to real recommendations.")
    return plans
