import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rightstrack.audit.models import AuditEntry
from rightstrack.intelligence.models import SuggestionRun
from rightstrack.intelligence.services import (
    suggest_tags,
    suggestion_accept,
    suggestion_reject,
    suggestions_accept_above,
)
from rightstrack.recommendations.models import (
    ImportBatch,
    Recommendation,
    RecommendationTag,
    TagSource,
    TagStatus,
)
from rightstrack.recommendations.tests.factories import RecommendationFactory, TagFactory

pytestmark = pytest.mark.django_db

DEATH_PENALTY = "Abolish the death penalty and declare a moratorium on executions"
TORTURE = "Ratify measures against torture and ill-treatment in police custody"


def _machine_tags(recommendation, status=TagStatus.SUGGESTED):
    return RecommendationTag.objects.filter(
        recommendation=recommendation, source=TagSource.MACHINE, status=status
    )


def test_it_suggests_tags_with_a_confidence(trained_taggers, vocabulary):
    recommendation = RecommendationFactory(text=DEATH_PENALTY)
    runs = suggest_tags(recommendations=Recommendation.objects.all(), taggers=trained_taggers)
    assert {run.scheme for run in runs} == {"upr-info-issues", "action-category"}
    suggested = {tag.term.label_en: tag for tag in _machine_tags(recommendation)}
    assert "Death penalty" in suggested
    assert "Category 5" in suggested
    assert all(0 < tag.confidence <= 1 for tag in suggested.values())
    # Nothing was decided: the recommendation's own action category stays empty.
    recommendation.refresh_from_db()
    assert recommendation.action_category is None
    run = SuggestionRun.objects.get(scheme="upr-info-issues")
    assert run.created >= 1 and run.recommendations == 1
    assert AuditEntry.objects.filter(object_id=str(run.pk), action="create").exists()


def test_it_leaves_what_a_source_or_person_tagged(trained_taggers, vocabulary):
    imported = RecommendationFactory(
        text=DEATH_PENALTY, tags=[vocabulary["issues"]["Women's rights"]]
    )
    categorised = RecommendationFactory(text=TORTURE, action_category=vocabulary["actions"]["4"])
    suggest_tags(recommendations=Recommendation.objects.all(), taggers=trained_taggers)
    # Imported, accepted issue: no issue suggestion, and the imported tag is untouched.
    assert not _machine_tags(imported).filter(term__scheme="upr-info-issue").exists()
    tag = RecommendationTag.objects.get(recommendation=imported, term__scheme="upr-info-issue")
    assert (tag.source, tag.status) == (TagSource.IMPORTED, TagStatus.ACCEPTED)
    # An action category already given: no action-category suggestion.
    assert not _machine_tags(categorised).filter(term__scheme="action-category").exists()
    assert _machine_tags(categorised).filter(term__scheme="upr-info-issue").exists()


def test_it_updates_withdraws_and_never_revives_rejected_suggestions(
    trained_taggers, vocabulary, users
):
    recommendation = RecommendationFactory(text=DEATH_PENALTY)
    stale = TagFactory(
        recommendation=recommendation,
        term=vocabulary["issues"]["Right to education"],
        machine_suggestion=True,
        confidence=0.4,
    )
    suggest_tags(recommendations=Recommendation.objects.all(), taggers=trained_taggers)
    assert not RecommendationTag.objects.filter(pk=stale.pk).exists()
    death = _machine_tags(recommendation).get(term=vocabulary["issues"]["Death penalty"])
    suggestion_reject(actor=users["coordinator"], tag=death)
    runs = suggest_tags(recommendations=Recommendation.objects.all(), taggers=trained_taggers)
    death.refresh_from_db()
    assert death.status == TagStatus.REJECTED
    issues_run = next(run for run in runs if run.scheme == "upr-info-issues")
    assert issues_run.created == 0


def test_it_suggests_with_a_lower_bound_on_confidence(trained_taggers, vocabulary):
    recommendation = RecommendationFactory(text=DEATH_PENALTY)
    suggest_tags(
        recommendations=Recommendation.objects.all(),
        schemes=["upr-info-issues"],
        min_confidence=0.0,
        taggers=trained_taggers,
    )
    assert _machine_tags(recommendation).count() == len(vocabulary["issues"])
    with pytest.raises(ValidationError):
        suggest_tags(
            recommendations=Recommendation.objects.all(), min_confidence=2, taggers=trained_taggers
        )


def test_it_needs_a_trained_model(db):
    with pytest.raises(ValidationError):
        suggest_tags(recommendations=Recommendation.objects.all())
    with pytest.raises(ValidationError):
        suggest_tags(recommendations=Recommendation.objects.all(), schemes=["uhri-themes"])


