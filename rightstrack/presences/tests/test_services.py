from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role
from rightstrack.presences.models import FeatureStory, Presence
from rightstrack.presences.services import (
    feature_story_create,
    feature_story_delete,
    feature_story_update,
    presence_create,
    presence_set_published,
    presence_update,
)

from .factories import FeatureStoryFactory, PresenceFactory
from .invalid_input import INVALID_PRESENCE_INPUT

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    return UserFactory(role=Role.COORDINATOR)


def _entries(presence):
    return list(
        AuditEntry.objects.filter(
            content_type__model="presence", object_id=str(presence.pk)
        ).order_by("id")
    )


def _error_fields(excinfo):
    return excinfo.value.message_dict


def test_it_creates_a_presence_with_terms_and_an_audit_entry(coordinator, presence_data):
    presence = presence_create(actor=coordinator, data=presence_data)

    presence.refresh_from_db()
    assert presence.country.code == "BLR"
    assert presence.budget_amount == Decimal("823000.00")
    assert presence.last_reviewed == date(2020, 11, 1)
    assert presence.staff_count is None
    assert presence.field_offices == ""
    assert presence.is_published is False
    assert presence.created_by == coordinator
    assert sorted(presence.thematic_pillars.values_list("code", flat=True)) == [
        "accountability",
        "mechanisms",
    ]
    assert list(presence.shifts.values_list("code", flat=True)) == ["inequalities"]
    [entry] = _entries(presence)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == coordinator
    assert entry.changes["title"]["new"] == "UN Human Rights in Belarus"
    assert entry.changes["thematic_pillars"]["new"] == ["Accountability", "Mechanisms"]
    # Facts left blank are not reported as "changed to empty".
    assert "staff_count" not in entry.changes
    assert "field_offices" not in entry.changes


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        *INVALID_PRESENCE_INPUT,
        ({"deployment_start_year": 1200}, "deployment_start_year", "Enter a year between"),
        ({"deployment_end_year": 2200}, "deployment_end_year", "Enter a year between"),
        ({"slug": "not a slug"}, "slug", "Enter a valid “slug”"),
        ({"slug": "new"}, "slug", "This slug is reserved"),
        ({"title": ""}, "title", "This field cannot be blank."),
        ({"engagement_type": "embassy"}, "engagement_type", "is not a valid choice"),
        ({"region": "atlantis"}, "region", "is not a valid choice"),
        ({"budget_amount": "lots"}, "budget_amount", "Enter a number."),
        ({"staff_count": "2.5"}, "staff_count", "Enter a whole number."),
        ({"budget_currency": "dollars"}, "budget_currency", "three-letter currency code"),
        ({"last_reviewed": "November 2020"}, "last_reviewed", "YYYY-MM"),
        ({"country": "XXX"}, "country", "“XXX” is not in the vocabulary “State”."),
        ({"colour": "blue"}, "colour", "Unknown field."),
    ],
)
def test_it_refuses_invalid_input_with_a_message_on_the_field(
    coordinator, presence_data, changes, field, message
):
    with pytest.raises(ValidationError) as excinfo:
        presence_create(actor=coordinator, data={**presence_data, **changes})

    assert any(message in text for text in _error_fields(excinfo)[field])
    assert not Presence.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_refuses_terms_of_another_vocabulary(coordinator, presence_data):
    data = {**presence_data, "thematic_pillars": ["mechanisms", "civic-space"], "shifts": ["women"]}

    with pytest.raises(ValidationError) as excinfo:
        presence_create(actor=coordinator, data=data)

    errors = _error_fields(excinfo)
    assert errors["thematic_pillars"] == [
        "“civic-space” is not in the vocabulary “Thematic pillar”."
    ]
    assert errors["shifts"] == ["“women” is not in the vocabulary “Shift”."]


def test_it_refuses_a_slug_already_taken(coordinator, presence_data):
    PresenceFactory(slug="belarus")

    with pytest.raises(ValidationError) as excinfo:
        presence_create(actor=coordinator, data=presence_data)

    assert "already exists" in _error_fields(excinfo)["slug"][0]


def test_it_accepts_an_open_ended_deployment_and_zero_staff(coordinator, presence_data):
    data = {**presence_data, "deployment_end_year": None, "staff_count": 0, "budget_amount": 0}

    presence = presence_create(actor=coordinator, data=data)

    assert presence.deployment_end_year is None
    assert presence.staff_count == 0
    assert presence.budget_amount == Decimal("0.00")


@pytest.mark.parametrize("role", [None, Role.FOCAL_POINT, Role.CIVIL_SOCIETY, Role.VIEWER])
def test_it_lets_only_managers_write(presence_data, role):
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if role is None else UserFactory(role=role)
    presence = PresenceFactory()
    story = FeatureStoryFactory(presence=presence)

    with pytest.raises(PermissionDenied):
        presence_create(actor=actor, data=presence_data)
    with pytest.raises(PermissionDenied):
        presence_update(actor=actor, presence=presence, data={"title": "Changed"})
    with pytest.raises(PermissionDenied):
        presence_set_published(actor=actor, presence=presence, published=False)
    with pytest.raises(PermissionDenied):
        feature_story_create(actor=actor, presence=presence, data={"title": "A story"})
    with pytest.raises(PermissionDenied):
        feature_story_update(actor=actor, story=story, data={"title": "Changed"})
    with pytest.raises(PermissionDenied):
        feature_story_delete(actor=actor, story=story)
    presence.refresh_from_db()
    assert presence.is_published is True
    assert FeatureStory.objects.count() == 1


