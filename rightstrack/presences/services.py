"""Every write to presences and their feature stories: validated, permission-checked, audited."""

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.audit.services import AuditedChange, AuditedRecords, Changes, audited
from rightstrack.core.roles import can_manage
from rightstrack.core.sanitize import rich_text_from_input
from rightstrack.core.types import User
from rightstrack.core.validation import Errors, check_known_fields, text
from rightstrack.core.values import (
    a_currency,
    a_date,
    a_month,
    a_whole_number,
    a_year,
    an_amount,
)
from rightstrack.core.web import RoleCheck
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.values import a_term, terms

from .models import FeatureStory, Presence

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
# Path segments of the presence pages that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new"})


class PresenceData(TypedDict, total=False):
    """A presence's fields as a form or the API gives them: numbers, dates and terms as values
    or text (terms by code). An update gives only the fields it changes."""

    slug: str
    title: str
    role_summary: str
    engagement_type: str
    region: str
    field_offices: str
    partners: str
    donors: str
    contact_division: str
    contact_section: str
    contact_location: str
    contact_email: str
    deployment_start_year: int | str | None
    deployment_end_year: int | str | None
    country: Term | str | None
    staff_count: int | str | None
    budget_amount: Decimal | int | str | None
    budget_currency: str
    areas_of_focus: str
    last_reviewed: date | str | None  # a month, "YYYY-MM"
    thematic_pillars: Iterable[Term | str] | str | None
    shifts: Iterable[Term | str] | str | None
    spotlight_populations: Iterable[Term | str] | str | None


class StoryData(TypedDict, total=False):
    """A feature story's fields; an update gives only the fields it changes."""

    title: str
    url: str
    summary: str
    published_on: date | str | None


# Refuse anyone but administrators and coordinators (the pages and the API ask first, so
# that a form is not even shown to someone who may not send it).
require_manager = RoleCheck(
    can_manage, gettext_lazy("Only administrators and coordinators may change field presences.")
)


def _apply_presence_data(
    presence: Presence, data: PresenceData, errors: Errors
) -> dict[str, list[Term]]:
    """Normalise data onto the presence; returns the many-to-many terms to set, by field."""
    check_known_fields(data, PRESENCE_FIELDS, errors)
    given: Mapping[str, object] = data  # looked up by field names held in variables
    for name in TEXT_FIELDS:
        if name in given:
            setattr(presence, name, text(given[name]))
    if "contact_email" in data:
        presence.contact_email = presence.contact_email.lower()
    for name in YEAR_FIELDS:
        if name in given:
            setattr(presence, name, a_year(given[name], name, errors))
    if "staff_count" in data:
        presence.staff_count = a_whole_number(data["staff_count"], "staff_count", errors)
    if "budget_amount" in data:
        presence.budget_amount = an_amount(
            data["budget_amount"], "budget_amount", errors, model=Presence
        )
    if "budget_currency" in data:
        presence.budget_currency = a_currency(
            data["budget_currency"], "budget_currency", errors, default="USD"
        )
    if "areas_of_focus" in data:
        presence.areas_of_focus = rich_text_from_input(text(data["areas_of_focus"]))
    if "last_reviewed" in data:
        presence.last_reviewed = a_month(data["last_reviewed"], "last_reviewed", errors)
    if "country" in data:
        presence.country = a_term(data["country"], Scheme.STATE, "country", errors)
    return {
        name: terms(given[name], scheme, name, errors)
        for name, scheme in TERM_FIELDS.items()
        if name in given
    }


def _validate_presence(presence: Presence, errors: Errors) -> None:
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
    # The model's own field checks: required fields, lengths, choices, slug format, email
    # address, unique slug. The check constraints are covered above, with messages per field.
    invalid = {name for name in errors if name != "__all__"}
    try:
        presence.full_clean(exclude=invalid | set(TERM_FIELDS), validate_constraints=False)
    except ValidationError as error:
        errors.merge(error)


PRESENCE_WRITES = AuditedRecords(
    Presence, require_manager, AUDITED_FIELDS, _apply_presence_data, _validate_presence
)


def presence_create(*, actor: User, data: PresenceData) -> Presence:
    return PRESENCE_WRITES.create(actor, data)


def presence_update(*, actor: User, presence: Presence, data: PresenceData) -> Presence:
    """Change the fields given in data (a partial update); nothing is written if none changed."""
    return PRESENCE_WRITES.update(actor, presence, data)


def presence_set_published(*, actor: User, presence: Presence, published: bool) -> Presence:
    return PRESENCE_WRITES.set_published(actor, presence, published)


def _apply_story_data(story: FeatureStory, data: StoryData, errors: Errors) -> None:
    check_known_fields(data, STORY_FIELDS, errors)
    for name in ("title", "url", "summary"):
        if name in data:
            setattr(story, name, text(data[name]))
    if "published_on" in data:
        story.published_on = a_date(data["published_on"], "published_on", errors)
    invalid = set(errors)
    try:
        story.full_clean(exclude=invalid | {"presence"})
    except ValidationError as error:
        errors.merge(error)


def _as_presence_changes(story: FeatureStory) -> Callable[[Changes], Changes]:
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


def _audited_story(
    *,
    actor: User,
    story: FeatureStory,
    presence: Presence,
    note: str,
    skip_unchanged: bool = False,
) -> AbstractContextManager[AuditedChange]:
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
def feature_story_create(*, actor: User, presence: Presence, data: StoryData) -> FeatureStory:
    require_manager(actor)
    errors = Errors()
    story = FeatureStory(presence=presence)
    _apply_story_data(story, data, errors)
    errors.raise_if_any()
    with _audited_story(actor=actor, story=story, presence=presence, note=_("feature story added")):
        story.save()
    return story


@transaction.atomic
def feature_story_update(*, actor: User, story: FeatureStory, data: StoryData) -> FeatureStory:
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
def feature_story_delete(*, actor: User, story: FeatureStory) -> None:
    require_manager(actor)
    story = FeatureStory.objects.select_for_update().select_related("presence").get(pk=story.pk)
    with _audited_story(
        actor=actor, story=story, presence=story.presence, note=_("feature story removed")
    ):
        story.delete()
