"""Writes to recommendations: imports (in imports/service.py), clusters and saved searches."""

import datetime
from collections.abc import Iterable
from typing import Any, TypedDict
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audit_record, audited
from rightstrack.core.roles import can_manage
from rightstrack.core.types import User
from rightstrack.core.validation import Errors
from rightstrack.core.values import a_text, max_length_of
from rightstrack.core.web import RoleCheck
from rightstrack.notifications.models import Kind as NotificationKind
from rightstrack.notifications.services import notify
from rightstrack.taxonomy.models import Scheme, Term

from .filters import parse_filters
from .imports.service import ImportFileError, import_file, import_upload  # noqa: F401
from .models import (
    Cluster,
    ImportBatch,
    MatchCandidate,
    Recommendation,
    RecommendationMerge,
    SavedSearch,
    SourceRecord,
)
from .selectors import recommendation_ids
from .sources import CannotUndo, merge_into, split_source, undo_merge

CLUSTER_FIELDS = ("name", "slug", "description", "state")
# Addresses under /recommendations/clusters/ that are pages, not clusters.
RESERVED_SLUGS = {"new", "add"}
# How many recommendations an audit entry names one by one before it only counts them.
MAX_LISTED_IN_AUDIT = 100


#: A State given to a cluster: its term, its code, or nothing ("" or None).
StateChoice = Term | str | None


class ClusterChanges(TypedDict, total=False):
    """What cluster_update may change; a key left out stays as it is."""

    name: str
    description: str
    state: StateChoice


require_manager = RoleCheck(
    can_manage, gettext_lazy("Only coordinators and administrators may manage clusters.")
)


def _state_term(state: StateChoice, errors: Errors) -> Term | None:
    if state is None or state == "":
        return None
    if isinstance(state, Term):
        if state.scheme == Scheme.STATE:
            return state
    else:
        term = Term.objects.filter(scheme=Scheme.STATE, code=str(state).strip().upper()).first()
        if term is not None:
            return term
    errors.add("state", _("Choose a State from the list."))
    return None


def _validated_cluster(
    *, name: str | None, description: str | None, state: StateChoice
) -> tuple[str, str, Term | None]:
    errors = Errors()
    clean_name = a_text(" ".join((name or "").split()), "name", errors, model=Cluster)
    if not clean_name:
        errors.add("name", _("Give the cluster a name."))
    clean_description = a_text(description, "description", errors, model=Cluster)
    state_term = _state_term(state, errors)
    errors.raise_if_any()
    return clean_name, clean_description, state_term


def _unique_slug(name: str, *, cluster: Cluster | None = None) -> str:
    base = slugify(name)[: max_length_of(Cluster, "name")] or "cluster"
    taken = Cluster.objects.filter(slug__startswith=base)
    if cluster is not None:
        taken = taken.exclude(pk=cluster.pk)
    taken_slugs = set(taken.values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken_slugs:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _recommendation_ids(
    recommendations: Iterable[Recommendation | int | str] | None,
) -> list[int]:
    """Ids of existing recommendations from instances or ids; unknown ids are an error."""
    ids: list[int] = []
    for item in recommendations or ():
        value = item.pk if isinstance(item, Recommendation) else item
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise ValidationError(
                {"recommendations": [_("“%(value)s” is not a recommendation.") % {"value": value}]}
            ) from None
    ids = list(dict.fromkeys(ids))
    found = set(Recommendation.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {
                "recommendations": [
                    _("No recommendation with id %(ids)s.") % {"ids": ", ".join(missing)}
                ]
            }
        )
    return ids


def _labels(ids: list[int]) -> list[str]:
    """How an audit entry names recommendations: symbol and number, or the id."""
    rows = (
        Recommendation.objects.filter(pk__in=ids[:MAX_LISTED_IN_AUDIT])
        .order_by("pk")
        .values_list("pk", "document__symbol", "number")
    )
    labels = [f"{symbol} {number}".strip() if symbol else f"#{pk}" for pk, symbol, number in rows]
    if len(ids) > MAX_LISTED_IN_AUDIT:
        labels.append(_("and %(count)d more") % {"count": len(ids) - MAX_LISTED_IN_AUDIT})
    return labels


def _membership_change(ids: list[int], *, added: bool) -> dict[str, dict[str, Any]]:
    label = str(Cluster._meta.get_field("recommendations").verbose_name)
    names = _labels(ids)
    change: dict[str, list[str] | None] = (
        {"old": None, "new": names} if added else {"old": names, "new": None}
    )
    return {"recommendations": {"label": label, **change}}


def _touch(cluster: Cluster) -> None:
    cluster.updated_at = timezone.now()
    Cluster.objects.filter(pk=cluster.pk).update(updated_at=cluster.updated_at)


def _change_membership(actor: User, cluster: Cluster, ids: list[int], *, added: bool) -> int:
    """Put ``ids`` in the cluster (or take them out), the cluster touched and the change audited;
    returns how many."""
    if ids:
        if added:
            cluster.recommendations.add(*ids)
        else:
            cluster.recommendations.remove(*ids)
        _touch(cluster)
        audit_record(
            actor=actor,
            obj=cluster,
            action=AuditEntry.Action.UPDATE,
            changes=_membership_change(ids, added=added),
        )
    return len(ids)


@transaction.atomic
def cluster_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    state: StateChoice = None,
    recommendations: Iterable[Recommendation | int | str] = (),
) -> Cluster:
    """A new cluster, optionally with recommendations already in it."""
    require_manager(actor)
    clean_name, clean_description, state_term = _validated_cluster(
        name=name, description=description, state=state
    )
    ids = _recommendation_ids(recommendations)
    cluster = Cluster(
        name=clean_name,
        slug=_unique_slug(clean_name),
        description=clean_description,
        state=state_term,
        created_by=actor,
    )
    with audited(actor, cluster, CLUSTER_FIELDS, action=AuditEntry.Action.CREATE) as change:
        cluster.save(force_insert=True)
        if ids:
            cluster.recommendations.add(*ids)
            change.add(_membership_change(ids, added=True))
    return cluster