def test_it_lets_an_administrator_write(presence_data):
    administrator = UserFactory(role=Role.ADMINISTRATOR)

    presence = presence_create(actor=administrator, data=presence_data)

    assert presence.pk is not None


def test_it_sanitises_areas_of_focus(coordinator, presence_data):
    data = {
        **presence_data,
        "areas_of_focus": '<p onclick="x()">Safe <strong>bold</strong></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a><a href="https://ohchr.org">good</a>'
        "<h3>Heading</h3><img src=x><ul><li>item</li></ul>",
    }

    presence = presence_create(actor=coordinator, data=data)

    html = presence.areas_of_focus
    assert "<p>Safe <strong>bold</strong></p>" in html
    assert "script" not in html
    assert "alert" not in html
    assert "onclick" not in html
    assert "<img" not in html
    assert 'href="https://ohchr.org"' in html
    assert "<h3>Heading</h3>" in html
    assert "<ul><li>item</li></ul>" in html


def test_it_records_each_changed_field_from_what_to_what(coordinator, presence_data):
    presence = presence_create(actor=coordinator, data=presence_data)

    presence_update(
        actor=coordinator,
        presence=presence,
        data={
            "title": "UN Human Rights Office in Belarus",
            "staff_count": 4,
            "budget_amount": "900000",
            "thematic_pillars": ["mechanisms", "participation"],
        },
    )

    entry = _entries(presence)[-1]
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {
        "title": {
            "label": "title",
            "old": "UN Human Rights in Belarus",
            "new": "UN Human Rights Office in Belarus",
        },
        "staff_count": {"label": "number of staff", "old": None, "new": "4"},
        "budget_amount": {"label": "annual budget needs", "old": "823000.00", "new": "900000.00"},
        "thematic_pillars": {
            "label": "thematic pillars",
            "old": ["Accountability", "Mechanisms"],
            "new": ["Mechanisms", "Participation"],
        },
    }
    presence.refresh_from_db()
    assert presence.staff_count == 4
    assert sorted(presence.thematic_pillars.values_list("code", flat=True)) == [
        "mechanisms",
        "participation",
    ]


def test_it_writes_nothing_when_an_update_changes_nothing(coordinator, presence_data):
    presence = presence_create(actor=coordinator, data=presence_data)
    stamp = Presence.objects.get(pk=presence.pk).updated_at

    presence_update(actor=coordinator, presence=presence, data=presence_data)

    assert len(_entries(presence)) == 1
    assert Presence.objects.get(pk=presence.pk).updated_at == stamp


def test_it_ignores_unsaved_edits_on_the_instance_it_is_given(coordinator, presence_data):
    presence = presence_create(actor=coordinator, data=presence_data)
    presence.title = "Edited elsewhere, never saved"

    presence_update(actor=coordinator, presence=presence, data={"title": "New title"})

    assert _entries(presence)[-1].changes["title"]["old"] == "UN Human Rights in Belarus"


def test_it_validates_a_partial_update_against_the_stored_values(coordinator, presence_data):
    presence = presence_create(actor=coordinator, data=presence_data)

    with pytest.raises(ValidationError) as excinfo:
        presence_update(actor=coordinator, presence=presence, data={"deployment_end_year": 2017})

    assert "deployment_end_year" in _error_fields(excinfo)
    presence.refresh_from_db()
    assert presence.deployment_end_year == 2021


def test_it_publishes_and_unpublishes_once(coordinator, presence_data):
    presence = presence_create(actor=coordinator, data=presence_data)

    presence_set_published(actor=coordinator, presence=presence, published=True)
    presence_set_published(actor=coordinator, presence=presence, published=True)
    presence_set_published(actor=coordinator, presence=presence, published=False)

    actions = [entry.action for entry in _entries(presence)]
    assert actions == [
        AuditEntry.Action.CREATE,
        AuditEntry.Action.PUBLISH,
        AuditEntry.Action.UNPUBLISH,
    ]
    assert _entries(presence)[1].changes["is_published"]["new"] is True
    presence.refresh_from_db()
    assert presence.is_published is False


def test_it_manages_feature_stories_in_the_presence_history(coordinator):
    presence = PresenceFactory()

    story = feature_story_create(
        actor=coordinator,
        presence=presence,
        data={"title": "Legal aid for all", "url": "https://ohchr.org/story", "summary": ""},
    )
    feature_story_update(actor=coordinator, story=story, data={"title": "Free legal aid"})
    feature_story_update(actor=coordinator, story=story, data={"title": "Free legal aid"})
    feature_story_delete(actor=coordinator, story=story)

    notes = [entry.note for entry in _entries(presence)]
    assert notes == ["feature story added", "feature story changed", "feature story removed"]
    added, changed, removed = _entries(presence)
    assert added.changes["feature_story.title"]["new"] == "Legal aid for all"
    assert changed.changes["feature_story.title"] == {
        "label": "Feature story “Free legal aid”: title",
        "old": "Legal aid for all",
        "new": "Free legal aid",
    }
    assert removed.changes["feature_story.url"]["old"] == "https://ohchr.org/story"
    assert not FeatureStory.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "A story", "url": "not a link"}, "url"),
        ({"title": "A story", "published_on": "yesterday"}, "published_on"),
    ],
)
def test_it_refuses_an_invalid_feature_story(coordinator, data, field):
    presence = PresenceFactory()

    with pytest.raises(ValidationError) as excinfo:
        feature_story_create(actor=coordinator, presence=presence, data=data)

    assert field in _error_fields(excinfo)
    assert not FeatureStory.objects.exists()
