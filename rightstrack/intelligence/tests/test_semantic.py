import pytest

from rightstrack.intelligence import semantic
from rightstrack.intelligence.indexes import IndexNotBuilt
from rightstrack.recommendations.tests.factories import RecommendationFactory

TORTURE = [
    "Investigate all allegations of torture and ill-treatment of detainees by the police",
    "Prevent torture in places of detention and punish police officers responsible",
    "Ensure that persons in police custody are not subjected to torture",
]
OTHER = [
    "Increase the budget for primary education and train more teachers",
    "Adopt a law on domestic violence and open shelters for women",
    "Ratify the Convention on the Rights of Persons with Disabilities",
    "Guarantee freedom of the press and protect journalists",
    "Improve access to clean water and sanitation in rural areas",
    "Strengthen the independence of the national human rights institution",
    "Combat trafficking in persons and protect victims",
]


def _index(extra=()):
    texts = TORTURE + OTHER + list(extra)
    return semantic.SemanticIndex.build(list(enumerate(texts, start=1)), use_embeddings=False)


def test_it_ranks_by_meaning():
    index = _index()
    ranked = index.rank("torture in police custody", limit=3)
    assert {pk for pk, _score in ranked} == {1, 2, 3}
    scores = [score for _pk, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert index.rank("   ", limit=3) == []


def test_it_stores_unit_length_float32_vectors():
    index = _index()
    assert index.vectors.dtype.name == "float32"
    norms = (index.vectors**2).sum(axis=1) ** 0.5
    assert norms == pytest.approx([1.0] * len(norms), abs=1e-4)


def test_it_ranks_only_the_candidates():
    index = _index()
    ranked = index.rank("torture in police custody", candidate_ids=[2, 5, 6, 99], limit=10)
    assert [pk for pk, _score in ranked][0] == 2
    assert {pk for pk, _score in ranked} == {2, 5, 6}
    assert index.rank("torture", candidate_ids=[99], limit=5) == []


def test_it_fuses_rankings():
    fused = semantic.fuse_rankings([1, 2, 3], [(3, 0.9), (4, 0.5)], k=60)
    assert [pk for pk, _score in fused][:2] == [3, 1]
    assert {pk for pk, _score in fused} == {1, 2, 3, 4}
    assert len(semantic.fuse_rankings([1, 2, 3], limit=2)) == 2


def test_it_ranks_words_and_meaning_together():
    index = _index()
    fused = semantic.hybrid_rank(
        query="torture in police custody", text_ranked_ids=[3], limit=3, index=index
    )
    assert fused[0][0] == 3


@pytest.mark.django_db
def test_it_builds_and_loads_the_index_of_the_database(client):
    torture = [RecommendationFactory(text=text) for text in TORTURE]
    for text in OTHER:
        RecommendationFactory(text=text)
    hidden = RecommendationFactory(text=TORTURE[0] + " at once", is_published=False)
    with pytest.raises(IndexNotBuilt):
        semantic.semantic_rank(query="torture")
    semantic.build_index(use_embeddings=False)
    ranked = semantic.semantic_rank(query="torture in police custody", limit=4)
    assert len(ranked) == 4
    response = client.get("/api/v1/intelligence/semantic", {"q": "torture in police custody"})
    assert response.json()["mode"] == "meaning"
    ids = [item["id"] for item in response.json()["results"]]
    assert hidden.pk not in ids
    assert response.status_code == 200 and len(ids) == len(TORTURE + OTHER)
    assert ids[0] in {recommendation.pk for recommendation in torture}
    narrowed = client.get("/api/v1/intelligence/semantic", {"q": "torture", "state": "CHL"})
    assert narrowed.status_code == 200 and narrowed.json()["results"] == []


@pytest.mark.django_db
def test_it_ranks_search_results_by_meaning_within_the_facets(users):
    from rightstrack.intelligence.selectors import meaning_ranked_ids
    from rightstrack.recommendations.filters import parse_filters
    from rightstrack.recommendations.tests.factories import term

    chile = term("state", "CHL", "Chile")
    torture = [RecommendationFactory(text=text) for text in TORTURE]
    others = [RecommendationFactory(text=text) for text in OTHER]
    elsewhere = RecommendationFactory(text=TORTURE[0], state=chile)
    hidden = RecommendationFactory(text=TORTURE[1] + " today", is_published=False)
    semantic.build_index(use_embeddings=False)

    filters = parse_filters({"q": "torture in police custody", "state": "BLR"})
    ids = meaning_ranked_ids(user=None, filters=filters)
    assert set(ids[:3]) == {recommendation.pk for recommendation in torture}
    assert elsewhere.pk not in ids and hidden.pk not in ids
    # Found by meaning though it shares no word with the query.
    assert set(ids) >= {recommendation.pk for recommendation in others[:2]}

    internal = meaning_ranked_ids(user=users["viewer"], filters=parse_filters({"q": "torture"}))
    assert hidden.pk in internal and elsewhere.pk in internal
    assert meaning_ranked_ids(user=None, filters=parse_filters({"state": "BLR"})) == []


@pytest.mark.django_db
@pytest.mark.parametrize("narrow", [2, 3000])
@pytest.mark.parametrize("state_share", [1, 3, 12])
def test_it_ranks_exactly_what_the_facets_keep(monkeypatch, state_share, narrow):
    """Reading a narrow facet whole, checking the best texts overall against a broad one, or
    falling back to all its ids: each gives the exact ranking of what the facets keep."""
    from rightstrack.intelligence import selectors
    from rightstrack.recommendations.filters import parse_filters
    from rightstrack.recommendations.tests.factories import term

    chile = term("state", "CHL", "Chile")
    kept_ids = []
    for number, text in enumerate((TORTURE + OTHER) * 3):
        in_chile = number % 12 < state_share
        recommendation = RecommendationFactory(
            text=f"{text} {number}", **({"state": chile} if in_chile else {})
        )
        if in_chile:
            kept_ids.append(recommendation.pk)
    index = semantic.build_index(use_embeddings=False)
    monkeypatch.setattr(selectors, "MEANING_DEPTH", 3)
    monkeypatch.setattr(selectors, "MEANING_PREFILTER_DEPTH", 6)
    monkeypatch.setattr(selectors, "MEANING_NARROW", narrow)
    # Only the ranking by meaning, without the words' ranking fused in.
    monkeypatch.setattr(semantic, "fuse_rankings", lambda ranked, words, limit: ranked[:limit])
    filters = parse_filters({"q": "police torture of detainees", "state": "CHL"})
    exact = [pk for pk, _score in index.rank(filters.q, candidate_ids=kept_ids, limit=3)]
    assert selectors.meaning_ranked_ids(user=None, filters=filters, index=index) == exact
