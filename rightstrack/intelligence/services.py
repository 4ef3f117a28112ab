"""Writes of the intelligence app: machine suggestions of tags, and a person's decisions on them.

A suggestion is a ``RecommendationTag`` with source "machine" and status "suggested", carrying
the model's confidence. Suggestions never touch tags that came with an import or that a person
gave, and a recommendation a person has already tagged in a scheme gets no new suggestions in
that scheme. Only managers (administrators, coordinators) decide; an accepted suggestion keeps
source "machine" and records who accepted it and when, which is its provenance.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import Changes, audited
from rightstrack.core.roles import can_manage
from rightstrack.core.types import User
from rightstrack.core.web import RoleCheck
from rightstrack.recommendations.models import (
    Cluster,
    ImportBatch,
    Recommendation,
    RecommendationTag,
    TagSource,
    TagStatus,
)
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.selectors import TermResolver

from .models import SuggestionRun
from .tagging.schemes import SCHEME_BY_TERM_SCHEME, SCHEMES, TaggingScheme, get_scheme
from .tagging.store import (
    ModelNotFound,
    ModelUnusable,
    SavedTagger,
    default_model_path,
    load_tagger,
)

CHUNK_SIZE = 1000
RUN_FIELDS = (
    "scheme",
    "model_file",
    "model_trained_at",
    "min_confidence",
    "import_batch",
    "state",
    "recommendations",
    "skipped",
    "created",
    "updated",
    "withdrawn",
)


#: (recommendation id, text, action category id): what a suggestion run reads of each.
SuggestionRow = tuple[int, str, int | None]


require_manager = RoleCheck(
    can_manage, gettext_lazy("Only administrators and coordinators may review suggestions.")
)


def _check_confidence(value: float | str, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Enter a number between 0 and 1.")]}) from None
    if not 0.0 <= number <= 1.0:
        raise ValidationError({field: [_("Enter a number between 0 and 1.")]})
    return number


def load_taggers(schemes: Sequence[str] | None = None) -> dict[str, SavedTagger]:
    """{scheme name: SavedTagger} of the trained models under var/models.

    Named schemes must have a usable model; without names, every scheme that has one.
    """
    taggers: dict[str, SavedTagger] = {}
    for name in schemes or SCHEMES:
        try:
            scheme = get_scheme(name)
        except ValueError as error:
            raise ValidationError({"schemes": [str(error)]}) from None
        try:
            taggers[name] = load_tagger(default_model_path(name), scheme=scheme.name)
        except ModelNotFound:
            if schemes:
                raise ValidationError(
                    {"schemes": [_("No trained model for %(scheme)s.") % {"scheme": name}]}
                ) from None
        except ModelUnusable as error:
            raise ValidationError({"schemes": [str(error)]}) from None
    return taggers


class _Suggester:
    """One scheme's suggestions over chunks of recommendations."""

    def __init__(
        self, scheme: TaggingScheme, saved: SavedTagger, min_confidence: float | None
    ) -> None:
        self.scheme = scheme
        self.saved = saved
        self.min_confidence = min_confidence
        self.resolver = TermResolver(scheme.term_scheme)
        self._terms: dict[str, Term | None] = {}
        self.counts: defaultdict[str, int] = defaultdict(int)

    def term_for(self, label: str) -> Term | None:
        if label not in self._terms:
            self._terms[label] = self.resolver.resolve(label)
        return self._terms[label]

    def run(self, rows: Sequence[SuggestionRow]) -> None:
        """Suggest for rows of (pk, text, action_category_id); write and count the changes."""
        ids = [pk for pk, _text, _category in rows]
        existing: defaultdict[int, dict[int, RecommendationTag]] = defaultdict(dict)
        for tag in RecommendationTag.objects.filter(
            recommendation_id__in=ids, term__scheme=self.scheme.term_scheme
        ).only("id", "recommendation_id", "term_id", "source", "status", "confidence"):
            existing[tag.recommendation_id][tag.term_id] = tag
        open_rows = []
        for pk, text, category_id in rows:
            tags = existing[pk].values()
            decided = any(tag.status == TagStatus.ACCEPTED for tag in tags)
            if self.scheme.term_scheme == Scheme.ACTION_CATEGORY and category_id is not None:
                decided = True
            if decided:
                self.counts["skipped"] += 1
            else:
                open_rows.append((pk, text))
        self.counts["recommendations"] += len(rows)
        if not open_rows:
            return
        suggestions = self.saved.tagger.suggest(
            [text for _pk, text in open_rows], min_confidence=self.min_confidence
        )
        new: list[RecommendationTag] = []
        changed: list[RecommendationTag] = []
        withdrawn: list[int] = []
        for (pk, _text), suggested in zip(open_rows, suggestions, strict=True):
            current = existing[pk]
            wanted: set[int] = set()
            for label, confidence in suggested:
                term = self.term_for(label)
                if term is None:
                    self.counts["unknown_labels"] += 1
                    continue
                wanted.add(term.pk)
                confidence = round(confidence, 4)
                known = current.get(term.pk)
                if known is None:
                    new.append(
                        RecommendationTag(
                            recommendation_id=pk,
                            term=term,
                            source=TagSource.MACHINE,
                            status=TagStatus.SUGGESTED,
                            confidence=confidence,
                        )
                    )
                elif (
                    known.source == TagSource.MACHINE
                    and known.status == TagStatus.SUGGESTED
                    and known.confidence != confidence
                ):
                    known.confidence = confidence
                    changed.append(known)
                # A rejected suggestion stays rejected: a person has decided.
            withdrawn += [
                tag.pk
                for term_id, tag in current.items()
                if term_id not in wanted
                and tag.source == TagSource.MACHINE
                and tag.status == TagStatus.SUGGESTED
            ]
        RecommendationTag.objects.bulk_create(new, batch_size=CHUNK_SIZE)
        RecommendationTag.objects.bulk_update(changed, ["confidence"], batch_size=CHUNK_SIZE)
        if withdrawn:
            RecommendationTag.objects.filter(pk__in=withdrawn).delete()
        self.counts["created"] += len(new)
        self.counts["updated"] += len(changed)
        self.counts["withdrawn"] += len(withdrawn)


