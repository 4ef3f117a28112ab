"""The kinds of column the datasets share, each written one way: the row's id and last change,
the code of a vocabulary term, a choice, a list of linked codes or ids, the row's page."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rightstrack.recommendations.models import RecommendationTag, TagStatus

from .schema import (
    BOOLEAN,
    CODE,
    CODE_LIST,
    DATETIME,
    DECIMAL,
    INTEGER,
    INTEGER_LIST,
    TEXT,
    URL,
    Column,
    Link,
    Many,
)

ID = Column("id", INTEGER, _("Identifier of the row, stable across downloads."))
UPDATED = Column("updated_at", DATETIME, _("When the row last changed."))
IS_EXAMPLE = Column("is_example", BOOLEAN, _("Invented for demonstration, not real data."))
TITLE = Column("title", TEXT, _("Title."))
DESCRIPTION = Column("description", TEXT, _("Description."))
MEASURE_ID = Column("measure_id", INTEGER, _("The measure (id in measures)."))
RECOMMENDATION_ID = Column(
    "recommendation_id", INTEGER, _("The recommendation (id in recommendations).")
)


def plan_slug(*, via=""):
    """The plan the row belongs to, by its slug (``via`` the relation leading to the plan)."""
    return Column("plan", CODE, _("The plan (slug in action-plans)."), source=f"{via}plan__slug")


def money(prefix, amount_description, currency_description):
    """An amount and its currency: columns ``<prefix>_amount`` and ``<prefix>_currency``."""
    return (
        Column(f"{prefix}_amount", DECIMAL, amount_description),
        Column(f"{prefix}_currency", CODE, currency_description),
    )


def in_english_and_russian(name, english_description, russian_description):
    """A text kept in both languages: columns ``<name>_en`` and ``<name>_ru``."""
    return (
        Column(f"{name}_en", TEXT, english_description, translatable=True),
        Column(f"{name}_ru", TEXT, russian_description, translatable=True),
    )


def code_of(name, description, *, via=""):
    """The code of the term (or agency) the row refers to by ``via`` (by default ``name``)."""
    return Column(name, CODE, description, source=f"{via or name}__code")


STATE = code_of("state", _("The State (code; see terms)."))
COUNTRY = code_of("country", _("Country (code; see terms)."))


def choice(name, enum, description, *, source=""):
    """A value of a choice; the dictionary lists the values with their meaning."""
    return Column(name, CODE, description, source=source, choices=tuple(enum.choices))


def page(url_name, *, by_slug=False):
    """The address of the row's page on this site."""
    link = Link(url_name, "slug", "slug") if by_slug else Link(url_name)
    return Column("url", URL, _("Its page on this site."), link=link)


def codes(name, relation, description):
    """The codes of the terms (or agencies) a many-to-many ``relation`` links the row to, in
    code order."""
    field = relation.field
    value = f"{field.m2m_reverse_field_name()}__code"
    many = Many(relation.through, field.m2m_column_name(), value, order=(value,))
    return Column(name, CODE_LIST, description, many=many)


def thematic_pillars(relation):
    """The thematic pillars of a presence or of an activity (codes)."""
    return codes("thematic_pillars", relation, _("Thematic pillars (codes; see terms)."))


def ids(name, relation, description, *, public=None):
    """The ids of the records a many-to-many ``relation`` links the row to, in id order;
    ``public`` (a function returning a Q) keeps only those the public may see."""
    field = relation.field
    value = field.m2m_reverse_name()
    many = Many(relation.through, field.m2m_column_name(), value, public, (value,))
    return Column(name, INTEGER_LIST, description, many=many)


def _accepted_tags():
    return Q(status=TagStatus.ACCEPTED)


def tag_codes(name, scheme, description):
    """The codes of a recommendation's accepted tags of one vocabulary. The tags of all
    vocabularies are read in one query and split by vocabulary."""
    many = Many(
        RecommendationTag,
        "recommendation_id",
        "term__code",
        _accepted_tags,
        ("term__position", "term__code"),
        split_by="term__scheme",
        split_value=scheme,
    )
    return Column(name, CODE_LIST, description, many=many)
