"""Every write to presences and their feature stories: validated, permission-checked, audited."""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import Changes, audited
from rightstrack.core.roles import can_manage
from rightstrack.core.sanitize import sanitize_html
from rightstrack.core.validation import Errors, check_known_fields, text
from rightstrack.taxonomy.models import Scheme, Term

from .models import FeatureStory, Presence

# Years a deployment may start or end in: from the founding of the UN to a generous horizon.
MIN_YEAR = 1945
MAX_YEAR = 2100

TEXT_FIELDS = (
    "slug",
    "title",
    "role_summary",
    "engagement_type",
    "region",
    "field_offices",
    "partners",
    "donors",
    "contact_division",
    "contact_section",
    "contact_location",
    "contact_email",
)
YEAR_FIELDS = ("deployment_start_year", "deployment_end_year")
TERM_FIELDS = {
    "thematic_pillars": Scheme.THEMATIC_PILLAR,
    "shifts": Scheme.SHIFT,
    "spotlight_populations": Scheme.SPOTLIGHT_POPULATION,
}
PRESENCE_FIELDS = (
    *TEXT_FIELDS,
    *YEAR_FIELDS,
    "country",
    "staff_count",
    "budget_amount",
    "budget_currency",
    "areas_of_focus",
    "last_reviewed",
    *TERM_FIELDS,
)
# What the history shows: every field a person can edit, in the profile's order.
AUDITED_FIELDS = (
    "slug",
    "country",
    "title",
    "role_summary",
    "engagement_type",
    "region",
    *YEAR_FIELDS,
    "field_offices",
    "staff_count",
    "budget_amount",
    "budget_currency",
    "areas_of_focus",
    "partners",
    "donors",
    *TERM_FIELDS,
    "last_reviewed",
    "contact_division",
    "contact_section",
    "contact_location",
    "contact_email",
)
STORY_FIELDS = ("title", "url", "summary", "published_on")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
# Path segments of the presence pages that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new"})


def require_manager(actor):
    """Refuse anyone but administrators and coordinators (the pages and the API ask first, so
    that a form is not even shown to someone who may not send it)."""
    if not can_manage(actor):
        raise PermissionDenied(
            _("Only administrators and coordinators may change field presences.")
        )


def _whole_number(value, field, errors):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.add(field, _("Enter a whole number."))
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add(field, _("Enter a whole number."))
        return None
    if number != number.to_integral_value():
        errors.add(field, _("Enter a whole number."))
        return None
    return int(number)


