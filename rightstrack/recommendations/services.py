"""Writes to recommendations: imports (in imports/service.py) and clusters."""

from collections.abc import Iterable
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
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
from rightstrack.taxonomy.models import Scheme, Term

from .imports.service import ImportFileError, import_file, import_upload  # noqa: F401
from .models import Cluster, Recommendation

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
    new_ids = [pk for pk in ids if pk not in present]
    if new_ids:
        cluster.recommendations.add(*new_ids)
        _touch(cluster)
        audit_record(
            actor=actor,
            obj=cluster,
            action=AuditEntry.Action.UPDATE,
            changes=_membership_change(new_ids, added=True),
        )
    return len(new_ids)


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
    if present:
        cluster.recommendations.remove(*present)
        _touch(cluster)
        audit_record(
            actor=actor,
            obj=cluster,
            action=AuditEntry.Action.UPDATE,
            changes=_membership_change(present, added=False),
        )
    return len(present)
