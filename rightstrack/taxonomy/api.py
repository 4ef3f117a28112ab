"""The vocabularies over the API. Vocabularies are public: no sign-in is needed to read them."""

from django.http import Http404
from ninja import Field, Schema

from rightstrack.core.api.endpoints import Router
from rightstrack.core.api.pagination import paginated
from rightstrack.core.api_auth import read_auth

from .filters import DEFAULT_TERM_SORT, term_filters
from .models import Scheme
from .selectors import scheme_list, term_list

router = Router(tags=["vocabularies"])


class SchemeOut(Schema):
    code: str = Field(..., description='The vocabulary\'s code, e.g. "state" or "sdg-target".')
    label: str
    count: int = Field(..., description="How many terms it has.")


class VocabularyTermOut(Schema):
    code: str
    label_en: str
    label_ru: str
    short_label_en: str
    short_label_ru: str
    description_en: str
    description_ru: str
    parent: str | None = Field(None, description="The parent term's code, if any.")
    aliases: list[str] = Field(..., description="Other spellings met in imported data.")
    position: int
    is_active: bool

    @staticmethod
    def resolve_parent(term):
        return term.parent.code if term.parent_id else None


@router.get("/", response=list[SchemeOut], auth=read_auth)
def list_schemes(request):
    """Vocabularies

    Every vocabulary with its number of terms.
    """
    return [{**scheme, "label": str(scheme["label"])} for scheme in scheme_list()]


@router.get("/{scheme}", response=list[VocabularyTermOut], auth=read_auth)
@paginated
def list_terms(request, scheme: str, q: str = "", parent: str = "", sort: str = DEFAULT_TERM_SORT):
    """Terms of a vocabulary

    The terms of one vocabulary. ``q`` searches codes, labels and other spellings (ignoring case
    and accents); ``parent`` keeps the children of one term (by code); ``sort`` is ``position``
    (the vocabulary's own order), ``code`` or ``label``.
    """
    if scheme not in Scheme.values:
        raise Http404("No such vocabulary.")
    return term_list(scheme=scheme, filters=term_filters({"q": q, "parent": parent, "sort": sort}))
