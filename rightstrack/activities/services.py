"""Every write to activities and organizations: validated, permission-checked, audited.

Only managers (administrators and coordinators) write. ``data`` is a dict of field names; an
update changes only the fields given. Blank numbers are stored as unknown (null), never as 0.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import AuditedRecords, audited, locked
from rightstrack.core import values
from rightstrack.core.roles import can_manage
from rightstrack.core.types import User
from rightstrack.core.validation import Errors, check_known_fields, text
from rightstrack.core.web import RoleCheck
from rightstrack.plans.models import Measure
from rightstrack.presences.models import Presence
from rightstrack.recommendations.models import Recommendation
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.values import terms

from .models import Activity, Organization

TEXT_FIELDS = ("type", "title", "description", "place", "outputs", "outcomes")
DATE_FIELDS = ("start_date", "end_date")
PARTICIPANT_FIELDS = (
    "participants_total",
    "participants_women",
    "participants_men",
    "participants_with_disabilities",
)
TERM_FIELDS = {
    "target_populations": Scheme.SPOTLIGHT_POPULATION,
    "target_affected_persons": Scheme.AFFECTED_PERSONS,
    "thematic_pillars": Scheme.THEMATIC_PILLAR,
}
RELATED_FIELDS = {
    "partners": Organization,
    "donors": Organization,
    "recommendations": Recommendation,
    "measures": Measure,
}
MANY_FIELDS = (*TERM_FIELDS, *RELATED_FIELDS)
ACTIVITY_FIELDS = (
    "presence",
    *TEXT_FIELDS,
    *DATE_FIELDS,
    *PARTICIPANT_FIELDS,
    "cost_amount",
    "cost_currency",
    *MANY_FIELDS,
)
# An activity's own fields in the order of its page (its history, its exports' columns).
PAGE_FIELDS = (
    "presence",
    "type",
    "title",
    "description",
    *DATE_FIELDS,
    "place",
    "partners",
    "donors",
    "target_populations",
    "target_affected_persons",
    "thematic_pillars",
    *PARTICIPANT_FIELDS,
    "outputs",
    "outcomes",
    "cost_amount",
    "cost_currency",
)
# What the history shows: the fields, then what the activity answers.
AUDITED_FIELDS = (*PAGE_FIELDS, "recommendations", "measures")
ORGANIZATION_FIELDS = ("name", "kind", "country", "website")


class ActivityData(TypedDict, total=False):
    """An activity's fields as a form or the API gives them: numbers and dates as values or
    text, the presence as itself or its slug, terms as themselves or codes, related records as
    themselves or ids. An update gives only the fields it changes."""

    presence: Presence | str
    type: str
    title: str
    description: str
    place: str
    outputs: str
    outcomes: str
    start_date: date | str | None
    end_date: date | str | None
    participants_total: int | str | None
    participants_women: int | str | None
    participants_men: int | str | None
    participants_with_disabilities: int | str | None
    cost_amount: Decimal | int | str | None
    cost_currency: str
    target_populations: Iterable[Term | str] | str | None
    target_affected_persons: Iterable[Term | str] | str | None
    thematic_pillars: Iterable[Term | str] | str | None
    partners: Iterable[Organization | int | str] | None
    donors: Iterable[Organization | int | str] | None
    recommendations: Iterable[Recommendation | int | str] | None
    measures: Iterable[Measure | int | str] | None


class OrganizationData(TypedDict, total=False):
    """An organization's fields; ``country`` a State term or its code. An update gives only
    the fields it changes."""

    name: str
    kind: str
    country: Term | str | None
    website: str


require_manager = RoleCheck(
    can_manage, gettext_lazy("Only administrators and coordinators may change activities.")
)


def _presence(value: object, errors: Errors) -> Presence | None:
    if isinstance(value, Presence):
        return value
    slug = text(value)
    if not slug:
        errors.add("presence", _("Choose the field presence whose work this is."))
        return None
    presence = Presence.objects.filter(slug=slug).first()
    if presence is None:
        errors.add("presence", _("There is no field presence “%(slug)s”.") % {"slug": slug})
    return presence


def _apply_activity_data(
    activity: Activity, data: ActivityData, errors: Errors
) -> dict[str, Sequence[models.Model]]:
    """Normalise data onto the activity; returns the many-to-many values to set, by field."""
    check_known_fields(data, ACTIVITY_FIELDS, errors)
    given: Mapping[str, object] = data  # looked up by field names held in variables
    if "presence" in data:
        presence = _presence(data["presence"], errors)
        if presence is not None:  # else the error is on the presence field
            activity.presence = presence
    for name in TEXT_FIELDS:
        if name in given:
            setattr(activity, name, text(given[name]))
    for name in DATE_FIELDS:
        if name in given:
            setattr(activity, name, values.a_date(given[name], name, errors))
    for name in PARTICIPANT_FIELDS:
        if name in given:
            setattr(activity, name, values.a_whole_number(given[name], name, errors))
    if "cost_amount" in data:
        activity.cost_amount = values.an_amount(
            data["cost_amount"], "cost_amount", errors, model=Activity
        )
    if "cost_currency" in data:
        activity.cost_currency = values.a_currency(
            data["cost_currency"], "cost_currency", errors, default="USD"
        )
    many: dict[str, Sequence[models.Model]] = {}
    for name, scheme in TERM_FIELDS.items():
        if name in given:
            many[name] = terms(given[name], scheme, name, errors)
    for name, model in RELATED_FIELDS.items():
        if name in given:
            many[name] = values.records(given[name], model, name, errors)
    return many


def _validate_participants(activity: Activity, errors: Errors) -> None:
    for name in PARTICIPANT_FIELDS:
        number = getattr(activity, name)
        if number is not None and number < 0:
            errors.add(name, _("A number of participants cannot be negative."))
    if any(name in errors for name in PARTICIPANT_FIELDS):
        return
    total = activity.participants_total
    if total is None:
        return
    women, men = activity.participants_women, activity.participants_men
    known_parts = [number for number in (women, men) if number is not None]
    if sum(known_parts) > total:
        if len(known_parts) == 2:
            message = _(
                "Women and men together (%(parts)d) are more than the total (%(total)d)."
            ) % {"parts": sum(known_parts), "total": total}
            errors.add("participants_women", message)
            errors.add("participants_men", message)
        else:
            field = "participants_women" if women is not None else "participants_men"
            errors.add(
                field,
                _("This is more than the total number of participants (%(total)d).")
                % {"total": total},
            )
    disabilities = activity.participants_with_disabilities
    if disabilities is not None and disabilities > total:
        errors.add(
            "participants_with_disabilities",
            _("This is more than the total number of participants (%(total)d).") % {"total": total},
        )


def _validate_activity(activity: Activity, errors: Errors) -> None:
    start, end = activity.start_date, activity.end_date
    if start is not None and end is not None and end < start:
        errors.add("end_date", _("The end date cannot be before the start date."))
    _validate_participants(activity, errors)
    if activity.cost_amount is not None and activity.cost_amount < 0:
        errors.add("cost_amount", _("The cost cannot be negative."))
    # The model's own checks: required title and type, lengths, choices. Constraints are
    # covered above with a message on the field.
    invalid = {name for name in errors if name != "__all__"}
    exclude = invalid | set(MANY_FIELDS) | {"presence"}
    try:
        activity.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        errors.merge(error)
    if activity.presence_id is None and "presence" not in errors:
        errors.add("presence", _("Choose the field presence whose work this is."))


ACTIVITY_WRITES = AuditedRecords(
    Activity, require_manager, AUDITED_FIELDS, _apply_activity_data, _validate_activity
)


def activity_create(*, actor: User, data: ActivityData) -> Activity:
    return ACTIVITY_WRITES.create(actor, data)


def activity_update(*, actor: User, activity: Activity, data: ActivityData) -> Activity:
    """Change the fields given in data; nothing is written when nothing changes."""
    return ACTIVITY_WRITES.update(actor, activity, data)


def activity_set_published(*, actor: User, activity: Activity, published: bool) -> Activity:
    return ACTIVITY_WRITES.set_published(actor, activity, published)


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    require_manager(actor)
    activity = locked(activity)
    with audited(actor, activity, AUDITED_FIELDS, action=AuditEntry.Action.DELETE):
        activity.delete()


def _apply_organization_data(
    organization: Organization, data: OrganizationData, errors: Errors
) -> dict[str, Sequence[models.Model]]:
    """Normalise data onto the organization; it has no many-to-many values to set."""
    check_known_fields(data, ORGANIZATION_FIELDS, errors)
    given: Mapping[str, object] = data  # looked up by field names held in variables
    for name in ("name", "kind", "website"):
        if name in given:
            setattr(organization, name, text(given[name]))
    if "country" in data:
        countries = terms(data["country"], Scheme.STATE, "country", errors)
        organization.country = countries[0] if countries else None
    return {}


def _validate_organization(organization: Organization, errors: Errors) -> None:
    invalid = {name for name in errors if name != "__all__"}
    try:
        organization.full_clean(exclude=invalid, validate_constraints=False)
    except ValidationError as error:
        errors.merge(error)
    if organization.name and "name" not in errors:
        same_name = Organization.objects.annotate(lower_name=Lower("name")).filter(
            lower_name=organization.name.lower()
        )
        if organization.pk:
            same_name = same_name.exclude(pk=organization.pk)
        if same_name.exists():
            errors.add("name", _("There is already an organization with this name."))


ORGANIZATION_WRITES = AuditedRecords(
    Organization,
    require_manager,
    ORGANIZATION_FIELDS,
    _apply_organization_data,
    _validate_organization,
)


def organization_create(*, actor: User, data: OrganizationData) -> Organization:
    return ORGANIZATION_WRITES.create(actor, data)


def organization_update(
    *, actor: User, organization: Organization, data: OrganizationData
) -> Organization:
    """Change the fields given in data; nothing is written when nothing changes."""
    return ORGANIZATION_WRITES.update(actor, organization, data)