@transaction.atomic
def cluster_update(*, actor: User, cluster: Cluster, data: ClusterChanges) -> Cluster:
    """Change the name, description or State of a cluster (keys left out of ``data`` stay);
    a new name gives the cluster a new address."""
    require_manager(actor)
    with audited(
        actor,
        cluster,
        CLUSTER_FIELDS,
        skip_unchanged=True,
    ) as change:
        name, description, state = _validated_cluster(
            name=data.get("name", cluster.name),
            description=data.get("description", cluster.description),
            state=data.get("state", cluster.state),
        )
        if name != cluster.name:
            cluster.slug = _unique_slug(name, cluster=cluster)
        cluster.name, cluster.description, cluster.state = name, description, state
        if change.pending():
            cluster.save()
    return cluster


@transaction.atomic
def cluster_add(
    *, actor: User, cluster: Cluster, recommendations: Iterable[Recommendation | int | str]
) -> int:
    """Put recommendations in a cluster; returns how many were not in it before."""
    require_manager(actor)
    ids = _recommendation_ids(recommendations)
    present = set(cluster.recommendations.filter(pk__in=ids).values_list("pk", flat=True))
    return _change_membership(actor, cluster, [pk for pk in ids if pk not in present], added=True)


@transaction.atomic
def cluster_remove(
    *, actor: User, cluster: Cluster, recommendations: Iterable[Recommendation | int | str]
) -> int:
    """Take recommendations out of a cluster; returns how many were in it."""
    require_manager(actor)
    ids = _recommendation_ids(recommendations)
    present = list(
        cluster.recommendations.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
    )
    return _change_membership(actor, cluster, present, added=False)


# ---- Saved searches ---------------------------------------------------------------------------


def saved_search_query(query: str) -> str:
    """A list's query string as it is saved: only what narrows or orders the list (no page),
    in a stable order, so the same search is saved the same way."""
    return urlencode(parse_filters(QueryDict(query)).query_pairs())


