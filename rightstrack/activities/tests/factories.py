"""Factories for activities and organizations (and the records they link to).

OrganizationFactory(kind=OrganizationKind.NGO)
ActivityFactory(presence=presence, thematic_pillars=[pillar], partners=[organization])
ActivityFactory(participants_total=None)     # unknown stays unknown
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from rightstrack.activities.models import Activity, ActivityType, Organization, OrganizationKind
from rightstrack.core.tests.factory_helpers import related_set
from rightstrack.plans.models import ActionPlan, Measure
from rightstrack.presences.models import EngagementType, Presence
from rightstrack.presences.tests.factories import TermFactory
from rightstrack.recommendations.models import Recommendation
from rightstrack.taxonomy.models import Scheme


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


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    presence = factory.SubFactory(PresenceFactory)
    type = ActivityType.TRAINING
    title = factory.Sequence(lambda n: f"Activity {n}")
    start_date = datetime.date(2020, 3, 1)
    is_published = True

    partners = related_set("partners")
    donors = related_set("donors")
    target_populations = related_set("target_populations")
    target_affected_persons = related_set("target_affected_persons")
    thematic_pillars = related_set("thematic_pillars")
    recommendations = related_set("recommendations")
    measures = related_set("measures")


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