def _amount(value, field, errors):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.add(field, _("Enter a number."))
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add(field, _("Enter a number."))
        return None
    if not amount.is_finite():
        errors.add(field, _("Enter a number."))
        return None
    # Two decimals always, so an unchanged budget compares equal to the stored one.
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _month(value, field, errors):
    """A date kept as the first day of its month: only month and year are meaningful."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.replace(day=1)
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", str(value).strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3] or 1)).replace(day=1)
        except ValueError:
            pass
    errors.add(field, _("Enter a month as YYYY-MM."))
    return None


def _term(value, scheme, field, errors):
    if value is None or value == "":
        return None
    code = value.code if isinstance(value, Term) else str(value).strip()
    term = Term.objects.filter(scheme=scheme, code=code).first()
    if term is None:
        errors.add(
            field,
            _("“%(code)s” is not in the vocabulary “%(scheme)s”.")
            % {
                "code": code,
                "scheme": Scheme(scheme).label,
            },
        )
    return term


def _terms(values, scheme, field, errors):
    if values is None:
        return []
    if isinstance(values, str | Term):
        values = [values]
    codes = []
    for value in values:
        code = value.code if isinstance(value, Term) else str(value).strip()
        if code and code not in codes:
            codes.append(code)
    found = {term.code: term for term in Term.objects.filter(scheme=scheme, code__in=codes)}
    for code in codes:
        if code not in found:
            errors.add(
                field,
                _("“%(code)s” is not in the vocabulary “%(scheme)s”.")
                % {
                    "code": code,
                    "scheme": Scheme(scheme).label,
                },
            )
    return [found[code] for code in codes if code in found]


def _apply_presence_data(presence, data, errors):
    """Normalise data onto the presence; returns the many-to-many terms to set, by field."""
    check_known_fields(data, PRESENCE_FIELDS, errors)
    for name in TEXT_FIELDS:
        if name in data:
            setattr(presence, name, text(data[name]))
    if "contact_email" in data:
        presence.contact_email = presence.contact_email.lower()
    for name in (*YEAR_FIELDS, "staff_count"):
        if name in data:
            setattr(presence, name, _whole_number(data[name], name, errors))
    if "budget_amount" in data:
        presence.budget_amount = _amount(data["budget_amount"], "budget_amount", errors)
    if "budget_currency" in data:
        presence.budget_currency = text(data["budget_currency"]).upper() or "USD"
    if "areas_of_focus" in data:
        presence.areas_of_focus = sanitize_html(text(data["areas_of_focus"]))
    if "last_reviewed" in data:
        presence.last_reviewed = _month(data["last_reviewed"], "last_reviewed", errors)
    if "country" in data:
        presence.country = _term(data["country"], Scheme.STATE, "country", errors)
    terms = {}
    for name, scheme in TERM_FIELDS.items():
        if name in data:
            values = data[name]
            if isinstance(values, QuerySet):
                values = list(values)
            terms[name] = _terms(values, scheme, name, errors)
    return terms


def _validate_presence(presence, errors):
    for name in YEAR_FIELDS:
        year = getattr(presence, name)
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            errors.add(
                name,
                _("Enter a year between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            )
    start, end = presence.deployment_start_year, presence.deployment_end_year
    if start is not None and end is not None and end < start:
        errors.add("deployment_end_year", _("The end year cannot be before the start year."))
    if end is not None and start is None:
        errors.add("deployment_start_year", _("Give the start year when there is an end year."))
    if presence.staff_count is not None and presence.staff_count < 0:
        errors.add("staff_count", _("The number of staff cannot be negative."))
    if presence.budget_amount is not None and presence.budget_amount < 0:
        errors.add("budget_amount", _("The budget cannot be negative."))
    if presence.slug in RESERVED_SLUGS:
        errors.add("slug", _("This slug is reserved; choose another."))
    if not CURRENCY_CODE.match(presence.budget_currency or ""):
        errors.add("budget_currency", _("Enter a three-letter currency code such as USD."))
    # The model's own field checks: required fields, lengths, choices, slug format, email
    # address, unique slug. The check constraints are covered above, with messages per field.
    invalid = {name for name in errors if name != "__all__"}
    try:
        presence.full_clean(exclude=invalid | set(TERM_FIELDS), validate_constraints=False)
    except ValidationError as error:
        errors.merge(error)


@transaction.atomic
def presence_create(*, actor, data):
    require_manager(actor)
    errors = Errors()
    presence = Presence(created_by=actor)
    terms = _apply_presence_data(presence, data, errors)
    _validate_presence(presence, errors)
    errors.raise_if_any()
    with audited(actor, presence, AUDITED_FIELDS, action=AuditEntry.Action.CREATE):
        presence.save()
        for name, values in terms.items():
            getattr(presence, name).set(values)
    return presence


@transaction.atomic
def presence_update(*, actor, presence, data):
    """Change the fields given in data (a partial update); nothing is written if none changed."""
    require_manager(actor)
    # A fresh, locked copy: the caller's instance may already hold unsaved edits.
    presence = Presence.objects.select_for_update().get(pk=presence.pk)
    with audited(
        actor,
        presence,
        AUDITED_FIELDS,
        skip_unchanged=True,
    ) as change:
        errors = Errors()
        terms = _apply_presence_data(presence, data, errors)
        _validate_presence(presence, errors)
        errors.raise_if_any()
        # The new terms are set only if something changed.
        if not change.pending(terms):
            return presence
        presence.save()
        for name, values in terms.items():
            getattr(presence, name).set(values)
    return presence


@transaction.atomic
def presence_set_published(*, actor, presence, published):
    require_manager(actor)
    presence = Presence.objects.select_for_update().get(pk=presence.pk)
    published = bool(published)
    if presence.is_published == published:
        return presence
    with audited(
        actor,
        presence,
        ["is_published"],
        action=AuditEntry.Action.PUBLISH if published else AuditEntry.Action.UNPUBLISH,
    ):
        presence.is_published = published
        presence.save(update_fields=["is_published", "updated_at"])
    return presence


def _apply_story_data(story, data, errors):
    check_known_fields(data, STORY_FIELDS, errors)
    for name in ("title", "url", "summary"):
        if name in data:
            setattr(story, name, text(data[name]))
    if "published_on" in data:
        value = data["published_on"]
        if value in (None, ""):
            story.published_on = None
        elif isinstance(value, date):
            story.published_on = value
        else:
            try:
                story.published_on = date.fromisoformat(str(value).strip())
            except ValueError:
                errors.add("published_on", _("Enter a date as YYYY-MM-DD."))
    invalid = set(errors)
    try:
        story.full_clean(exclude=invalid | {"presence"})
    except ValidationError as error:
        errors.merge(error)


def _as_presence_changes(story):
    """A story's changes are shown in its presence's history, labelled with the story's title."""

    def relabel(changes: Changes) -> Changes:
        return {
            f"feature_story.{name}": {
                **change,
                "label": _("Feature story “%(title)s”: %(field)s")
                % {"title": story.title, "field": change["label"]},
            }
            for name, change in changes.items()
        }

    return relabel


def _audited_story(*, actor, story, presence, note, skip_unchanged=False):
    return audited(
        actor,
        story,
        STORY_FIELDS,
        note=note,
        skip_unchanged=skip_unchanged,
        entry_for=presence,
        relabel=_as_presence_changes(story),
    )


@transaction.atomic
def feature_story_create(*, actor, presence, data):
    require_manager(actor)
    errors = Errors()
    story = FeatureStory(presence=presence)
    _apply_story_data(story, data, errors)
    errors.raise_if_any()
    with _audited_story(actor=actor, story=story, presence=presence, note=_("feature story added")):
        story.save()
    return story


@transaction.atomic
def feature_story_update(*, actor, story, data):
    require_manager(actor)
    story = FeatureStory.objects.select_for_update().select_related("presence").get(pk=story.pk)
    with _audited_story(
        actor=actor,
        story=story,
        presence=story.presence,
        note=_("feature story changed"),
        skip_unchanged=True,
    ) as change:
        errors = Errors()
        _apply_story_data(story, data, errors)
        errors.raise_if_any()
        if not change.pending():
            return story
        story.save()
    return story


@transaction.atomic
def feature_story_delete(*, actor, story):
    require_manager(actor)
    story = FeatureStory.objects.select_for_update().select_related("presence").get(pk=story.pk)
    with _audited_story(
        actor=actor, story=story, presence=story.presence, note=_("feature story removed")
    ):
        story.delete()
