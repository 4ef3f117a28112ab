"""Factories for activities and organizations (and the records they link to).

OrganizationFactory(kind=OrganizationKind.NGO)
ActivityFactory(presence=presence, thematic_pillars=[pillar], partners=[organization])
ActivityFactory(participants_total=None)     # unknown stays unknown
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from rightstrack.activities.models import Activity, ActivityType, Organization, OrganizationKind
from rightstrack.plans.models import ActionPlan, Measure
from rightstrack.presences.models import EngagementType, Presence
from rightstrack.recommendations.models import Recommendation
from rightstrack.taxonomy.models import Scheme, Term


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("scheme", "code")

    scheme = Scheme.THEMATIC_PILLAR
    code = factory.Sequence(lambda n: f"term-{n}")
    label_en = factory.LazyAttribute(lambda term: term.code.replace("-", " ").capitalize())


class PresenceFactory(DjangoModelFactory):
    class Meta:
        model = Presence

    slug = factory.Sequence(lambda n: f"presence-{n}")
    title = factory.Sequence(lambda n: f"UN Human Rights presence {n}")
    engagement_type = EngagementType.HUMAN_RIGHTS_ADVISER
    budget_amount = None
    budget_currency = "USD"
    is_published = True


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = OrganizationKind.NGO


def _many(name):
    def setter(self, create, extracted, **kwargs):
        if create and extracted:
            getattr(self, name).set(extracted)

    setter.__name__ = name
    return factory.PostGeneration(setter)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    presence = factory.SubFactory(PresenceFactory)
    type = ActivityType.TRAINING
    title = factory.Sequence(lambda n: f"Activity {n}")
    start_date = datetime.date(2020, 3, 1)
    is_published = True

    partners = _many("partners")
    donors = _many("donors")
    target_populations = _many("target_populations")
    target_affected_persons = _many("target_affected_persons")
    thematic_pillars = _many("thematic_pillars")
    recommendations = _many("recommendations")
    measures = _many("measures")


def state(code="BLR", label="Belarus"):
    return TermFactory(scheme=Scheme.STATE, code=code, label_en=label)


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    source_key = factory.Sequence(lambda n: f"activities-test:{n}")
    state = factory.LazyFunction(state)
    mechanism = factory.LazyFunction(
        lambda: TermFactory(scheme=Scheme.MECHANISM, code="UPR", label_en="UPR")
    )
    number = factory.Sequence(lambda n: f"98.{n}")
    text = factory.Sequence(lambda n: f"Recommendation text {n}")
    is_published = True


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = ActionPlan

    name = factory.Sequence(lambda n: f"Interagency Plan {n}")
    slug = factory.Sequence(lambda n: f"interagency-plan-{n}")
    state = factory.LazyFunction(state)
    is_published = True


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"Measure {n}")
