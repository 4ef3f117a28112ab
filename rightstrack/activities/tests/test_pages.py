"""The activity and organization pages: who sees and changes what, forms, the list."""

import pytest
from django.urls import reverse

from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.activities.models import Activity, Organization
from rightstrack.audit.models import AuditEntry
from rightstrack.core.tests.html_text import html_to_text

from .factories import ActivityFactory, OrganizationFactory, PresenceFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"administrator", "coordinator"}
INTERNAL_READERS = {"administrator", "coordinator", "viewer"}


@pytest.fixture
def records(presence):
    """A published activity, a draft, and a published activity of a draft presence, each with
    an organization that took part only in it."""
    public_partner = OrganizationFactory(name="Public partner")
    draft_partner = OrganizationFactory(name="Draft partner")
    hidden_presence_partner = OrganizationFactory(name="Hidden presence partner")
    draft_presence = PresenceFactory(slug="draft-presence", is_published=False)
    return {
        "published": ActivityFactory(
            presence=presence, title="Published training", partners=[public_partner]
        ),
        "draft": ActivityFactory(
            presence=presence,
            title="Draft dialogue",
            is_published=False,
            partners=[draft_partner],
        ),
        "of_draft_presence": ActivityFactory(
            presence=draft_presence,
            title="Work of a draft presence",
            donors=[hidden_presence_partner],
        ),
        "public_partner": public_partner,
        "draft_partner": draft_partner,
        "hidden_presence_partner": hidden_presence_partner,
    }


def _expected_for_manager_page(role):
    if role == "anonymous":
        return 302
    return 200 if role in MANAGERS else 403


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_shows_each_reader_what_they_may_see(client_for, records, role):
    client = client_for(role)

    listing = client.get(reverse("activities:list")).content.decode()
    organizations = client.get(reverse("activities:organizations")).content.decode()
    internal = role in INTERNAL_READERS

    assert "Published training" in listing
    assert ("Draft dialogue" in listing) is internal
    assert ("Work of a draft presence" in listing) is internal
    assert "Public partner" in organizations
    assert ("Draft partner" in organizations) is internal
    assert ("Hidden presence partner" in organizations) is internal
    hidden_status = 200 if internal else 404
    assert client.get(records["published"].get_absolute_url()).status_code == 200
    assert client.get(records["draft"].get_absolute_url()).status_code == hidden_status
    assert client.get(records["of_draft_presence"].get_absolute_url()).status_code == hidden_status
    assert client.get(records["public_partner"].get_absolute_url()).status_code == 200
    assert client.get(records["draft_partner"].get_absolute_url()).status_code == hidden_status


