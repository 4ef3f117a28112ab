"""Factories for plans, measures and indicators (and the terms and recommendations they need).

PlanFactory()                               # a published plan of Belarus
MeasureFactory(plan=plan, agencies=[agency])
RecommendationFactory(state=plan.state, number="98.16", position="supported")
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from rightstrack.core.tests.factory_helpers import related_set
from rightstrack.plans.models import ActionPlan, Indicator, Measure, PlanStatus, ReportingFrequency
from rightstrack.recommendations.models import Position, Recommendation
from rightstrack.taxonomy.models import Scheme, Term


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("scheme", "code")

    scheme = Scheme.STATE
    code = factory.Sequence(lambda n: f"T{n}")
    label_en = factory.LazyAttribute(lambda term: term.code)


def belarus():
    return TermFactory(scheme=Scheme.STATE, code="BLR", label_en="Belarus", label_ru="Беларусь")


def upr():
    return TermFactory(scheme=Scheme.MECHANISM, code="UPR", label_en="Universal Periodic Review")


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    source_key = factory.Sequence(lambda n: f"test:{n}")
    state = factory.LazyFunction(belarus)
    mechanism = factory.LazyFunction(upr)
    number = factory.Sequence(lambda n: f"98.{n}")
    text = factory.Sequence(lambda n: f"Recommendation text {n}")
    position = Position.SUPPORTED
    is_published = True


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = ActionPlan

    name = factory.Sequence(lambda n: f"Human Rights Plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    state = factory.LazyFunction(belarus)
    period_start_year = 2021
    period_end_year = 2025
    status = PlanStatus.ADOPTED
    adoption_date = datetime.date(2021, 3, 1)
    is_published = True


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"Measure {n}")
    start_date = datetime.date(2021, 1, 1)
    due_date = datetime.date(2025, 12, 31)

    agencies = related_set("responsible_agencies")
    recommendations = related_set("recommendations")


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    measure = factory.SubFactory(MeasureFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    baseline = "0"
    target = "10"
    unit = "trainings"
    reporting_frequency = ReportingFrequency.QUARTERLY
    first_due_date = datetime.date(2024, 3, 31)