def saved_search_create(*, actor: User, name: str, query: str) -> SavedSearch:
    """Save a recommendation list (its query string) under a name of the user's; from now on
    they are told when new recommendations match it. The same name again replaces its search."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to save a search."))
    errors = Errors()
    name = a_text(name, "name", errors, model=SavedSearch, required=True)
    normalised = saved_search_query(query or "")
    if len(normalised) > (max_length_of(SavedSearch, "query") or 0):
        errors.add("query", _("This search is too long to save."))
    errors.raise_if_any()
    with transaction.atomic():
        search, _created = SavedSearch.objects.update_or_create(
            user=actor, name=name, defaults={"query": normalised, "checked_at": timezone.now()}
        )
    return search


def saved_search_delete(*, actor: User, pk: int) -> None:
    deleted, _rows = SavedSearch.objects.filter(pk=pk, user_id=actor.pk).delete()
    if not deleted:
        raise PermissionDenied(_("This is not one of your saved searches."))


# Recommendations written less than this long ago may belong to a transaction not yet
# committed; a check leaves them to the next one.
CHECK_LAG = datetime.timedelta(minutes=1)


def _checked_until(now: datetime.datetime) -> datetime.datetime:
    """How far a check may look: not past the start of an import still running (its
    recommendations, written in steps, are all dated from its start), nor into the
    last minute."""
    running = (
        ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING)
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    until = now - CHECK_LAG
    return min(until, running) if running else until


def saved_searches_check(*, now: datetime.datetime | None = None) -> list[tuple[SavedSearch, int]]:
    """For each saved search, count the recommendations its owner may see that match it and
    were added since it was last checked; tell the owner when there are some (a notification,
    e-mailed with the daily digest). Returns (search, new matches) for the searches with some."""
    now = _checked_until(now or timezone.now())
    found: list[tuple[SavedSearch, int]] = []
    searches = SavedSearch.objects.filter(user__is_active=True, checked_at__lt=now).select_related(
        "user"
    )
    for search in searches:
        filters = parse_filters(QueryDict(search.query))
        new = Recommendation.objects.filter(
            pk__in=recommendation_ids(user=search.user, filters=filters),
            created_at__gt=search.checked_at,
            created_at__lte=now,
        ).count()
        with transaction.atomic():
            if new:
                notify(
                    users=[search.user],
                    kind=NotificationKind.SAVED_SEARCH,
                    params={"name": search.name, "count": new},
                    url=search.get_absolute_url(),
                )
                found.append((search, new))
            SavedSearch.objects.filter(pk=search.pk).update(checked_at=now)
    return found


# --- one recommendation, several sources (sources.py) ---------------------------------------

require_merger = RoleCheck(
    can_manage,
    gettext_lazy("Only coordinators and administrators may merge and split recommendations."),
)


def recommendations_merge(
    *, actor: User, target: Recommendation, merged: Recommendation
) -> RecommendationMerge:
    """Merge ``merged`` into ``target``: its sources and everything linked to it (measures,
    clusters, assessments, activities, tags) move to ``target``, and it is deleted. Audited;
    ``merge_undo`` reverses it."""
    require_merger(actor)
    errors = Errors()
    if target.pk == merged.pk:
        errors.add("merged", _("A recommendation cannot be merged into itself."))
    elif target.state_id != merged.state_id:
        errors.add("merged", _("Only recommendations made to the same State can be merged."))
    errors.raise_if_any()
    return merge_into(target=target, merged=merged, actor=actor, automatic=False)


def merge_undo(*, actor: User, merge: RecommendationMerge) -> Recommendation:
    """Undo a merge: the merged recommendation comes back under its id with its sources and
    what was linked to it. Audited. Returns it."""
    require_merger(actor)
    try:
        return undo_merge(merge=merge, actor=actor)
    except CannotUndo as error:
        raise ValidationError({"merge": [_undo_refusal(error.code)]}) from None


def _undo_refusal(code: str) -> str:
    refusals = {
        "undone": _("This merge was undone already."),
        "target-merged": _(
            "The recommendation it was merged into was merged in turn: undo that merge first."
        ),
        "exists": _("The merged recommendation exists already."),
        "only-source": _("A recommendation's only source cannot be split off."),
    }
    return refusals.get(code, code)


def source_split(*, actor: User, source: SourceRecord) -> Recommendation:
    """Make a source record a recommendation of its own (it was matched wrongly); what people
    linked stays with the recommendation it leaves. Audited; merging them again reverses it."""
    require_merger(actor)
    try:
        return split_source(source=source, actor=actor)
    except CannotUndo as error:
        raise ValidationError({"source": [_undo_refusal(error.code)]}) from None


def match_decide(
    *, actor: User, candidate: MatchCandidate, same: bool
) -> RecommendationMerge | None:
    """Settle a possible duplicate of the review queue: the same recommendation (the source's
    recommendation is merged into the candidate) or not (kept separate). Audited."""
    require_merger(actor)
    if candidate.status != MatchCandidate.Status.OPEN:
        raise ValidationError({"candidate": [_("This possible duplicate was decided already.")]})
    with transaction.atomic():
        merge = None
        source_recommendation = candidate.source.recommendation
        if same and source_recommendation.pk != candidate.candidate_id:
            merge = recommendations_merge(
                actor=actor, target=candidate.candidate, merged=source_recommendation
            )
        candidate.refresh_from_db()
        candidate.status = MatchCandidate.Status.MERGED if same else MatchCandidate.Status.SEPARATE
        candidate.decided_by = actor
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        if not same:
            audit_record(
                actor=actor,
                obj=candidate.candidate,
                action=AuditEntry.Action.UPDATE,
                note=f"kept separate from #{source_recommendation.pk}",
            )
    return merge
