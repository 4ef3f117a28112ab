import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.selectors import history_for, record_page_context
from rightstrack.audit.services import audit_record, diff, snapshot
from rightstrack.core.roles import Role
from rightstrack.core.tests.htmx import results_fragment

# Users are the audited objects here; audit sits below accounts, so it names the user model
# through Django and makes users with the shared user_factory fixture.
User = get_user_model()

INTERNAL_READERS = {"administrator", "coordinator", "viewer"}


def _page_status(role):
    if role == "anonymous":
        return 302
    return 200 if role in INTERNAL_READERS else 403


def _api_status(role):
    if role == "anonymous":
        return 401
    return 200 if role in INTERNAL_READERS else 403


def _create_and_promote(*, actor, user_factory, username):
    """A user created and then given another role, audited as the accounts services do."""
    user = user_factory(username=username, role=Role.VIEWER)
    audit_record(actor=actor, obj=user, action="create")
    before = snapshot(user, ("role",))
    user.role = Role.COORDINATOR
    user.save()
    changes = diff(User, before, snapshot(user, ("role",)))
    audit_record(actor=actor, obj=user, action="update", changes=changes)
    return user


@pytest.fixture
def entries(users, user_factory):
    """Two changes by the administrator (a creation and an update) and one by the system."""
    admin = users["administrator"]
    created = _create_and_promote(actor=admin, user_factory=user_factory, username="subject")
    audit_record(actor=None, obj=Group.objects.create(name="editors"), action="create")
    return created


def test_it_shows_the_audit_page_to_internal_readers_only(client_for, entries, any_role):
    role = any_role
    response = client_for(role).get("/audit/")

    assert response.status_code == _page_status(role)
    if role == "anonymous":
        assert response["Location"] == "/accounts/login/?next=/audit/"
    if response.status_code == 200:
        assert "subject" in response.content.decode()


def test_it_serves_the_audit_api_to_internal_readers_with_a_session(client_for, entries, any_role):
    role = any_role
    response = client_for(role).get("/api/v1/audit/")

    assert response.status_code == _api_status(role)
    if response.status_code == 200:
        assert response.json()["count"] == 3


def test_it_serves_the_audit_api_to_internal_readers_with_a_token(
    api_client_for, entries, any_role
):
    role = any_role
    response = api_client_for(role).get("/api/v1/audit/")

    assert response.status_code == _api_status(role)


def test_it_refuses_a_bad_token_even_with_a_signed_in_session(client_for, entries):
    client = client_for("administrator")

    response = client.get("/api/v1/audit/", headers={"Authorization": "Bearer wrong"})

    assert response.status_code == 401


def test_it_describes_each_entry_in_the_api(client_for, entries):
    response = client_for("viewer").get(
        "/api/v1/audit/", {"action": "update", "model": "accounts.user"}
    )

    [item] = response.json()["items"]
    assert item["actor"] == "administrator"
    assert item["action"] == "update"
    assert item["object_type"] == "accounts.user"
    assert item["object_id"] == str(entries.pk)
    assert item["object_repr"] == "subject"
    assert item["changes"] == {"role": {"label": "role", "old": "viewer", "new": "coordinator"}}
    assert datetime.datetime.fromisoformat(item["at"]) <= timezone.now()


def test_it_filters_the_api_by_actor_object_and_sorts_oldest_first(client_for, entries):
    client = client_for("coordinator")

    everything = client.get("/api/v1/audit/", {"actor": ""}).json()
    by_admin = client.get("/api/v1/audit/", {"actor": "administrator"}).json()
    of_subject = client.get(
        "/api/v1/audit/", {"model": "user", "object_id": entries.pk, "sort": "oldest"}
    ).json()

    assert everything["count"] == 3
    assert by_admin["count"] == 2
    assert [item["action"] for item in of_subject["items"]] == ["create", "update"]


def test_it_filters_the_page_by_actor_action_and_object_type(client_for, entries):
    client = client_for("viewer")

    by_actor = client.get("/audit/", {"actor": "administrator"}).context["page"]
    by_action = client.get("/audit/", {"action": "update"}).context["page"]
    by_type = client.get("/audit/", {"model": "auth.group"}).context["page"]

    assert by_actor.paginator.count == 2
    assert [entry.action for entry in by_action] == ["update"]
    assert [entry.object_repr for entry in by_type] == ["editors"]


def test_it_offers_the_actors_and_object_types_that_occur(client_for, entries):
    response = client_for("viewer").get("/audit/")

    form = response.context["form"]
    assert form.fields["actor"].widget.choices[1:] == [("administrator", "administrator")]
    assert [value for value, _label in form.fields["model"].widget.choices[1:]] == [
        "auth.group",
        "accounts.user",
    ]


def test_it_offers_each_actor_once_in_order_however_many_entries(client_for, entries, user_factory):
    """The choices come from a skip through the actor index (core.distinct), not from reading
    every entry: each name once, in order, the system's empty name left out."""
    group = Group.objects.create(name="reviewers")
    for name, times in (("zoe", 3), ("adam", 2)):
        actor = user_factory(username=name, role=Role.VIEWER)
        for _ in range(times):
            audit_record(actor=actor, obj=group, action="update", note=name)
    audit_record(actor=None, obj=group, action="update")

    form = client_for("viewer").get("/audit/").context["form"]

    assert [value for value, _label in form.fields["actor"].widget.choices[1:]] == [
        "adam",
        "administrator",
        "zoe",
    ]
    assert [value for value, _label in form.fields["model"].widget.choices[1:]] == [
        "auth.group",
        "accounts.user",
    ]


