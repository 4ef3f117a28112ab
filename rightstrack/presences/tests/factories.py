import factory

from rightstrack.core.tests.factory_helpers import related_set
from rightstrack.presences.models import EngagementType, FeatureStory, Presence, Region
from rightstrack.taxonomy.models import Scheme, Term


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("scheme", "code")

    scheme = Scheme.THEMATIC_PILLAR
    code = factory.Sequence(lambda n: f"term-{n}")
    label_en = factory.LazyAttribute(lambda term: term.code.replace("-", " ").capitalize())


class PresenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presence
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"presence-{n}")
    title = factory.Sequence(lambda n: f"UN Human Rights presence {n}")
    engagement_type = EngagementType.COUNTRY_OFFICE
    region = Region.EUROPE_CENTRAL_ASIA
    deployment_start_year = 2015
    is_published = True

    thematic_pillars = related_set("thematic_pillars")

    shifts = related_set("shifts")

    spotlight_populations = related_set("spotlight_populations")


class FeatureStoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeatureStory

    presence = factory.SubFactory(PresenceFactory)
    title = factory.Sequence(lambda n: f"Feature story {n}")
