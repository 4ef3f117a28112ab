"""Writing activities and organizations: validation, unknown values, permissions, audit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from rightstrack.activities.models import Activity, OrganizationKind
from rightstrack.activities.services import (
    activity_create,
    activity_delete,
    activity_set_published,
    activity_update,
    organization_create,
    organization_update,
)
from rightstrack.audit.models import AuditEntry

from .factories import ActivityFactory, MeasureFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def _errors(excinfo):
    return excinfo.value.message_dict


def test_it_records_an_activity_with_every_field(users, activity_data, organization, terms):
    recommendation = RecommendationFactory()
    measure = MeasureFactory()
    data = {**activity_data, "recommendations": [recommendation.pk], "measures": [measure.pk]}

    activity = activity_create(actor=users["coordinator"], data=data)

    activity.refresh_from_db()
    assert activity.presence.slug == "belarus"
    assert activity.title == "Training of lawyers on non-discrimination"
    assert str(activity.start_date) == "2020-03-02"
    assert activity.participants_total == 30
    assert activity.cost_amount == Decimal("1500.00")
    assert list(activity.partners.all()) == [organization]
    assert [t.code for t in activity.thematic_pillars.all()] == ["non-discrimination"]
    assert [t.code for t in activity.target_populations.all()] == ["women"]
    assert [t.code for t in activity.target_affected_persons.all()] == ["persons-with-disabilities"]
    assert list(activity.recommendations.all()) == [recommendation]
    assert list(activity.measures.all()) == [measure]
    assert activity.is_published is False
    assert activity.created_by == users["coordinator"]
    entry = AuditEntry.objects.get(
        content_type__model="activity", object_id=str(activity.pk), action="create"
    )
    assert entry.actor == users["coordinator"]
    assert entry.changes["partners"]["new"] == ["Bar association of Minsk"]
    assert entry.changes["participants_total"]["new"] == "30"


def test_it_keeps_blank_numbers_unknown_never_zero(users, activity_data):
    data = {
        **activity_data,
        "participants_total": "",
        "participants_women": None,
        "participants_men": "",
        "participants_with_disabilities": None,
        "cost_amount": "",
        "start_date": "",
        "end_date": None,
    }

    activity = activity_create(actor=users["administrator"], data=data)

    activity.refresh_from_db()
    assert activity.participants_total is None
    assert activity.participants_women is None
    assert activity.participants_men is None
    assert activity.participants_with_disabilities is None
    assert activity.cost_amount is None
    assert activity.start_date is None
    assert activity.end_date is None


def test_it_keeps_a_real_zero_as_zero(users, activity_data):
    data = {**activity_data, "participants_with_disabilities": 0}

    activity = activity_create(actor=users["administrator"], data=data)

    activity.refresh_from_db()
    assert activity.participants_with_disabilities == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"participants_total": 20, "participants_women": 15, "participants_men": 10},
            "participants_women",
            "Women and men together (25) are more than the total (20).",
        ),
        (
            {"participants_total": 20, "participants_women": 15, "participants_men": 10},
            "participants_men",
            "Women and men together (25) are more than the total (20).",
        ),
        (
            {"participants_total": 10, "participants_women": 11, "participants_men": None},
            "participants_women",
            "This is more than the total number of participants (10).",
        ),
        (
            {"participants_total": 10, "participants_women": None, "participants_men": 11},
            "participants_men",
            "This is more than the total number of participants (10).",
        ),
        (
            {"participants_total": 10, "participants_with_disabilities": 11},
            "participants_with_disabilities",
            "This is more than the total number of participants (10).",
        ),
        (
            {"participants_total": -1},
            "participants_total",
            "A number of participants cannot be negative.",
        ),
        (
            {"participants_women": -3},
            "participants_women",
            "A number of participants cannot be negative.",
        ),
        ({"participants_men": "2.5"}, "participants_men", "Enter a whole number."),
        ({"participants_total": "many"}, "participants_total", "Enter a whole number."),
        (
            {"start_date": "2020-05-10", "end_date": "2020-05-09"},
            "end_date",
            "The end date cannot be before the start date.",
        ),
        ({"start_date": "10/05/2020"}, "start_date", "Enter a date as YYYY-MM-DD."),
        ({"cost_amount": "-5"}, "cost_amount", "The cost cannot be negative."),
        ({"cost_amount": "a lot"}, "cost_amount", "Enter a number."),
        (
            {"cost_currency": "dollars"},
            "cost_currency",
            "Enter a three-letter currency code such as USD.",
        ),
        ({"title": "  "}, "title", "This field cannot be blank."),
        ({"type": "party"}, "type", "Value 'party' is not a valid choice."),
        ({"presence": "nowhere"}, "presence", "There is no field presence “nowhere”."),
        ({"presence": ""}, "presence", "Choose the field presence whose work this is."),
        (
            {"thematic_pillars": ["women"]},
            "thematic_pillars",
            "“women” is not in the vocabulary “Thematic pillar”.",
        ),
        ({"partners": [999999]}, "partners", "There is no organization with the number 999999."),
        (
            {"recommendations": [999999]},
            "recommendations",
            "There is no recommendation with the number 999999.",
        ),
        ({"measures": ["x"]}, "measures", "Enter a whole number."),
        ({"colour": "blue"}, "colour", "Unknown field."),
    ],
)
def test_it_refuses_invalid_input_with_a_message_on_the_field(
    users, activity_data, changes, field, message
):
    with pytest.raises(ValidationError) as excinfo:
        activity_create(actor=users["coordinator"], data={**activity_data, **changes})

    assert message in _errors(excinfo)[field]
    assert not Activity.objects.exists()


def test_it_accepts_parts_equal_to_the_total_and_parts_without_a_total(users, activity_data):
    equal = activity_create(
        actor=users["coordinator"],
        data={
            **activity_data,
            "participants_total": 30,
            "participants_women": 30,
            "participants_men": 0,
            "participants_with_disabilities": 30,
        },
    )
    no_total = activity_create(
        actor=users["coordinator"],
        data={
            **activity_data,
            "title": "Another",
            "participants_total": None,
            "participants_women": 400,
            "participants_men": 3,
        },
    )

    assert equal.participants_women == 30
    assert no_total.participants_total is None
    assert no_total.participants_women == 400


def test_it_accepts_a_single_day_and_an_unknown_start(users, activity_data):
    same_day = activity_create(
        actor=users["coordinator"],
        data={**activity_data, "start_date": "2020-05-10", "end_date": "2020-05-10"},
    )
    no_start = activity_create(
        actor=users["coordinator"],
        data={**activity_data, "title": "Ongoing", "start_date": None, "end_date": "2021-01-01"},
    )

    assert same_day.end_date == same_day.start_date
    assert no_start.start_date is None


def test_the_database_refuses_parts_above_the_total_that_bypass_the_services(presence):
    activity = ActivityFactory(presence=presence, participants_total=5)
    activity.participants_women = 4
    activity.participants_men = 4
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


@pytest.mark.parametrize(
    "role", ["anonymous", "focal_point", "civil_society", "viewer", "outsider"]
)
def test_it_lets_only_managers_write(users, activity_data, organization, role):
    activity = ActivityFactory()
    with pytest.raises(PermissionDenied):
        activity_create(actor=users[role], data=activity_data)
    with pytest.raises(PermissionDenied):
        activity_update(actor=users[role], activity=activity, data={"title": "Changed"})
    with pytest.raises(PermissionDenied):
        activity_set_published(actor=users[role], activity=activity, published=False)
    with pytest.raises(PermissionDenied):
        activity_delete(actor=users[role], activity=activity)
    with pytest.raises(PermissionDenied):
        organization_create(actor=users[role], data={"name": "X", "kind": "ngo"})
    with pytest.raises(PermissionDenied):
        organization_update(actor=users[role], organization=organization, data={"name": "Y"})
    activity.refresh_from_db()
    assert activity.title != "Changed"


def test_it_updates_only_the_fields_given_and_records_what_changed(users, activity_data):
    activity = activity_create(actor=users["coordinator"], data=activity_data)

    activity_update(
        actor=users["administrator"],
        activity=activity,
        data={
            "participants_total": None,
            "participants_women": None,
            "participants_men": None,
            "participants_with_disabilities": None,
            "thematic_pillars": ["accountability"],
        },
    )

    activity.refresh_from_db()
    assert activity.participants_total is None
    assert activity.title == "Training of lawyers on non-discrimination"
    assert activity.place == "Minsk"
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == users["administrator"]
    assert entry.changes["participants_total"] == {
        "label": "participants (total)",
        "old": "30",
        "new": None,
    }
    assert entry.changes["thematic_pillars"]["old"] == ["Non discrimination"]
    assert entry.changes["thematic_pillars"]["new"] == ["Accountability"]
    assert "place" not in entry.changes


def test_it_writes_nothing_when_an_update_changes_nothing(users, activity_data):
    activity = activity_create(actor=users["coordinator"], data=activity_data)
    stamp = Activity.objects.get().updated_at

    activity_update(actor=users["coordinator"], activity=activity, data=activity_data)

    assert Activity.objects.get().updated_at == stamp
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_it_refuses_an_invalid_update_and_keeps_the_stored_values(users, activity_data):
    activity = activity_create(actor=users["coordinator"], data=activity_data)

    with pytest.raises(ValidationError) as excinfo:
        activity_update(
            actor=users["coordinator"], activity=activity, data={"participants_total": 29}
        )

    assert "participants_women" in _errors(excinfo)
    activity.refresh_from_db()
    assert activity.participants_total == 30


def test_it_publishes_unpublishes_and_deletes_with_an_audit_entry(users, activity_data):
    activity = activity_create(actor=users["coordinator"], data=activity_data)

    activity_set_published(actor=users["coordinator"], activity=activity, published=True)
    activity_set_published(actor=users["coordinator"], activity=activity, published=True)
    activity_set_published(actor=users["coordinator"], activity=activity, published=False)
    activity_delete(actor=users["coordinator"], activity=activity)

    actions = list(
        AuditEntry.objects.filter(content_type__model="activity", object_id=str(activity.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "publish", "unpublish", "delete"]
    assert not Activity.objects.exists()


def test_it_keeps_organization_names_unique_whatever_their_case(users):
    organization_create(
        actor=users["coordinator"],
        data={"name": "Belarusian Bar Association", "kind": "bar-association"},
    )

    with pytest.raises(ValidationError) as excinfo:
        organization_create(
            actor=users["coordinator"],
            data={"name": "belarusian bar association", "kind": "ngo"},
        )

    assert _errors(excinfo)["name"] == ["There is already an organization with this name."]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "kind": "ngo"}, "name"),
        ({"name": "X", "kind": "club"}, "kind"),
        ({"name": "X", "kind": "ngo", "website": "not a link"}, "website"),
        ({"name": "X", "kind": "ngo", "country": "ATLANTIS"}, "country"),
    ],
)
def test_it_refuses_an_invalid_organization(users, terms, data, field):
    with pytest.raises(ValidationError) as excinfo:
        organization_create(actor=users["coordinator"], data=data)

    assert field in _errors(excinfo)


def test_it_creates_and_renames_an_organization_with_its_history(users, terms):
    organization = organization_create(
        actor=users["coordinator"],
        data={
            "name": "Ministry of Justice",
            "kind": "government",
            "country": "BLR",
            "website": "https://minjust.gov.by/",
        },
    )

    organization_update(
        actor=users["coordinator"], organization=organization, data={"name": "MoJ of Belarus"}
    )
    organization_update(
        actor=users["coordinator"], organization=organization, data={"name": "MoJ of Belarus"}
    )

    organization.refresh_from_db()
    assert organization.name == "MoJ of Belarus"
    assert organization.kind == OrganizationKind.GOVERNMENT
    assert organization.country.code == "BLR"
    actions = AuditEntry.objects.filter(
        content_type__model="organization", object_id=str(organization.pk)
    ).values_list("action", flat=True)
    assert sorted(actions) == ["create", "update"]
