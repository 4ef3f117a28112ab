"""/api/v1/intelligence: machine suggestions and their review, similar recommendations, and
ranking by meaning."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from pydantic import field_validator

from rightstrack.core.api.endpoints import Router, list_endpoint
from rightstrack.core.api.inputs import Id
from rightstrack.core.api_auth import internal_auth, read_auth, write_auth
from rightstrack.recommendations.filters import parse_filters
from rightstrack.recommendations.models import ImportBatch

from . import services
from .indexes import IndexNotBuilt
from .selectors import (
    INDEX_BUILDING,
    INDEX_READY,
    index_status,
    meaning_ranking,
    recommendation_for,
    similar_recommendations,
    suggestion_get,
    suggestion_list,
    unbuilt_index_status,
    word_ranking,
)
from .similarity import load_similarity_index

router = Router(tags=["intelligence"])
MAX_SIMILAR = 50
MAX_RANKED = 200


class SuggestedTermOut(Schema):
    scheme: str
    code: str
    label: str


class SuggestionOut(Schema):
    id: int
    recommendation: int = Field(..., alias="recommendation_id")
    term: SuggestedTermOut
    source: str
    status: str
    confidence: float | None
    decided_by: str | None = None
    decided_at: datetime | None

    @staticmethod
    def resolve_decided_by(tag):
        return tag.decided_by.get_username() if tag.decided_by_id else None


class SuggestionFiltersIn(Schema):
    batch: Id | None = None
    scheme: str | None = None
    status: str = "suggested"
    min_confidence: float | None = Field(None, ge=0, le=1)
    max_confidence: float | None = Field(None, ge=0, le=1)
    state: str | None = None

    @field_validator("state")
    @classmethod
    def _state_code(cls, state):
        return state.strip().upper() if state else state


class AcceptAboveIn(Schema):
    batch: Id
    threshold: float = Field(..., ge=0, le=1)
    scheme: str | None = None


class AcceptedOut(Schema):
    accepted: int


class SimilarOut(Schema):
    id: int
    score: float
    repeats: bool
    state: str
    mechanism: str
    cycle: int | None
    date: str | None
    text: str


class RankedOut(Schema):
    id: int
    score: float


class IndexStatusOut(Schema):
    state: str = Field(
        ...,
        description="ready: the index answers; building: a background job is building it "
        "(percent), meanwhile the answer is degraded (no similar recommendations; search by "
        "words only); missing: not built and no job queued.",
    )
    percent: int | None = Field(None, description="How far the job building it is, 0-100.")
    built_at: datetime | None
    items: int = Field(..., description="Recommendations in the index.")
    not_indexed: int = Field(
        ..., description="Recommendations added since, not in the index yet (being added)."
    )
    message: str


class SimilarPageOut(Schema):
    index_status: IndexStatusOut
    results: list[SimilarOut]


class RankedPageOut(Schema):
    index_status: IndexStatusOut
    mode: str = Field(
        ..., description="meaning (ranked by meaning and words), or words while the index is built."
    )
    results: list[RankedOut]


def _status_out(status):
    if status.state == INDEX_READY:
        message = ""
        if status.missing:
            message = _("Recommendations added since the index was built are being added to it.")
    elif status.state == INDEX_BUILDING:
        message = _("The index is being built by a background job; try again shortly.")
    else:
        message = _("The index has not been built yet.")
    return {
        "state": status.state,
        "percent": status.percent,
        "built_at": status.built_at,
        "items": status.items,
        "not_indexed": status.missing,
        "message": message,
    }


@list_endpoint(router, SuggestionOut, SuggestionFiltersIn, path="/suggestions", auth=internal_auth)
def list_suggestions(user, filters):
    """Machine suggestions (internal readers)

    Filter by import batch, vocabulary (e.g. uhri-theme), status (suggested, accepted,
    rejected), confidence range and State code. Most confident first.
    """
    return suggestion_list(user=user, filters=filters)


@router.post("/suggestions/{pk}/accept", response=SuggestionOut, auth=write_auth)
def accept_suggestion(request, pk: int):
    """Accept a suggestion (administrators and coordinators)"""
    tag = suggestion_get(user=request.user, pk=pk)
    return services.suggestion_accept(actor=request.user, tag=tag)


@router.post("/suggestions/{pk}/reject", response=SuggestionOut, auth=write_auth)
def reject_suggestion(request, pk: int):
    """Reject a suggestion (administrators and coordinators)"""
    tag = suggestion_get(user=request.user, pk=pk)
    return services.suggestion_reject(actor=request.user, tag=tag)


@router.post("/suggestions/accept-above", response=AcceptedOut, auth=write_auth)
def accept_above(request, payload: AcceptAboveIn):
    """Accept every open suggestion of an import batch above a confidence"""
    batch = ImportBatch.objects.filter(pk=payload.batch).first()
    if batch is None:
        raise ValidationError({"batch": [_("No such import batch.")]})
    count = services.suggestions_accept_above(
        actor=request.user, batch=batch, threshold=payload.threshold, scheme=payload.scheme
    )
    return {"accepted": count}


@router.get("/similar/{pk}", response=SimilarPageOut, auth=read_auth)
def similar(request, pk: int, k: int = Query(10, ge=1, le=MAX_SIMILAR)):
    """The recommendations most similar to one, with scores

    Across States, cycles and mechanisms, among the recommendations the caller may see. `repeats`
    is true when the recommendation repeats that earlier one to the same State. `index_status`
    says whether the similarity index answers (`ready`) or is still being built (no results yet).
    """
    recommendation = recommendation_for(user=request.user, pk=pk)
    try:
        index = load_similarity_index()
    except IndexNotBuilt:
        return {"index_status": _status_out(unbuilt_index_status()), "results": []}
    found = similar_recommendations(
        user=request.user, recommendation=recommendation, k=k, index=index
    )
    results = [
        {
            "id": item.recommendation.pk,
            "score": round(item.score, 4),
            "repeats": item.repeats,
            "state": item.recommendation.state.code,
            "mechanism": item.recommendation.mechanism.code,
            "cycle": item.recommendation.cycle,
            "date": item.recommendation.date.isoformat() if item.recommendation.date else None,
            "text": item.recommendation.text,
        }
        for item in found
    ]
    status = index_status(user=request.user, index=index)
    return {"index_status": _status_out(status), "results": results}


@router.get("/semantic", response=RankedPageOut, auth=read_auth)
def semantic(request, q: str, limit: int = Query(20, ge=1, le=MAX_RANKED)):
    """Recommendation ids ranked by meaning for a natural-language query

    `q` is the query; the other parameters are the recommendation list's filters (state,
    mechanism, cycle, theme, …), which narrow the candidates. The ranking by meaning is fused
    with the full-text ranking (reciprocal rank fusion); the score is the fused one. While the
    index is being built (`index_status`), the ranking is by the words alone (`mode` words).
    """
    from .semantic import load_semantic_index

    filters = parse_filters({**_query_lists(request), "q": q})
    try:
        index = load_semantic_index()
    except IndexNotBuilt:
        ranked = word_ranking(user=request.user, filters=filters, limit=limit)
        return {
            "index_status": _status_out(unbuilt_index_status()),
            "mode": "words",
            "results": [{"id": pk, "score": round(score, 5)} for pk, score in ranked],
        }
    ranked = meaning_ranking(user=request.user, filters=filters, limit=limit, index=index)
    return {
        "index_status": _status_out(index_status(user=request.user, index=index)),
        "mode": "meaning",
        "results": [{"id": pk, "score": round(score, 5)} for pk, score in ranked],
    }


def _query_lists(request):
    return {key: request.GET.getlist(key) for key in request.GET if key not in ("q", "limit")}
