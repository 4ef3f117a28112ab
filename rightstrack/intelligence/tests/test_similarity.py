import datetime

import numpy as np
import pytest
from django.urls import reverse

from rightstrack.intelligence import similarity
from rightstrack.intelligence.indexes import IndexNotBuilt
from rightstrack.intelligence.selectors import proposed_clusters, similar_recommendations
from rightstrack.intelligence.services import proposed_cluster_accept
from rightstrack.recommendations.models import Cluster
from rightstrack.recommendations.tests.factories import RecommendationFactory, term
from rightstrack.taxonomy.models import Scheme

pytestmark = pytest.mark.django_db

TEXTS = [
    "Declare a moratorium on executions with a view to abolishing the death penalty",
    "Introduce a moratorium on the execution of the death penalty with a view to its abolition",
    "Ratify the Optional Protocol to the Convention against Torture",
    "Accede to the Optional Protocol to the Convention against Torture",
    "Ensure that children with disabilities have access to inclusive education",
    "Guarantee access to education for children with disabilities in mainstream schools",
    "Combat domestic violence against women and provide shelters for victims",
    "Strengthen the independence of the judiciary and the bar association",
]


def test_it_ranks_near_duplicates_first():
    items = list(enumerate(TEXTS, start=1))
    index = similarity.SimilarityIndex.build(items, use_embeddings=False)
    for first in (1, 3, 5):
        best, score = index.nearest(pk=first, k=1)[0]
        assert best == first + 1
        assert score > 0.3
    unrelated = index.nearest(pk=1, k=len(TEXTS))[-1][1]
    assert unrelated < 0.1
    # A text that is not indexed is compared by its words.
    ((best, _score),) = index.nearest(text="moratorium on the death penalty", k=1)
    assert best in (1, 2)


def test_it_finds_word_forms_through_prefixes():
    assert similarity.prefix_tokens("abolishing abolition ratify ratification") == [
        "aboli",
        "aboli",
        "ratif",
        "ratif",
    ]


def test_it_groups_similar_items():
    scores = np.array(
        [[1.0, 0.9, 0.1, 0.0], [0.9, 1.0, 0.2, 0.0], [0.1, 0.2, 1.0, 0.05], [0.0, 0.0, 0.05, 1.0]]
    )
    assert similarity.cluster_groups(scores, 0.5) == [[0, 1]]
    assert similarity.cluster_groups(scores[:1, :1], 0.5) == []


def _recommendations():
    belarus = term(Scheme.STATE, "BLR", "Belarus")
    chile = term(Scheme.STATE, "CHL", "Chile")
    earlier = RecommendationFactory(
        text=TEXTS[0], state=belarus, cycle=1, session=8, date=datetime.date(2010, 6, 15)
    )
    later = RecommendationFactory(
        text=TEXTS[0] + " soon", state=belarus, cycle=2, session=22, date=datetime.date(2015, 6, 15)
    )
    elsewhere = RecommendationFactory(text=TEXTS[0] + " now", state=chile, cycle=1, session=5)
    hidden = RecommendationFactory(text=TEXTS[1] + " now", state=chile, is_published=False)
    rest = [RecommendationFactory(text=text, state=belarus) for text in TEXTS[2:]]
    return {
        "earlier": earlier,
        "later": later,
        "elsewhere": elsewhere,
        "hidden": hidden,
        "rest": rest,
    }


def test_it_flags_a_repeated_recommendation_for_the_same_state(users):
    found = _recommendations()
    similarity.build_index(use_embeddings=False)
    result = similar_recommendations(user=users["coordinator"], recommendation=found["later"], k=3)
    by_pk = {item.recommendation.pk: item for item in result}
    assert found["earlier"].pk in by_pk and found["elsewhere"].pk in by_pk
    assert by_pk[found["earlier"].pk].repeats is True
    # Another State's recommendation is similar, but not a repetition.
    assert by_pk[found["elsewhere"].pk].repeats is False
    # The earlier one does not repeat the later one.
    backwards = similar_recommendations(
        user=users["coordinator"], recommendation=found["earlier"], k=3
    )
    assert not any(item.repeats for item in backwards)


def test_it_shows_only_what_the_reader_may_see(users):
    found = _recommendations()
    similarity.build_index(use_embeddings=False)
    internal = similar_recommendations(user=users["viewer"], recommendation=found["later"], k=10)
    public = similar_recommendations(user=None, recommendation=found["later"], k=10)
    assert found["hidden"].pk in {item.recommendation.pk for item in internal}
    assert found["hidden"].pk not in {item.recommendation.pk for item in public}


def test_it_needs_the_index_built(users):
    found = _recommendations()
    with pytest.raises(IndexNotBuilt):
        similar_recommendations(user=users["viewer"], recommendation=found["later"])


def test_it_serves_the_panel_as_fragment_and_page(client, users):
    found = _recommendations()
    url = reverse("intelligence:similar", args=[found["later"].pk])
    assert "Similar recommendations are not available yet" in client.get(url).content.decode()
    similarity.build_index(use_embeddings=False)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Similar recommendations" in fragment
    assert "Repeats an earlier recommendation" in fragment
    page = client.get(url).content.decode()
    assert "<html" in page and TEXTS[0][:40] in page
    assert client.get(reverse("intelligence:similar", args=[found["hidden"].pk])).status_code == 404


