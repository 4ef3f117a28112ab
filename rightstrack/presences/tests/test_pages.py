"""The profile page and the create/edit forms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from rightstrack.audit.models import AuditEntry
from rightstrack.core.tests.html_text import html_to_text
from rightstrack.presences.models import Presence
from rightstrack.presences.services import presence_create

from .factories import FeatureStoryFactory, PresenceFactory

pytestmark = pytest.mark.django_db


def _form_data(presence_data, vocabulary, **changes):
    """presence_data as the browser posts it: terms by primary key, empty values as ''."""
    data = {**presence_data, **changes}
    posted = {}
    for name, value in data.items():
        if name == "country":
            posted[name] = vocabulary[value].pk if value else ""
        elif name in ("thematic_pillars", "shifts", "spotlight_populations"):
            posted[name] = [vocabulary[code].pk for code in value]
        else:
            posted[name] = "" if value is None else value
    return posted


@pytest.fixture
def belarus(users, presence_data):
    presence = presence_create(actor=users["coordinator"], data=presence_data)
    presence.is_published = True
    presence.save()
    return presence


def test_it_shows_blank_facts_as_not_reported_never_zero(client, belarus):
    text = html_to_text(client.get(belarus.get_absolute_url()).content.decode())

    assert "Field offices not reported" in text
    assert "Number of staff not reported" in text
    assert "Years of deployment 2018–2021" in text
    assert "Annual budget needs US$ 823,000" in text
    assert "Last reviewed: November 2020" in text


def test_it_shows_a_real_zero_staff_as_zero(client, vocabulary):
    presence = PresenceFactory(staff_count=0, field_offices="Minsk")

    text = html_to_text(client.get(presence.get_absolute_url()).content.decode())

    assert "Number of staff 0" in text
    assert "Field offices Minsk" in text


def test_it_shows_pillars_with_their_description_and_a_mailto_contact(client, belarus):
    html = client.get(belarus.get_absolute_url()).content.decode()
    text = html_to_text(html)

    assert (
        "Mechanisms: Increasing implementation of the international human rights mechanisms "
        "outcomes" in text
    )
    assert '<a href="mailto:ecasection@ohchr.org">ecasection@ohchr.org</a>' in html
    assert "Contact is in Geneva, Switzerland." in text
    assert "No feature stories recorded." in text


def test_it_shows_labels_in_the_reader_s_language(client, belarus):
    html = client.get(belarus.get_absolute_url(), headers={"Accept-Language": "ru"}).content
    assert "Беларусь" in html.decode()


def test_it_lists_feature_stories(client, belarus):
    FeatureStoryFactory(presence=belarus, title="Free legal aid", url="https://ohchr.org/a")

    html = client.get(belarus.get_absolute_url()).content.decode()

    assert '<a href="https://ohchr.org/a">Free legal aid</a>' in html
    assert "No feature stories recorded." not in html


def test_it_never_lets_rich_text_run_script(client, belarus):
    # Even text that reached the database without the service is sanitised on display.
    Presence.objects.filter(pk=belarus.pk).update(
        areas_of_focus='<p>Fine</p><script>alert("x")</script><p onmouseover="x()">Hover</p>'
    )

    html = client.get(belarus.get_absolute_url()).content.decode()

    assert "<p>Fine</p>" in html
    assert 'alert("x")' not in html
    assert "onmouseover" not in html


def test_it_marks_drafts_and_offers_managers_their_buttons(client_for, vocabulary):
    draft = PresenceFactory(is_published=False)

    manager_page = client_for("coordinator").get(draft.get_absolute_url()).content.decode()
    viewer_page = client_for("viewer").get(draft.get_absolute_url()).content.decode()

    assert "Draft — not published" in manager_page
    assert reverse("presences:edit", args=[draft.slug]) in manager_page
    assert reverse("presences:publish", args=[draft.slug]) in manager_page
    assert "Draft — not published" in viewer_page
    assert reverse("presences:edit", args=[draft.slug]) not in viewer_page
    assert reverse("presences:publish", args=[draft.slug]) not in viewer_page


def test_it_creates_a_presence_through_the_form(client_for, users, presence_data, vocabulary):
    response = client_for("coordinator").post(
        reverse("presences:create"), _form_data(presence_data, vocabulary)
    )

    presence = Presence.objects.get(slug="belarus")
    assert response.status_code == 302
    assert response["Location"] == presence.get_absolute_url()
    assert presence.created_by == users["coordinator"]
    assert presence.staff_count is None
    assert presence.last_reviewed.isoformat() == "2020-11-01"
    assert sorted(presence.thematic_pillars.values_list("code", flat=True)) == [
        "accountability",
        "mechanisms",
    ]


def test_it_reads_numbers_in_the_form_as_the_api_does(client_for, presence_data, vocabulary):
    client_for("coordinator").post(
        reverse("presences:create"),
        _form_data(presence_data, vocabulary, budget_amount="1 500,5", staff_count="1,200"),
    )

    presence = Presence.objects.get(slug="belarus")
    assert presence.budget_amount == Decimal("1500.50")
    assert presence.staff_count == 1200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"deployment_start_year": 2021, "deployment_end_year": 2018},
            "deployment_end_year",
            "The end year cannot be before the start year.",
        ),
        ({"budget_amount": "-5"}, "budget_amount", "The budget cannot be negative."),
        ({"staff_count": "-1"}, "staff_count", "The number of staff cannot be negative."),
        ({"contact_email": "ecasection@"}, "contact_email", "Enter a valid email address."),
    ],
)
def test_it_refuses_invalid_input_with_the_message_on_the_field(
    client_for, presence_data, vocabulary, changes, field, message
):
    response = client_for("coordinator").post(
        reverse("presences:create"), _form_data(presence_data, vocabulary, **changes)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors[field]
    html = response.content.decode()
    # The message sits with its field, which says it is invalid and points to it.
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )
    assert not Presence.objects.exists()


def test_it_refuses_an_invalid_edit_and_keeps_the_stored_values(
    client_for, belarus, presence_data, vocabulary
):
    response = client_for("coordinator").post(
        reverse("presences:edit", args=[belarus.slug]),
        _form_data(presence_data, vocabulary, staff_count="-2"),
    )

    assert response.status_code == 200
    assert (
        "The number of staff cannot be negative." in response.context["form"].errors["staff_count"]
    )
    belarus.refresh_from_db()
    assert belarus.staff_count is None


def test_it_edits_and_shows_who_changed_what_in_the_history(
    client_for, belarus, presence_data, vocabulary
):
    client = client_for("coordinator")
    form_page = client.get(reverse("presences:edit", args=[belarus.slug])).content.decode()
    assert 'value="2020-11"' in form_page  # last reviewed as a month
    assert 'value="UN Human Rights in Belarus"' in form_page

    response = client.post(
        reverse("presences:edit", args=[belarus.slug]),
        _form_data(
            presence_data,
            vocabulary,
            staff_count="5",
            thematic_pillars=["mechanisms", "participation"],
        ),
    )

    assert response.status_code == 302
    page = client.get(belarus.get_absolute_url()).content.decode()
    text = html_to_text(page)
    assert "History" in text
    assert "coordinator changed" in text
    assert "number of staff — 5" in text.lower()
    assert "thematic pillars accountability, mechanisms mechanisms, participation" in text.lower()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).count() == 1


def test_it_hides_the_history_from_readers_outside(client_for, belarus):
    for role in ("anonymous", "focal_point", "civil_society", "outsider"):
        html = client_for(role).get(belarus.get_absolute_url()).content.decode()
        assert 'id="history-heading"' not in html
    for role in ("administrator", "coordinator", "viewer"):
        html = client_for(role).get(belarus.get_absolute_url()).content.decode()
        assert 'id="history-heading"' in html


def test_it_publishes_from_the_profile(client_for, vocabulary):
    draft = PresenceFactory(is_published=False)
    client = client_for("coordinator")

    response = client.post(reverse("presences:publish", args=[draft.slug]), {"published": "1"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published is True
    assert client_for("anonymous").get(draft.get_absolute_url()).status_code == 200


def test_it_adds_edits_and_removes_feature_stories(client_for, belarus):
    client = client_for("coordinator")

    client.post(
        reverse("presences:story-create", args=[belarus.slug]),
        {
            "title": "Free legal aid",
            "url": "https://ohchr.org/a",
            "summary": "",
            "published_on": "",
        },
    )
    story = belarus.feature_stories.get()
    client.post(
        reverse("presences:story-edit", args=[belarus.slug, story.pk]),
        {"title": "Legal aid", "url": "", "summary": "Short.", "published_on": "2020-05-01"},
    )
    story.refresh_from_db()
    invalid = client.post(
        reverse("presences:story-edit", args=[belarus.slug, story.pk]),
        {"title": "Legal aid", "url": "not a link", "summary": "", "published_on": ""},
    )
    client.post(reverse("presences:story-delete", args=[belarus.slug, story.pk]))

    assert story.title == "Legal aid"
    assert story.published_on.isoformat() == "2020-05-01"
    assert invalid.status_code == 200
    assert "url" in invalid.context["form"].errors
    assert not belarus.feature_stories.exists()


def test_it_records_nothing_when_the_form_comes_back_unchanged(client_for, belarus):
    client = client_for("coordinator")
    url = reverse("presences:edit", args=[belarus.slug])
    form = client.get(url).context["form"]
    # What the browser sends back: each field's rendered value (terms by primary key).
    posted = {name: form[name].value() for name in form.fields}
    posted = {name: "" if value is None else value for name, value in posted.items()}
    entries = AuditEntry.objects.count()

    response = client.post(url, posted)

    assert response.status_code == 302
    assert AuditEntry.objects.count() == entries
