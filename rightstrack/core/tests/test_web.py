"""The shared view helpers: HTMX partials, service errors, role checks and list pages."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from rightstrack.core.listing import SortOption
from rightstrack.core.web import (
    ListPage,
    RoleCheck,
    StaleEdit,
    add_service_errors,
    bound_form,
    button_action,
    error_messages,
    form_page,
    get_or_404,
    show_service_errors,
    toggle_published,
    wants_partial,
)

HTMX = {"HX-Request": "true"}


class NameForm(forms.Form):
    name = forms.CharField()


def test_it_tells_an_htmx_request_from_a_page_request():
    factory = RequestFactory()
    assert wants_partial(factory.get("/", headers=HTMX))
    assert not wants_partial(factory.get("/"))


def test_it_serves_the_whole_page_to_an_htmx_history_restore():
    request = RequestFactory().get("/", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert not wants_partial(request)


def test_it_puts_service_errors_beside_the_fields_they_name_and_the_rest_above():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": ["Taken."], "slug": ["Reserved."]}))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Reserved."]


def test_it_puts_a_service_error_naming_no_field_above_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError(["Closed.", "Try later."]))
    assert form.non_field_errors() == ["Closed.", "Try later."]
    assert "name" not in form.errors


def test_it_lists_every_message_of_a_service_error():
    assert error_messages(ValidationError({"a": ["One."], "b": ["Two."]})) == ["One.", "Two."]
    assert error_messages(ValidationError("Alone.")) == ["Alone."]


def test_it_shows_service_errors_as_flash_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    show_service_errors(request, ValidationError({"a": ["One."], "__all__": ["Two."]}))
    assert [str(message) for message in request._messages] == ["One.", "Two."]


ADMINS_ONLY = RoleCheck(lambda user: getattr(user, "role", None) == "admin", "Admins only.")


def test_it_refuses_a_user_without_the_role_with_its_message():
    with pytest.raises(PermissionDenied, match="Admins only."):
        ADMINS_ONLY(SimpleNamespace(role="viewer"))
    ADMINS_ONLY(SimpleNamespace(role="admin"))


def test_it_sends_an_anonymous_reader_of_a_role_checked_view_to_sign_in():
    view = ADMINS_ONLY.required(lambda request: HttpResponse("secret"))
    request = RequestFactory().get("/users/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert "next=/users/" in response["Location"]


def test_it_runs_a_role_checked_view_only_for_the_role():
    view = ADMINS_ONLY.required(lambda request: HttpResponse("secret"))
    request = RequestFactory().get("/users/")
    request.user = SimpleNamespace(role="viewer", is_authenticated=True)
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = SimpleNamespace(role="admin", is_authenticated=True)
    assert view(request).content == b"secret"


class ColourFilterForm:
    def __init__(self, data):
        self.data = data

    def filters(self):
        return {key: value for key, value in self.data.items() if key in {"colour", "sort"}}


COLOURS = ListPage(
    template="colours.html",
    partial_template="_colours.html",
    default_sort="name",
    sorts=(SortOption("name", "Name", ("name",)),),
    per_page=2,
)


def _render(request, **kwargs):
    with mock.patch("rightstrack.core.web.render", return_value=HttpResponse()) as render:
        response = COLOURS.render(request, **kwargs)
    (_, template, context), _ = render.call_args
    return response, template, context


def test_it_renders_a_list_page_with_its_filters_sort_and_page():
    request = RequestFactory().get("/colours/", {"colour": "red", "page": "2"})
    seen = []

    def rows(filters):
        seen.append(filters)
        return ["a", "b", "c"]

    response, template, context = _render(
        request,
        form=ColourFilterForm(request.GET),
        rows=rows,
        scope={"shelf": "top"},
        context={"extra": 1},
        page_context=lambda: {"heavy": True},
    )
    assert template == "colours.html"
    assert seen == [{"colour": "red", "shelf": "top"}]
    assert context["sort"] == "name"
    assert list(context["page"].object_list) == ["c"]
    assert context["is_filtered"] is True
    assert context["extra"] == 1 and context["heavy"] is True
    assert "HX-Request" in response["Vary"]


def test_it_does_not_count_the_sort_or_the_page_scope_as_a_filter():
    request = RequestFactory().get("/colours/", {"sort": "-name"})
    _, _, context = _render(
        request, form=ColourFilterForm(request.GET), rows=lambda filters: [], scope={"shelf": "top"}
    )
    assert context["sort"] == "-name"
    assert context["is_filtered"] is False


def test_it_renders_only_the_results_for_htmx_and_skips_what_only_the_page_needs():
    request = RequestFactory().get("/colours/", headers=HTMX)

    def page_only():
        raise AssertionError("computed for a fragment")

    response, template, context = _render(
        request, filters={}, rows=lambda filters: [], page_context=page_only
    )
    assert template == "_colours.html"
    assert "HX-Request" in response["Vary"]


def _posted(data):
    request = RequestFactory().post("/things/new/", data)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _shown_again(request, form, refusal, **options):
    """(template, context, render's keyword arguments) of form_page showing the form again
    after the service raised ``refusal``."""

    def refuse():
        raise refusal

    with mock.patch("rightstrack.core.web.render", return_value=HttpResponse()) as render:
        form_page(
            request, form, save=refuse, success="Saved.", template="things/form.html", **options
        )
    (_, template, context), kwargs = render.call_args
    return template, context, kwargs


def test_it_saves_a_valid_form_through_the_service_and_redirects_to_what_it_saved():
    request = _posted({"name": "Lamp"})
    form = NameForm(request.POST)
    saved = SimpleNamespace(get_absolute_url=lambda: "/things/lamp/")
    response = form_page(
        request, form, save=lambda: saved, success="Saved.", template="things/form.html"
    )
    assert response.status_code == 302 and response["Location"] == "/things/lamp/"
    assert [str(message) for message in request._messages] == ["Saved."]


def test_it_shows_the_form_again_with_the_services_errors():
    request = _posted({"name": "Lamp"})
    form = NameForm(request.POST)

    template, context, _ = _shown_again(
        request, form, ValidationError({"name": ["Taken."]}), context={"thing": None}
    )
    assert template == "things/form.html" and context == {"form": form, "thing": None}
    assert form.errors["name"] == ["Taken."]
    assert list(request._messages) == []


def test_it_binds_a_form_to_what_was_posted_and_leaves_it_unbound_otherwise():
    posted = bound_form(_posted({"name": "Lamp"}), NameForm, initial={"name": "Old"})
    assert posted.is_bound and posted.data["name"] == "Lamp"
    shown = bound_form(RequestFactory().get("/things/1/edit/"), NameForm, initial={"name": "Old"})
    assert not shown.is_bound and shown.initial == {"name": "Old"}


@pytest.mark.parametrize(
    ("posted", "published", "message"), [("1", True, "Published."), ("0", False, "Withdrawn.")]
)
def test_it_publishes_or_withdraws_and_says_which(posted, published, message):
    request = _posted({"published": posted})
    saved = []
    thing = SimpleNamespace(get_absolute_url=lambda: "/things/lamp/")
    response = toggle_published(
        request,
        thing,
        save=saved.append,
        published_message="Published.",
        unpublished_message="Withdrawn.",
    )
    assert saved == [published]
    assert response.status_code == 302 and response["Location"] == "/things/lamp/"
    assert [str(stored) for stored in request._messages] == [message]


class VersionedForm(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField()


class Outdated(StaleEdit):
    current_version = 7
    changes = ("someone renamed it",)


def test_it_shows_a_stale_edit_again_with_status_409_the_changes_and_the_current_version():
    request = _posted({"name": "Lamp", "version": "5"})
    form = VersionedForm(request.POST)

    _, context, kwargs = _shown_again(request, form, Outdated(), version_field="version")
    assert kwargs == {"status": 409}
    assert context["conflict_changes"] == ("someone renamed it",)
    assert form.data["name"] == "Lamp" and form.data["version"] == 7
    assert list(request._messages) == []


def test_it_lets_a_stale_edit_through_on_a_page_that_does_not_handle_versions():
    request = _posted({"name": "Lamp", "version": "5"})

    def refuse():
        raise Outdated()

    with pytest.raises(Outdated):
        form_page(
            request,
            VersionedForm(request.POST),
            save=refuse,
            success="Saved.",
            template="things/form.html",
        )


def test_it_answers_404_with_the_message_when_the_selector_finds_nothing():
    def lookup(*, pk):
        if pk != 1:
            raise ObjectDoesNotExist
        return "found"

    assert get_or_404(lookup, "No such thing.", pk=1) == "found"
    with pytest.raises(Http404, match="No such thing."):
        get_or_404(lookup, "No such thing.", pk=2)


@pytest.mark.parametrize("refuse", [False, True])
def test_it_flashes_a_buttons_outcome_and_answers_each_way(refuse):
    request = _posted({})

    def act():
        if refuse:
            raise ValidationError("Closed.")
        return 3

    response = button_action(
        request,
        act=act,
        success=lambda count: f"{count} done.",
        done=lambda count: HttpResponse(f"done {count}"),
        refused=lambda: HttpResponse("refused"),
    )
    if refuse:
        assert response.content == b"refused"
        assert [str(stored) for stored in request._messages] == ["Closed."]
    else:
        assert response.content == b"done 3"
        assert [str(stored) for stored in request._messages] == ["3 done."]