def test_it_sorts_the_page_by_date_both_ways(client_for, entries):
    client = client_for("viewer")
    AuditEntry.objects.filter(action="create", object_repr="editors").update(
        at=timezone.now() - datetime.timedelta(days=3)
    )

    newest = [e.object_repr for e in client.get("/audit/").context["page"]]
    oldest = [e.object_repr for e in client.get("/audit/", {"sort": "oldest"}).context["page"]]
    unknown = [e.object_repr for e in client.get("/audit/", {"sort": "x"}).context["page"]]

    assert newest[-1] == "editors"
    assert oldest[0] == "editors"
    assert unknown == newest


def test_it_paginates_the_page(client_for, users):
    target = users["viewer"]
    for _ in range(55):
        audit_record(actor=users["administrator"], obj=target, action="update")

    first = client_for("viewer").get("/audit/").context["page"]
    second = client_for("viewer").get("/audit/", {"page": 2}).context["page"]

    assert (len(first), len(second)) == (50, 5)


def test_it_answers_htmx_with_the_results_only(client_for, entries):
    assert "subject" in results_fragment(client_for("viewer"), "/audit/")


def test_it_lists_entries_in_a_constant_number_of_queries(
    client_for, users, user_factory, django_assert_max_num_queries
):
    admin = users["administrator"]
    for number in range(40):
        _create_and_promote(actor=admin, user_factory=user_factory, username=f"subject{number}")
        audit_record(actor=admin, obj=Group.objects.create(name=f"g{number}"), action="create")
    client = client_for("viewer")

    # session, user, actor names, object types, count, page (content types are cached)
    # The page's and one for the menu's counts of what waits for the user.
    with django_assert_max_num_queries(7):
        response = client.get("/audit/")
    assert len(response.context["page"]) == 50
    # session, user, count, page
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/audit/", {"page_size": 100})
    assert len(response.json()["items"]) == 100


def test_it_renders_the_history_include_for_internal_readers(users, entries):
    request = RequestFactory().get("/")
    request.user = users["coordinator"]
    history = history_for(user=request.user, obj=entries)

    html = render_to_string("audit/_history.html", {"history": history, "request": request})

    assert "History" in html
    assert "<strong>administrator</strong> changed" in html
    assert (
        '<th scope="row">Role</th><td class="change-value">Viewer</td>'
        '<td class="change-value">Coordinator</td>'
    ) in html
    assert f"/audit/?model=accounts.user&amp;object_id={entries.pk}" in html


@pytest.mark.parametrize("role", ["anonymous", "focal_point", "civil_society", "outsider"])
def test_it_hides_the_history_include_from_others(users, entries, role):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = users[role] or AnonymousUser()
    history = history_for(user=request.user, obj=entries)

    html = render_to_string("audit/_history.html", {"history": history, "request": request})

    assert list(history) == []
    assert html.strip() == ""


def test_it_shows_a_history_with_many_to_many_changes(client_for, users):
    admin = users["administrator"]
    subject = users["viewer"]
    subject.groups.add(Group.objects.create(name="alpha"))
    audit_record(
        actor=admin,
        obj=subject,
        action="update",
        changes=diff(User, {"groups": []}, {"groups": ["alpha", "beta"]}),
    )

    page = client_for("administrator").get(f"/accounts/users/{subject.pk}/").content.decode()

    assert '<td class="change-value">alpha, beta</td>' in page


def _log_page_with(changes, *, client_for, user_factory):
    """The audit log as a viewer reads it, after an update of a user recording ``changes``."""
    audit_record(actor=None, obj=user_factory(), action="update", changes=changes)
    return client_for("viewer").get("/audit/").content.decode()


def test_it_escapes_changed_values(client_for, users, user_factory):
    page = _log_page_with(
        {"first_name": {"label": "first name", "old": "", "new": "<script>x</script>"}},
        client_for=client_for,
        user_factory=user_factory,
    )

    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_it_shows_changed_rich_text_as_its_text(client_for, users, user_factory):
    narrative = {
        "label": "narrative",
        "old": "<p>First &amp; old.</p>",
        "new": "<p>One paragraph.</p><ul><li>a <strong>point</strong></li></ul>",
    }
    page = _log_page_with(
        {"narrative": narrative}, client_for=client_for, user_factory=user_factory
    )

    assert '<span class="change-value">First &amp; old.</span>' in page
    assert '<span class="change-value">One paragraph.\n• a point</span>' in page
    assert "&lt;p&gt;" not in page


@pytest.mark.parametrize(
    ("role", "manages", "internal"),
    [("administrator", True, True), ("viewer", False, True), ("focal_point", False, False)],
)
def test_it_tells_a_record_page_what_its_reader_may_do_and_see(
    users, entries, role, manages, internal
):
    context = record_page_context(user=users[role], obj=entries)

    assert (context["can_manage"], context["can_read_internal"]) == (manages, internal)
    assert bool(list(context["history"])) == internal
