"""Reads of presences, always scoped to what the user may see."""

from typing import TypedDict

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from rightstrack.core.roles import can_read_internal
from rightstrack.core.types import AnyUser
from rightstrack.taxonomy.models import Scheme, Term

from .filters import filter_presences, sort_presences
from .models import FeatureStory, Presence


class PresenceFilters(TypedDict, total=False):
    """The directory's filters; missing or empty ones filter nothing."""

    q: str  # part of the title or the country's name, or the country's code
    engagement_type: str
    region: str
    pillar: str  # a thematic pillar code
    population: str  # a spotlight population code
    active_in: int | str | None  # deployed in that year
    sort: str | None  # a key of filters.PRESENCE_SORTS


class PresenceFilterTerms(TypedDict):
    pillars: list[Term]
    populations: list[Term]


class PresenceFacets(TypedDict):
    """{filter value: number of visible presences} for each filter."""

    engagement_type: dict[str, int]
    region: dict[str, int]
    pillar: dict[str, int]
    population: dict[str, int]


def visible_presences(*, user: AnyUser) -> QuerySet[Presence]:
    """Everything for internal readers; only published presences for everyone else."""
    presences = Presence.objects.all()
    if not can_read_internal(user):
        presences = presences.filter(is_published=True)
    return presences


def _terms_in_order() -> QuerySet[Term]:
    return Term.objects.order_by("position", "code")


def presence_list(*, user: AnyUser, filters: PresenceFilters | None = None) -> QuerySet[Presence]:
    """The directory: visible presences, filtered and sorted, with what a listing shows
    prefetched (a fixed number of queries whatever the number of rows)."""
    filters = filters or {}
    presences = filter_presences(visible_presences(user=user), filters)
    presences = presences.select_related("country").prefetch_related(
        Prefetch("thematic_pillars", queryset=_terms_in_order()),
        Prefetch("spotlight_populations", queryset=_terms_in_order()),
    )
    return sort_presences(presences, filters.get("sort"))


def presence_get(*, user: AnyUser, slug: str) -> Presence:
    """One whole profile; 404 when it does not exist or the user may not see it."""
    presence = (
        visible_presences(user=user)
        .select_related("country")
        .prefetch_related(
            Prefetch("thematic_pillars", queryset=_terms_in_order()),
            Prefetch("shifts", queryset=_terms_in_order()),
            Prefetch("spotlight_populations", queryset=_terms_in_order()),
            Prefetch(
                "feature_stories",
                queryset=FeatureStory.objects.order_by("-published_on", "title", "pk"),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if presence is None:
        raise Http404(_("No such field presence."))
    return presence


def feature_story_get(*, user: AnyUser, presence: Presence, story_id: int | str) -> FeatureStory:
    story = FeatureStory.objects.filter(presence=presence, pk=story_id).first()
    if story is None:
        raise Http404(_("No such feature story."))
    return story


def presence_filter_terms() -> PresenceFilterTerms:
    """The terms the directory can be filtered by, in vocabulary order."""
    terms = Term.objects.filter(
        scheme__in=[Scheme.THEMATIC_PILLAR, Scheme.SPOTLIGHT_POPULATION], is_active=True
    ).order_by("position", "code")
    by_scheme: dict[str, list[Term]] = {
        Scheme.THEMATIC_PILLAR: [],
        Scheme.SPOTLIGHT_POPULATION: [],
    }
    for term in terms:
        by_scheme[term.scheme].append(term)
    return {
        "pillars": by_scheme[Scheme.THEMATIC_PILLAR],
        "populations": by_scheme[Scheme.SPOTLIGHT_POPULATION],
    }


def presence_facets(*, user: AnyUser) -> PresenceFacets:
    """How many visible presences have each filter value, to show beside the options."""
    visible = visible_presences(user=user)

    def counts(field: str) -> dict[str, int]:
        rows = visible.order_by().values(field).annotate(total=Count("pk", distinct=True))
        return {row[field]: row["total"] for row in rows if row[field]}

    return {
        "engagement_type": counts("engagement_type"),
        "region": counts("region"),
        "pillar": counts("thematic_pillars__code"),
        "population": counts("spotlight_populations__code"),
    }