def test_it_lets_only_managers_suggest_and_decide(trained_taggers, vocabulary, users):
    recommendation = RecommendationFactory(text=DEATH_PENALTY)
    suggest_tags(recommendations=Recommendation.objects.all(), taggers=trained_taggers)
    tag = _machine_tags(recommendation).first()
    for role in ("viewer", "focal_point", "civil_society"):
        with pytest.raises(PermissionDenied):
            suggestion_accept(actor=users[role], tag=tag)
        with pytest.raises(PermissionDenied):
            suggestion_reject(actor=users[role], tag=tag)
        with pytest.raises(PermissionDenied):
            suggest_tags(
                recommendations=Recommendation.objects.all(),
                actor=users[role],
                taggers=trained_taggers,
            )
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        suggestion_accept(actor=AnonymousUser(), tag=tag)


def test_it_records_who_accepted_a_suggestion(trained_taggers, vocabulary, users):
    recommendation = RecommendationFactory(text=DEATH_PENALTY)
    suggest_tags(recommendations=Recommendation.objects.all(), taggers=trained_taggers)
    tag = _machine_tags(recommendation).get(
        term__scheme="upr-info-issue", term__label_en="Death penalty"
    )
    accepted = suggestion_accept(actor=users["coordinator"], tag=tag)
    assert accepted.status == TagStatus.ACCEPTED
    assert accepted.source == TagSource.MACHINE
    assert accepted.decided_by == users["coordinator"]
    assert accepted.decided_at is not None
    entry = AuditEntry.objects.get(object_id=str(recommendation.pk), action="update")
    assert "accepted" in entry.changes["tags"]["new"]
    assert entry.actor == users["coordinator"]


def test_it_sets_and_clears_the_action_category(trained_taggers, vocabulary, users):
    recommendation = RecommendationFactory(text=DEATH_PENALTY)
    suggest_tags(recommendations=Recommendation.objects.all(), taggers=trained_taggers)
    tag = _machine_tags(recommendation).get(term__scheme="action-category")
    suggestion_accept(actor=users["administrator"], tag=tag)
    recommendation.refresh_from_db()
    assert recommendation.action_category == tag.term
    suggestion_reject(actor=users["administrator"], tag=tag)
    recommendation.refresh_from_db()
    assert recommendation.action_category is None


def test_it_decides_only_on_machine_suggestions(vocabulary, users):
    recommendation = RecommendationFactory(tags=[vocabulary["issues"]["Death penalty"]])
    imported = RecommendationTag.objects.get(recommendation=recommendation)
    with pytest.raises(ValidationError):
        suggestion_reject(actor=users["coordinator"], tag=imported)


def test_it_accepts_a_batch_above_a_threshold(trained_taggers, vocabulary, users):
    batch = ImportBatch.objects.create(format="upr-info", file_name="new.csv", checksum="x")
    other = ImportBatch.objects.create(format="upr-info", file_name="old.csv", checksum="y")
    mine = [RecommendationFactory(text=DEATH_PENALTY, import_batch=batch) for _ in range(3)]
    theirs = RecommendationFactory(text=DEATH_PENALTY, import_batch=other)
    suggest_tags(
        recommendations=Recommendation.objects.all(), min_confidence=0.0, taggers=trained_taggers
    )
    threshold = 0.5
    expected = RecommendationTag.objects.filter(
        recommendation__in=mine, source=TagSource.MACHINE, confidence__gte=threshold
    ).count()
    assert expected > 0
    with pytest.raises(PermissionDenied):
        suggestions_accept_above(actor=users["viewer"], batch=batch, threshold=threshold)
    with pytest.raises(ValidationError):
        suggestions_accept_above(actor=users["coordinator"], batch=batch, threshold=1.5)
    count = suggestions_accept_above(actor=users["coordinator"], batch=batch, threshold=threshold)
    assert count == expected
    accepted = RecommendationTag.objects.filter(status=TagStatus.ACCEPTED)
    assert accepted.count() == expected
    assert not accepted.filter(confidence__lt=threshold).exists()
    assert not accepted.filter(recommendation=theirs).exists()
    assert set(accepted.values_list("decided_by", flat=True)) == {users["coordinator"].pk}
    assert AuditEntry.objects.filter(action="update", actor=users["coordinator"]).count() == 3
    for recommendation in mine:
        recommendation.refresh_from_db()
        assert recommendation.action_category is not None


def test_it_names_an_unknown_scheme(trained_taggers):
    with pytest.raises(ValidationError):
        suggest_tags(recommendations=Recommendation.objects.all(), schemes=["colours"])
    with pytest.raises(ValidationError):
        suggest_tags(
            recommendations=Recommendation.objects.all(),
            schemes=["sdg-targets"],
            taggers=trained_taggers,
        )
