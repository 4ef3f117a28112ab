"""/api/v1/recommendations: the same search, filters and facets as the page, and clusters."""

from datetime import date, datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from rightstrack.core.api.endpoints import Router
from rightstrack.core.api.inputs import IdList
from rightstrack.core.api.pagination import LimitOffsetInput, Window
from rightstrack.core.api.schemas import TermOut
from rightstrack.core.api_auth import read_auth, write_auth

from . import services
from .filters import parse_filters
from .models import Cluster, Recommendation
from .selectors import (
    cluster_list,
    recommendation_get,
    recommendation_ids,
    recommendation_search,
)

router = Router(tags=["recommendations"])
router.add_router("/import", "rightstrack.recommendations.imports.api.router")

MAX_LIMIT = 200


class TagOut(Schema):
    scheme: str
    code: str
    label: str
    source: str = Field(..., description="imported, human or machine")
    status: str = Field(..., description="accepted, or suggested (internal readers only)")
    confidence: float | None = Field(None, description="For machine suggestions.")


class DocumentOut(Schema):
    symbol: str
    title: str
    kind: str
    date: date | None
    url: str


class RecommendationOut(Schema):
    id: int
    url: str
    state: TermOut
    mechanism: TermOut
    document: DocumentOut | None
    number: str
    annotation_type: str
    date: date | None
    cycle: int | None
    session: int | None
    text: str
    position: str = Field(..., description="supported, supported-in-part, noted, pending or ''")
    position_source: str
    action_category: TermOut | None
    recommending_states: list[TermOut]
    tags: list[TagOut]
    is_published: bool


class WordingOut(Schema):
    text: str
    states: list[str]


class ClusterRefOut(Schema):
    slug: str
    name: str


class RecommendationDetailOut(RecommendationOut):
    wordings: list[WordingOut]
    clusters: list[ClusterRefOut]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    key: str
    label: str
    values: list[FacetValueOut]


class RecommendationFoundOut(RecommendationOut):
    meaning_score: float | None = Field(
        None,
        description="mode=meaning: how close the text is to the query in meaning (cosine; null "
        "when the index does not hold it yet).",
    )
    matches_words: bool | None = Field(
        None, description="mode=meaning: whether the text also contains the query's words."
    )


class RecommendationPageOut(Schema):
    count: int
    limit: int
    offset: int
    mode: str = Field(
        ...,
        description="How the text was searched: words, or meaning (meaning asked for falls back "
        "to words while no semantic index has been built; see mode_note).",
    )
    mode_note: str = ""
    results: list[RecommendationFoundOut]
    facets: list[FacetOut] | None = None


class RecommendationQuery(Schema):
    """The page's filters; each list filter may be repeated (``state=BLR&state=UKR``)."""

    q: str = Field("", description='Full text: words, "a phrase", OR, -word.')
    state: list[str] = Field([], description="State under review (ISO 3166 alpha-3 code).")
    mechanism: list[str] = Field([], description="Mechanism or body code (UPR, CRC, …).")
    cycle: list[str] = Field([], description="UPR cycle number.")
    session: list[str] = Field([], description="UPR session number.")
    position: list[str] = Field(
        [], description="supported, supported-in-part, noted, pending, not-stated."
    )
    theme: list[str] = Field([], description="UHRI theme code.")
    affected: list[str] = Field([], description="Affected persons code.")
    sdg_goal: list[str] = Field([], description="SDG goal (1–17).")
    sdg_target: list[str] = Field([], description="SDG target (16.2).")
    issue: list[str] = Field([], description="UPR Info issue code.")
    action: list[str] = Field([], description="Action category (1–5).")
    recommending: list[str] = Field([], description="Recommending State code.")
    cluster: list[str] = Field([], description="Cluster slug.")
    document: list[str] = Field([], description="Source document symbol.")
    batch: list[str] = Field(
        [], description="Import batch id: the recommendations it created or last changed."
    )
    sort: str = Field("", description="relevance (with q), newest, oldest, state, number.")
    mode: str = Field(
        "",
        description="words (default): q matches words; meaning: q is ranked by meaning as well "
        "as words (natural language, e.g. 'torture in police custody'), the best matches "
        "within the filters.",
    )


class ClusterOut(Schema):
    slug: str
    name: str
    description: str
    state: TermOut | None
    size: int = Field(..., description="Recommendations in it that the caller may see.")
    url: str
    created_at: datetime
    updated_at: datetime


class ClusterDetailOut(ClusterOut):
    recommendations: list[int]


class ClusterIn(Schema):
    name: str
    description: str = ""
    state: str | None = Field(None, description="State code, if the cluster is for one State.")
    recommendations: IdList = []


class ClusterPageOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[ClusterOut]


