"""/api/v1/recommendations: the same search, filters and facets as the page, and clusters."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from rightstrack.core.api.endpoints import Router
from rightstrack.core.api.inputs import IdList
from rightstrack.core.api.pagination import LimitOffsetInput, Window
from rightstrack.core.api.schemas import TermOut
from rightstrack.core.api_auth import read_auth, write_auth
from rightstrack.core.web import get_or_404

from . import services
from .filters import parse_filters
from .selectors import (
    cluster_list,
    match_candidate_get,
    match_candidates,
    merge_get,
    recommendation_get,
    recommendation_ids,
    recommendation_search,
    recommendation_sources,
    source_get,
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
    sources_disagree: bool = Field(
        ..., description="Whether its sources give different definite positions or dates."
    )


class WordingOut(Schema):
    text: str
    states: list[str]


class ClusterRefOut(Schema):
    slug: str
    name: str


class SourceOut(Schema):
    source_key: str
    kind: str = Field(..., description="un-document, thematic-list or database-export.")
    document: str | None = Field(None, description="The document symbol it gives.")
    number: str
    text: str
    position: str
    position_source: str
    date: date | None
    recommending_states: list[TermOut]
    stands: bool = Field(..., description="Whether it is the source that stands (precedence).")
    position_stands: bool = Field(..., description="Whether its position is the one that stands.")


class RecommendationDetailOut(RecommendationOut):
    wordings: list[WordingOut]
    clusters: list[ClusterRefOut]
    sources: list[SourceOut]


class MergeIn(Schema):
    merged: int = Field(..., description="The id of the recommendation to merge into this one.")


class DecisionIn(Schema):
    same: bool = Field(..., description="true: the same recommendation (merge); false: not.")


class CandidateOut(Schema):
    id: int
    score: float
    source_key: str
    source_text: str
    recommendation: int = Field(..., description="The recommendation the source now is.")
    candidate: int = Field(..., description="The recommendation it may be the same as.")
    candidate_text: str


class CandidatePageOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[CandidateOut]


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
    sources: list[str] = Field(
        [], description="disagree: only recommendations whose sources disagree."
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
        "sources_disagree": bool(recommendation.sources_disagree),
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
    cluster = get_or_404(cluster_list(user=request.user).get, "No such cluster.", slug=slug)
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
    recommendation = get_or_404(
        recommendation_get, "No such recommendation.", user=request.user, pk=recommendation_id
    )
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
        "sources": [
            {
                "source_key": view.source.source_key,
                "kind": view.source.kind,
                "document": view.source.document.symbol if view.source.document else None,
                "number": view.source.number,
                "text": view.source.text,
                "position": view.source.position,
                "position_source": view.source.position_source,
                "date": view.source.date,
                "recommending_states": view.recommending_states,
                "stands": view.stands,
                "position_stands": view.position_stands,
            }
            for view in recommendation_sources(user=request.user, recommendation=recommendation)
        ],
    }


def _detail_of(request, pk):
    return get_recommendation(request, pk)


@router.post("/{int:recommendation_id}/merge", response=RecommendationDetailOut, auth=write_auth)
def merge_recommendation(request, recommendation_id: int, payload: MergeIn):
    """Merge another recommendation into this one (coordinators and administrators)

    Its sources and everything linked to it (measures, clusters, assessments, activities,
    tags) move to this one; it is deleted. Audited; `POST /merges/{id}/undo` reverses it.
    """
    services.require_merger(request.user)
    missing = "No such recommendation."
    target = get_or_404(recommendation_get, missing, user=request.user, pk=recommendation_id)
    merged = get_or_404(recommendation_get, missing, user=request.user, pk=payload.merged)
    services.recommendations_merge(actor=request.user, target=target, merged=merged)
    return _detail_of(request, target.pk)


@router.post("/merges/{int:merge_id}/undo", response=RecommendationDetailOut, auth=write_auth)
def undo_merge(request, merge_id: int):
    """Undo a merge: the merged recommendation comes back, with what moved (coordinators)"""
    services.require_merger(request.user)
    merge = get_or_404(merge_get, "No such merge.", user=request.user, pk=merge_id)
    restored = services.merge_undo(actor=request.user, merge=merge)
    return _detail_of(request, restored.pk)


@router.post("/sources/{int:source_id}/split", response=RecommendationDetailOut, auth=write_auth)
def split_source(request, source_id: int):
    """Make a source record a recommendation of its own (coordinators)"""
    services.require_merger(request.user)
    source = get_or_404(source_get, "No such source record.", user=request.user, pk=source_id)
    new = services.source_split(actor=request.user, source=source)
    return _detail_of(request, new.pk)


@router.get("/duplicates", response=CandidatePageOut, auth=read_auth)
def list_duplicates(request, page: Query[LimitOffsetInput]):
    """The possible duplicates awaiting review, likeliest first (coordinators)"""
    services.require_merger(request.user)
    window = Window.of(page, max_limit=MAX_LIMIT)
    candidates = match_candidates(user=request.user)
    count = candidates.count()
    rows = window.rows(candidates) if window.offset < count else []
    return {
        **window.as_dict(count),
        "results": [
            {
                "id": candidate.pk,
                "score": candidate.score,
                "source_key": candidate.source.source_key,
                "source_text": candidate.source.text,
                "recommendation": candidate.source.recommendation_id,
                "candidate": candidate.candidate_id,
                "candidate_text": candidate.candidate.text,
            }
            for candidate in rows
        ],
    }


@router.post("/duplicates/{int:candidate_id}", response={204: None}, auth=write_auth)
def decide_duplicate(request, candidate_id: int, payload: DecisionIn):
    """Decide a possible duplicate: the same recommendation (merged) or not (coordinators)"""
    services.require_merger(request.user)
    candidate = get_or_404(
        match_candidate_get, "No such possible duplicate.", user=request.user, pk=candidate_id
    )
    services.match_decide(actor=request.user, candidate=candidate, same=payload.same)
    return 204, None