def _manager_requests(activity, organization):
    """(address, what its form posts) of every page and button only managers may use; the
    publish button (POST only) has no page to open."""
    return [
        (reverse("activities:create"), {"presence": "belarus", "type": "other", "title": "New"}),
        (reverse("activities:edit", args=[activity.pk]), {"title": "Changed"}),
        (reverse("activities:publish", args=[activity.pk]), {"published": "0"}),
        (reverse("activities:delete", args=[activity.pk]), {}),
        (reverse("activities:organization-create"), {"name": "New", "kind": "ngo"}),
        (
            reverse("activities:organization-edit", args=[organization.pk]),
            {"name": "Changed", "kind": "ngo"},
        ),
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_only_managers_open_the_forms(client_for, records, role):
    client = client_for(role)
    expected = _expected_for_manager_page(role)

    for url, _data in _manager_requests(records["published"], records["public_partner"]):
        if "/publish/" not in url:
            assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("role", sorted(set(ALL_ROLES) - MANAGERS))
def test_it_refuses_changes_from_everyone_but_managers(client_for, records, role):
    client = client_for(role)
    activity = records["published"]
    organization = records["public_partner"]

    for url, data in _manager_requests(activity, organization):
        assert client.post(url, data).status_code == _expected_for_manager_page(role), url

    activity.refresh_from_db()
    organization.refresh_from_db()
    assert activity.title == "Published training"
    assert activity.is_published is True
    assert organization.name == "Public partner"
    assert Activity.objects.count() == 3
    assert Organization.objects.count() == 3


def test_it_shows_unknown_numbers_as_not_reported_and_a_real_zero_as_zero(client, presence):
    activity = ActivityFactory(
        presence=presence,
        participants_total=12,
        participants_women=None,
        participants_men=None,
        participants_with_disabilities=0,
        cost_amount=None,
        start_date=None,
        place="",
    )

    text = html_to_text(client.get(activity.get_absolute_url()).content.decode())

    assert "Total 12 Women not reported Men not reported Persons with disabilities 0" in text
    assert "Cost not reported" in text
    assert "Dates not reported" in text
    assert "Place not reported" in text


def _form_data(activity_data, terms, **changes):
    """activity_data as the browser posts it: terms by primary key, empty values as ''."""
    data = {**activity_data, **changes}
    posted = {}
    for name, value in data.items():
        if name == "thematic_pillars":
            posted[name] = [terms[f"pillar:{code}"].pk for code in value]
        elif name == "target_populations":
            posted[name] = [terms[f"population:{code}"].pk for code in value]
        elif name == "target_affected_persons":
            posted[name] = [terms[f"affected:{code}"].pk for code in value]
        elif name == "recommendations":
            posted[name] = ", ".join(str(pk) for pk in value)
        else:
            posted[name] = "" if value is None else value
    return posted


def test_it_records_an_activity_through_the_form(client_for, activity_data, terms):
    client = client_for("coordinator")

    response = client.post(reverse("activities:create"), _form_data(activity_data, terms))

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response.url == activity.get_absolute_url()
    assert activity.participants_women == 18
    assert [term.code for term in activity.target_populations.all()] == ["women"]
    assert activity.is_published is False


def test_it_keeps_blank_form_numbers_unknown(client_for, activity_data, terms):
    client = client_for("coordinator")
    blanks = dict.fromkeys(
        [
            "participants_total",
            "participants_women",
            "participants_men",
            "participants_with_disabilities",
            "cost_amount",
        ],
        "",
    )

    client.post(reverse("activities:create"), _form_data(activity_data, terms, **blanks))

    activity = Activity.objects.get()
    assert activity.participants_total is None
    assert activity.participants_with_disabilities is None
    assert activity.cost_amount is None


def test_it_shows_the_service_s_message_next_to_the_field(client_for, activity_data, terms):
    client = client_for("coordinator")

    response = client.post(
        reverse("activities:create"),
        _form_data(activity_data, terms, participants_total=10, participants_with_disabilities=11),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_participants_with_disabilities_error"' in html
    assert "This is more than the total number of participants (10)." in html
    assert not Activity.objects.exists()


def test_it_refuses_unknown_recommendation_numbers_on_the_form(client_for, activity_data, terms):
    client = client_for("coordinator")

    response = client.post(
        reverse("activities:create"), _form_data(activity_data, terms, recommendations=[424242])
    )

    assert "There is no recommendation with the number 424242." in response.content.decode()
    assert not Activity.objects.exists()


def test_it_edits_and_shows_who_changed_what_in_the_history(client_for, activity_data, terms):
    client = client_for("coordinator")
    client.post(reverse("activities:create"), _form_data(activity_data, terms))
    activity = Activity.objects.get()

    edit_url = reverse("activities:edit", args=[activity.pk])
    form_page = client.get(edit_url).content.decode()
    response = client.post(edit_url, _form_data(activity_data, terms, place="Brest"))

    assert 'value="Minsk"' in form_page
    assert response.status_code == 302
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Brest" in page
    assert "History" in page
    assert AuditEntry.objects.filter(
        content_type__model="activity", object_id=str(activity.pk), action="update"
    ).exists()


def test_it_publishes_and_deletes_from_the_activity_page(client_for, presence):
    client = client_for("administrator")
    activity = ActivityFactory(presence=presence, is_published=False)

    client.post(reverse("activities:publish", args=[activity.pk]), {"published": "1"})
    activity.refresh_from_db()
    assert activity.is_published is True

    response = client.post(reverse("activities:delete", args=[activity.pk]))
    assert response.status_code == 302
    assert response.url == presence.get_absolute_url()
    assert not Activity.objects.exists()


def test_it_adds_an_organization_and_shows_what_it_took_part_in(client_for, presence, terms):
    client = client_for("coordinator")

    response = client.post(
        reverse("activities:organization-create"),
        {
            "name": "Belarusian Helsinki Committee",
            "kind": "ngo",
            "country": terms["state:BLR"].pk,
            "website": "https://belhelcom.org/",
        },
    )
    organization = Organization.objects.get()
    ActivityFactory(presence=presence, title="Legal aid clinic", partners=[organization])
    ActivityFactory(presence=presence, title="Funded study", donors=[organization])

    assert response.status_code == 302
    page = client.get(organization.get_absolute_url()).content.decode()
    assert "Belarusian Helsinki Committee" in page
    assert page.index("Legal aid clinic") < page.index("Funded study")
    listing = client.get(reverse("activities:organizations")).content.decode()
    assert f'href="/activities/?partner={organization.pk}">1</a>' in listing
    assert f'href="/activities/?donor={organization.pk}">1</a>' in listing


def test_it_shows_a_duplicate_organization_name_on_the_field(client_for, organization):
    client = client_for("coordinator")

    response = client.post(
        reverse("activities:organization-create"),
        {"name": organization.name.upper(), "kind": "ngo"},
    )

    assert "There is already an organization with this name." in response.content.decode()
    assert Organization.objects.count() == 1


def test_it_links_the_activity_list_from_the_navigation(client):
    html = client.get(reverse("activities:list")).content.decode()

    assert '<a href="/activities/" aria-current="page">Activities</a>' in html


def test_it_filters_sorts_and_refreshes_organizations_with_htmx(client, presence):
    for name, kind in (
        ("Bar of Minsk", "bar-association"),
        ("Alpha NGO", "ngo"),
        ("Zeta NGO", "ngo"),
    ):
        ActivityFactory(presence=presence, partners=[OrganizationFactory(name=name, kind=kind)])

    by_kind = client.get(reverse("activities:organizations"), {"kind": "ngo", "sort": "-name"})
    partial = client.get(
        reverse("activities:organizations"), {"q": "minsk"}, headers={"HX-Request": "true"}
    )

    text = html_to_text(by_kind.content.decode())
    assert text.index("Zeta NGO") < text.index("Alpha NGO")
    assert "Bar of Minsk" not in text
    assert "<html" not in partial.content.decode()
    assert "Bar of Minsk" in partial.content.decode()
    assert "Alpha NGO" not in partial.content.decode()


@pytest.mark.parametrize("count", [2, 25])
def test_it_lists_organizations_and_shows_one_in_a_fixed_number_of_queries(
    client_for, presence, count, django_assert_max_num_queries
):
    organizations = [OrganizationFactory() for _number in range(count)]
    for organization in organizations:
        ActivityFactory(presence=presence, partners=[organization], donors=organizations[:1])
    client = client_for("anonymous")

    # count, page (with the counts of activities as subqueries)
    with django_assert_max_num_queries(2):
        assert client.get(reverse("activities:organizations")).status_code == 200
    # organization, activities as partner, as donor
    with django_assert_max_num_queries(3):
        assert client.get(organizations[0].get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/organizations/").status_code == 200
