"""Factories for recommendations, their documents, tags and clusters.

term("state", "BLR", "Belarus")                 # a Term, created once per scheme and code
RecommendationFactory(text="…", state=term(…))  # state BLR and mechanism UPR by default
RecommendationFactory(tags=[term(...)])         # accepted, imported tags
TagFactory(recommendation=r, term=t, machine_suggestion=True)   # awaiting review
ClusterFactory(name="Torture", recommendations=[r1, r2])
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from rightstrack.recommendations.models import (
    Cluster,
    Document,
    Position,
    Recommendation,
    RecommendationTag,
    TagSource,
    TagStatus,
)
from rightstrack.taxonomy.models import Scheme, Term


def term(scheme, code, label=None, *, parent=None, position=0):
    """The term of ``scheme`` with ``code``, created with ``label`` the first time."""
    found, _created = Term.objects.get_or_create(
        scheme=str(scheme),
        code=code,
        defaults={"label_en": label or code, "parent": parent, "position": position},
    )
    return found


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document
        django_get_or_create = ("symbol",)

    symbol = factory.Sequence(lambda n: f"A/HRC/{n}/16")
    title = factory.LazyAttribute(lambda document: f"Report {document.symbol}")
    date = datetime.date(2010, 6, 15)


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    source_key = factory.Sequence(lambda n: f"test:{n}")
    state = factory.LazyFunction(lambda: term(Scheme.STATE, "BLR", "Belarus"))
    mechanism = factory.LazyFunction(
        lambda: term(Scheme.MECHANISM, "UPR", "Universal Periodic Review")
    )
    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: f"98.{n}")
    date = datetime.date(2010, 6, 15)
    cycle = 1
    session = 8
    text = factory.Sequence(lambda n: f"Recommendation number {n} on general matters.")
    position = Position.SUPPORTED
    is_published = True

    @factory.post_generation
    def recommending_states(self, create, extracted, **kwargs):
        if create and extracted:
            self.recommending_states.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            for tag_term in extracted:
                TagFactory(recommendation=self, term=tag_term)


class TagFactory(DjangoModelFactory):
    class Meta:
        model = RecommendationTag

    recommendation = factory.SubFactory(RecommendationFactory)
    term = factory.LazyFunction(lambda: term(Scheme.UHRI_THEME, "torture", "Torture"))
    source = TagSource.IMPORTED
    status = TagStatus.ACCEPTED

    class Params:
        # A tagger's suggestion awaiting review: TagFactory(..., machine_suggestion=True).
        machine_suggestion = factory.Trait(source=TagSource.MACHINE, status=TagStatus.SUGGESTED)


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.LazyAttribute(lambda cluster: cluster.name.lower().replace(" ", "-"))

    @factory.post_generation
    def recommendations(self, create, extracted, **kwargs):
        if create and extracted:
            self.recommendations.set(extracted)