def test_it_answers_similar_through_the_api(client):
    found = _recommendations()
    url = f"/api/v1/intelligence/similar/{found['later'].pk}"
    unbuilt = client.get(url)
    assert unbuilt.status_code == 200
    assert unbuilt.json()["index_status"]["state"] == "missing"
    assert unbuilt.json()["results"] == []
    similarity.build_index(use_embeddings=False)
    answer = client.get(url, {"k": 2}).json()
    assert answer["index_status"]["state"] == "ready"
    items = answer["results"]
    assert len(items) == 2
    assert items[0]["score"] >= items[1]["score"]
    assert any(item["repeats"] for item in items)


def test_it_proposes_clusters_a_coordinator_accepts(client_for, users):
    found = _recommendations()
    similarity.build_index(use_embeddings=False)
    belarus = found["earlier"].state
    proposals = proposed_clusters(user=users["coordinator"], state=belarus, threshold=0.3)
    groups = [{obj.pk for obj in proposal.recommendations} for proposal in proposals]
    assert {found["earlier"].pk, found["later"].pk} in groups
    assert all(proposal.cohesion >= 0.3 for proposal in proposals)

    page = client_for("coordinator").get(
        reverse("intelligence:clusters"), {"state": "BLR", "threshold": "0.3"}
    )
    assert page.status_code == 200 and "Accept as a cluster" in page.content.decode()
    assert client_for("focal_point").get(reverse("intelligence:clusters")).status_code == 403

    data = {
        "state": "BLR",
        "name": "Death penalty",
        "recommendations": [found["earlier"].pk, found["later"].pk],
    }
    assert client_for("viewer").post(reverse("intelligence:clusters"), data).status_code == 403
    response = client_for("coordinator").post(reverse("intelligence:clusters"), data)
    cluster = Cluster.objects.get(name="Death penalty")
    assert response.status_code == 302 and response.url == cluster.get_absolute_url()
    assert set(cluster.recommendations.values_list("pk", flat=True)) == {
        found["earlier"].pk,
        found["later"].pk,
    }
    assert cluster.created_by == users["coordinator"]


def test_it_keeps_a_cluster_to_one_state(users):
    found = _recommendations()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        proposed_cluster_accept(
            actor=users["coordinator"],
            state=found["earlier"].state,
            recommendations=[found["earlier"], found["elsewhere"]],
            name="Mixed",
        )


class KeywordTopics:
    """A stand-in for a trained issues tagger: the probability of each issue is 0.9 when one of
    its words is in the text, else 0.05."""

    labels = ["Death penalty", "Women's rights", "Torture and other CID treatment"]
    words = (("death", "capital", "executions"), ("women", "gender"), ("torture", "ill-treatment"))

    def predict_proba(self, texts):
        return np.array(
            [
                [
                    0.9 if any(word in text.lower() for word in words) else 0.05
                    for words in self.words
                ]
                for text in texts
            ]
        )


def test_it_mixes_in_the_topic_vectors():
    items = [
        (1, "Pursue its efforts to promote the rights of women"),
        (2, "continue activities ensuring the rights of women and gender equality"),
        (3, "Pursue efforts to abolish capital punishment"),
        (4, "Prevent torture in police custody"),
    ]
    words_only = similarity.SimilarityIndex.build(items, use_embeddings=False)
    with_topics = similarity.SimilarityIndex.build(
        items, use_embeddings=False, topic_tagger=KeywordTopics()
    )
    assert with_topics.info["topics"] is True and words_only.info["topics"] is False
    # Within a set of recommendations (a State's), by words the other wording on women shares
    # less than the death penalty one does; with the topics it comes first.
    by_words = similarity.pairwise_scores(words_only, [1, 2, 3, 4])[0]
    by_both = similarity.pairwise_scores(with_topics, [1, 2, 3, 4])[0]
    assert by_words[2] > by_words[1]
    assert by_both[1] > by_both[2]
    # The mix: (1 - TOPIC_WEIGHT) of the word cosine and TOPIC_WEIGHT of the topic cosine.
    topics = with_topics.topics
    weight = similarity.TOPIC_WEIGHT
    expected = (1 - weight) * by_words + weight * (topics[0] @ topics.T)
    assert by_both == pytest.approx(expected, abs=1e-5)
    # Across all recommendations the topics stay out: the same issue is not the same wording.
    assert with_topics.nearest(pk=1, k=3) == words_only.nearest(pk=1, k=3)
    assert with_topics.nearest(text="women", k=1) == words_only.nearest(text="women", k=1)
    assert with_topics.vectors(texts=["women"]).topics.shape == (1, 3)
    assert with_topics.vectors(texts=["women"], topics=False).topics is None


def test_it_uses_the_trained_issues_tagger_when_there_is_one(tmp_path):
    from rightstrack.intelligence.tagging.classifiers import MultiLabelTagger
    from rightstrack.intelligence.tagging.store import (
        SavedTagger,
        default_model_path,
        save_tagger,
    )

    from .synthetic import make_examples

    _recommendations()
    assert similarity.build_index(use_embeddings=False).info["topics"] is False
    examples = make_examples(60)
    tagger = MultiLabelTagger(cv_folds=2, use_embeddings=False).fit(
        [text for text, _issues, _action in examples], [issues for _t, issues, _a in examples]
    )
    save_tagger(
        SavedTagger(scheme="upr-info-issues", tagger=tagger),
        default_model_path("upr-info-issues"),
    )
    index = similarity.build_index(use_embeddings=False)
    assert index.info["topics"] is True
    assert index.topics.shape == (len(index), len(tagger.labels))
    assert index.repeat_threshold == similarity.REPEAT_THRESHOLD
    assert similarity.build_index(use_embeddings=False, topics=False).info["topics"] is False