def _recommendation(recommendation, request):
    document = recommendation.document
    return {
        "id": recommendation.pk,
        "url": request.build_absolute_uri(recommendation.get_absolute_url()),
        "state": recommendation.state,
        "mechanism": recommendation.mechanism,
        "document": None
        if document is None
        else {
            "symbol": document.symbol,
            "title": document.title,
            "kind": document.kind,
            "date": document.date,
            "url": document.url,
        },
        "number": recommendation.number,
        "annotation_type": recommendation.annotation_type,
        "date": recommendation.date,
        "cycle": recommendation.cycle,
        "session": recommendation.session,
        "text": recommendation.text,
        "position": recommendation.position,
        "position_source": recommendation.position_source,
        "action_category": recommendation.action_category,
        "recommending_states": list(recommendation.recommending_states.all()),
        "tags": [
            {
                "scheme": tag.term.scheme,
                "code": tag.term.code,
                "label": tag.term.label,
                "source": tag.source,
                "status": tag.status,
                "confidence": tag.confidence,
            }
            for tag in recommendation.visible_tags
        ],
        "is_published": recommendation.is_published,
    }


def _found(recommendation, request):
    found = _recommendation(recommendation, request)
    match = getattr(recommendation, "meaning_match", None)
    if match is not None:
        score = None if match.score is None else round(match.score, 4)
        found.update(meaning_score=score, matches_words=match.matches_words)
    return found


@router.get("", response=RecommendationPageOut, auth=read_auth)
def list_recommendations(
    request,
    query: Query[RecommendationQuery],
    page: Query[LimitOffsetInput],
    facets: bool = False,
):
    """Search and filter recommendations

    The filters of the /recommendations/ page; `facets=true` adds the facet counts the page
    shows; `mode=meaning` ranks `q` by meaning as well as words. Anonymous callers see published
    recommendations and accepted tags only.
    """
    filters = parse_filters(request.GET)
    window = Window.of(page, max_limit=MAX_LIMIT)
    search = recommendation_search(user=request.user, filters=filters)
    recommendations = search.results
    count = recommendations.count()
    rows = window.rows(recommendations) if window.offset < count else []
    result = {
        **window.as_dict(count),
        "mode": search.mode,
        "mode_note": _(
            "Search by meaning is not available yet (its index is being prepared); the words "
            "were searched."
        )
        if search.meaning_unavailable
        else "",
        "results": [_found(row, request) for row in rows],
    }
    if facets:
        result["facets"] = [
            {
                "key": facet.key,
                "label": facet.label,
                "values": [vars(value) for value in facet.values],
            }
            for facet in search.facets()
        ]
    return result


def _cluster(cluster, request):
    return {
        "slug": cluster.slug,
        "name": cluster.name,
        "description": cluster.description,
        "state": cluster.state,
        "size": cluster.size,
        "url": request.build_absolute_uri(cluster.get_absolute_url()),
        "created_at": cluster.created_at,
        "updated_at": cluster.updated_at,
    }


def _cluster_detail(request, slug):
    try:
        cluster = cluster_list(user=request.user).get(slug=slug)
    except Cluster.DoesNotExist:
        raise Http404("No such cluster.") from None
    members = recommendation_ids(
        user=request.user, filters=parse_filters({"cluster": [slug]})
    ).order_by("id")
    return {
        **_cluster(cluster, request),
        "recommendations": list(members.values_list("id", flat=True)),
    }


@router.get("/clusters", response=ClusterPageOut, auth=read_auth)
def list_clusters(request, page: Query[LimitOffsetInput], state: str = ""):
    """Clusters of recommendations"""
    window = Window.of(page, max_limit=MAX_LIMIT)
    clusters = cluster_list(user=request.user, filters={"state": state})
    return {
        **window.as_dict(clusters.count()),
        "results": [_cluster(cluster, request) for cluster in window.rows(clusters)],
    }


@router.get("/clusters/{slug}", response=ClusterDetailOut, auth=read_auth)
def get_cluster(request, slug: str):
    """One cluster with the ids of its recommendations"""
    return _cluster_detail(request, slug)


@router.post("/clusters", response={201: ClusterDetailOut}, auth=write_auth)
def create_cluster(request, payload: ClusterIn):
    """Create a cluster (administrators and coordinators)"""
    cluster = services.cluster_create(
        actor=request.user,
        name=payload.name,
        description=payload.description,
        state=payload.state,
        recommendations=payload.recommendations,
    )
    return 201, _cluster_detail(request, cluster.slug)


@router.get("/{int:recommendation_id}", response=RecommendationDetailOut, auth=read_auth)
def get_recommendation(request, recommendation_id: int):
    """One recommendation with its tags, wordings and clusters"""
    try:
        recommendation = recommendation_get(user=request.user, pk=recommendation_id)
    except Recommendation.DoesNotExist:
        raise Http404("No such recommendation.") from None
    return {
        **_recommendation(recommendation, request),
        "wordings": [
            {"text": wording.get("text", ""), "states": list(wording.get("states") or [])}
            for wording in recommendation.wordings or ()
            if isinstance(wording, dict)
        ],
        "clusters": [
            {"slug": cluster.slug, "name": cluster.name}
            for cluster in recommendation.clusters.all()
        ],
    }