def suggest_tags(
    *,
    recommendations: QuerySet[Recommendation] | Iterable[Recommendation],
    schemes: Sequence[str] | None = None,
    min_confidence: float | str | None = None,
    actor: User | None = None,
    batch: ImportBatch | None = None,
    state: Term | None = None,
    taggers: dict[str, SavedTagger] | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> list[SuggestionRun]:
    """Suggest tags for ``recommendations`` (a queryset) with the trained models.

    ``schemes``: tagging scheme names (default: every scheme with a trained model).
    ``min_confidence``: suggest every label at least this likely; None keeps each model's own
    decisions (per-label thresholds tuned by cross-validation). ``actor`` None is the system
    (the command line); a person must be a manager. ``batch``/``state`` are recorded on the run.
    ``taggers`` ({name: SavedTagger}) replaces the saved models, for tests and benchmarks.
    Returns the SuggestionRun of each scheme.
    """
    if actor is not None:
        require_manager(actor)
    confidence = None
    if min_confidence is not None:
        confidence = _check_confidence(min_confidence, "min_confidence")
    if taggers is None:
        taggers = load_taggers(schemes)
    elif schemes:
        missing = [name for name in schemes if name not in taggers]
        if missing:
            raise ValidationError(
                {"schemes": [_("No trained model for %(scheme)s.") % {"scheme": missing[0]}]}
            )
        taggers = {name: taggers[name] for name in schemes}
    if not taggers:
        raise ValidationError(
            {"schemes": [_("No tagger is trained yet: run `rightstrack tagger train` first.")]}
        )
    if isinstance(recommendations, QuerySet):
        chosen = recommendations
    else:
        chosen = Recommendation.objects.filter(
            pk__in=[recommendation.pk for recommendation in recommendations]
        )
    ids = list(chosen.order_by("pk").values_list("pk", flat=True))
    runs: list[SuggestionRun] = []
    total_steps = len(ids) * len(taggers)
    done = 0
    for name, saved in taggers.items():
        scheme = get_scheme(name)
        suggester = _Suggester(scheme, saved, confidence)
        run = SuggestionRun(
            scheme=name,
            model_file=str(saved.path or "")[:500],
            model_trained_at=saved.trained_at,
            model_digest=saved.digest,
            min_confidence=confidence,
            import_batch=batch,
            state=state,
            started_by=actor if actor is not None and actor.is_authenticated else None,
        )
        with audited(actor, run, RUN_FIELDS, action=AuditEntry.Action.CREATE) as change:
            run.save(force_insert=True)
            for start in range(0, len(ids), CHUNK_SIZE):
                chunk = ids[start : start + CHUNK_SIZE]
                rows = list(
                    Recommendation.objects.filter(pk__in=chunk)
                    .order_by("pk")
                    .values_list("pk", "text", "action_category_id")
                )
                suggester.run(rows)
                done += len(chunk)
                if progress:
                    progress(done, total_steps)
            for field in ("recommendations", "skipped", "created", "updated", "withdrawn"):
                setattr(run, field, suggester.counts[field])
            run.finished_at = timezone.now()
            run.save()
            if suggester.counts["unknown_labels"]:
                change.note = _("%(count)s label(s) the vocabulary does not know were left out") % {
                    "count": suggester.counts["unknown_labels"]
                }
        run.unknown_labels = suggester.counts["unknown_labels"]
        runs.append(run)
    return runs


def suggest_for_batch(*, actor: User | None, batch: ImportBatch) -> list[SuggestionRun]:
    """Suggest tags for the recommendations an import batch created or changed, with every
    scheme that has a trained model; [] when none has (nothing to do, no error). Returns the
    SuggestionRun of each scheme. ``actor`` None is the system; a person must be a manager."""
    taggers = load_taggers()
    if not taggers:
        return []
    return suggest_tags(
        recommendations=Recommendation.objects.filter(import_batch=batch),
        actor=actor,
        batch=batch,
        taggers=taggers,
    )


def _tag_text(tag: RecommendationTag, decision: str) -> str:
    scheme = SCHEME_BY_TERM_SCHEME.get(tag.term.scheme)
    scheme_label = scheme.label if scheme else tag.term.get_scheme_display()
    confidence = f"{tag.confidence:.2f}" if tag.confidence is not None else "—"
    return _(
        "%(scheme)s: %(term)s (machine suggestion, confidence %(confidence)s, %(decision)s)"
    ) % {
        "scheme": scheme_label,
        "term": tag.term.label_en,
        "confidence": confidence,
        "decision": decision,
    }


def _locked_tag(tag: RecommendationTag) -> RecommendationTag:
    return (
        RecommendationTag.objects.select_for_update()
        .select_related("term", "recommendation")
        .get(pk=tag.pk)
    )


def _set_action_category(recommendation: Recommendation, term: Term) -> None:
    recommendation.action_category = term
    recommendation.save(update_fields=["action_category", "updated_at"])


def _clear_action_category(recommendation: Recommendation, term: Term) -> None:
    if recommendation.action_category_id != term.pk:
        return
    recommendation.action_category = None
    recommendation.save(update_fields=["action_category", "updated_at"])


def _audited_fields(tags: Iterable[RecommendationTag]) -> list[str]:
    # The action category is the one field of a recommendation that deciding on a tag changes.
    if any(tag.term.scheme == Scheme.ACTION_CATEGORY for tag in tags):
        return ["action_category"]
    return []


def _decide(*, actor: User, tag: RecommendationTag, status: TagStatus) -> RecommendationTag:
    require_manager(actor)
    with transaction.atomic():
        tag = _locked_tag(tag)
        if tag.source != TagSource.MACHINE:
            raise ValidationError(
                {"tag": [_("Only machine suggestions are accepted or rejected here.")]}
            )
        if tag.status == status:
            return tag
        old_text = _tag_text(tag, tag.get_status_display().lower())
        tag.status = status
        tag.decided_by = actor
        tag.decided_at = timezone.now()
        tag.save(update_fields=["status", "decided_by", "decided_at"])
        recommendation = tag.recommendation
        with audited(
            actor,
            recommendation,
            _audited_fields([tag]),
            note=_("machine suggestion accepted")
            if status == TagStatus.ACCEPTED
            else _("machine suggestion rejected"),
        ) as change:
            change.add(
                {
                    "tags": {
                        "label": str(_("tags")),
                        "old": old_text,
                        "new": _tag_text(tag, tag.get_status_display().lower()),
                    }
                },
                first=True,
            )
            if tag.term.scheme == Scheme.ACTION_CATEGORY:
                if status == TagStatus.ACCEPTED:
                    _set_action_category(recommendation, tag.term)
                else:
                    _clear_action_category(recommendation, tag.term)
    return tag


def suggestion_accept(*, actor: User, tag: RecommendationTag) -> RecommendationTag:
    """Accept one machine suggestion: it becomes a public tag, "machine, accepted by actor".

    Accepting an action category also sets the recommendation's action category.
    """
    return _decide(actor=actor, tag=tag, status=TagStatus.ACCEPTED)


def suggestion_reject(*, actor: User, tag: RecommendationTag) -> RecommendationTag:
    """Reject one machine suggestion (or take back an accepted one): it is never shown publicly
    and later suggestion runs do not suggest it again."""
    return _decide(actor=actor, tag=tag, status=TagStatus.REJECTED)


def suggestions_accept_above(
    *,
    actor: User,
    batch: ImportBatch | None,
    threshold: float | str,
    scheme: str | None = None,
) -> int:
    """Accept every open suggestion on the recommendations of an import batch whose confidence
    is at least ``threshold``; ``scheme`` (a vocabulary code) limits it to one vocabulary.
    Returns the number accepted."""
    require_manager(actor)
    minimum = _check_confidence(threshold, "threshold")
    if batch is None:
        raise ValidationError({"batch": [_("Choose an import batch.")]})
    now = timezone.now()
    with transaction.atomic():
        tags = (
            RecommendationTag.objects.select_for_update()
            .filter(
                recommendation__import_batch=batch,
                source=TagSource.MACHINE,
                status=TagStatus.SUGGESTED,
                confidence__gte=minimum,
            )
            .select_related("term", "recommendation")
            .order_by("recommendation_id", "-confidence", "pk")
        )
        if scheme:
            tags = tags.filter(term__scheme=scheme)
        decided = list(tags)
        by_recommendation: defaultdict[int, list[RecommendationTag]] = defaultdict(list)
        for tag in decided:
            by_recommendation[tag.recommendation_id].append(tag)
        for recommendation_tags in by_recommendation.values():
            recommendation = recommendation_tags[0].recommendation
            with audited(
                actor,
                recommendation,
                _audited_fields(recommendation_tags),
                note=_("machine suggestions accepted above confidence %(threshold).2f")
                % {"threshold": minimum},
            ) as change:
                tags_change: Changes = {"tags": {"label": str(_("tags")), "old": [], "new": []}}
                for tag in recommendation_tags:
                    tags_change["tags"]["old"].append(
                        _tag_text(tag, tag.get_status_display().lower())
                    )
                    tag.status = TagStatus.ACCEPTED
                    tag.decided_by = actor
                    tag.decided_at = now
                    tags_change["tags"]["new"].append(
                        _tag_text(tag, tag.get_status_display().lower())
                    )
                    if tag.term.scheme == Scheme.ACTION_CATEGORY:
                        _set_action_category(recommendation, tag.term)
                change.add(tags_change, first=True)
        RecommendationTag.objects.bulk_update(decided, ["status", "decided_by", "decided_at"])
    return len(decided)


def proposed_cluster_accept(
    *,
    actor: User,
    state: Term,
    recommendations: Iterable[Recommendation],
    name: str,
    description: str = "",
) -> Cluster:
    """Make a proposed cluster a real one, through the recommendations app's cluster service."""
    require_manager(actor)
    from rightstrack.recommendations import services as recommendation_services

    members = list(recommendations)
    if len(members) < 2:
        raise ValidationError({"recommendations": [_("A cluster needs two recommendations.")]})
    if any(recommendation.state_id != state.pk for recommendation in members):
        raise ValidationError(
            {"recommendations": [_("Every recommendation must be made to the same State.")]}
        )
    return recommendation_services.cluster_create(
        actor=actor,
        name=name,
        description=description,
        state=state,
        recommendations=members,
    )
