"""Factories for vocabulary terms.

TermFactory(scheme=Scheme.STATE, code="BLR", label_en="Belarus", label_ru="Беларусь")
TermFactory(scheme=Scheme.SDG_TARGET, code="16.2", parent=goal)
AgencyFactory(code="moj", name_en="Ministry of Justice")
"""

import factory
from factory.django import DjangoModelFactory

from rightstrack.taxonomy.models import Agency, Scheme, Term
from rightstrack.taxonomy.normalize import search_key


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("scheme", "code")

    scheme = Scheme.STATE
    code = factory.Sequence(lambda n: f"T{n:03d}")
    label_en = factory.Sequence(lambda n: f"Term {n}")
    label_ru = ""
    short_label_en = ""
    short_label_ru = ""
    aliases = factory.LazyFunction(list)
    position = factory.Sequence(lambda n: n)
    search_text = factory.LazyAttribute(
        lambda term: search_key(
            term.code,
            term.label_en,
            term.label_ru,
            term.short_label_en,
            term.short_label_ru,
            *term.aliases,
        )
    )


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name_en = factory.Sequence(lambda n: f"Agency {n}")
    name_ru = ""
    is_active = True
