"""What every page view shares: HTMX partials, service errors on forms, role checks, list pages.

A list page declares what it shows (``ListPage``); ``ListPage.render`` does the rest the same way
for every app: filters from the form, sort, pagination, and the results fragment for HTMX.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .listing import DEFAULT_PAGE_SIZE, SortOption, paginate

Found = TypeVar("Found")


class StaleEdit(Exception):
    """A service refuses an edit made from an outdated version (optimistic concurrency).

    Subclasses set ``current_version`` (what the form must carry to save over it) and ``changes``
    (what others changed since, for the page to show)."""

    current_version: Any = None
    changes: Sequence[Any] = ()


def get_or_404(lookup: Callable[..., Found], missing: str | Promise, /, **kwargs: Any) -> Found:
    """``lookup(**kwargs)`` (a selector), or a 404 reading ``missing`` when it finds nothing."""
    try:
        return lookup(**kwargs)
    except ObjectDoesNotExist:
        raise Http404(missing) from None


def safe_url(request: HttpRequest, url: str, default: str = "") -> str:
    """``url`` when it leads to this site (never an open redirect to another), else ``default``."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The ``next`` address the request carries (posted, else in the query) when it is one of
    this site's, else ``default``."""
    return safe_url(request, request.POST.get("next") or request.GET.get("next") or "", default)


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the request names as ``next`` (one of this site's), else ``default``."""
    return HttpResponseRedirect(safe_next(request, default))


def wants_partial(request: HttpRequest) -> bool:
    """An HTMX request for a fragment. A history restore asks for the whole page even though
    HTMX sends it (the browser has lost the page around the fragment)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render_page_or_partial(
    request: HttpRequest,
    *,
    template: str,
    partial_template: str,
    context: Mapping[str, Any],
    status: int | None = None,
) -> HttpResponse:
    """The fragment for HTMX, the whole page otherwise; caches keep the two apart."""
    chosen = partial_template if wants_partial(request) else template
    response = render(request, chosen, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def error_messages(error: ValidationError) -> list[str]:
    """Every message of a ValidationError, whether it names fields or not."""
    if hasattr(error, "error_dict"):
        return [
            message for field_messages in error.message_dict.values() for message in field_messages
        ]
    return list(error.messages)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the fields it names, the rest (and
    errors naming no field) above the form."""
    if hasattr(error, "error_dict"):
        by_field = error.message_dict
    else:
        by_field = {NON_FIELD_ERRORS: error.messages}
    for field, field_messages in by_field.items():
        form.add_error(field if field in form.fields else None, field_messages)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], Any],
    success: str,
    template: str,
    context: Mapping[str, Any] | None = None,
    done: Callable[[Any], HttpResponse] | None = None,
    version_field: str | None = None,
) -> HttpResponse:
    """A page that edits through a service: when the posted form is valid, ``save()`` calls the
    service; its ValidationError goes onto the form, success is flashed and ``done(saved)``
    answers (by default a redirect to what was saved). Otherwise the form is shown (again).

    With ``version_field`` (the form's hidden version), a ``StaleEdit`` from the service shows
    the form again with status 409, ``conflict`` and ``conflict_changes`` in the context: the
    form keeps what this person typed, and saving again applies it over the version just shown.
    """
    page_context = {"form": form, **(context or {})}
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleEdit as conflict:
            if version_field is None:
                raise
            data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict, immutable
            data[version_field] = conflict.current_version
            form.data = data
            page_context.update({"conflict": conflict, "conflict_changes": conflict.changes})
            return render(request, template, page_context, status=409)
        else:
            messages.success(request, success)
            return done(saved) if done is not None else redirect(saved)
    return render(request, template, page_context)


def edit_page(
    request: HttpRequest,
    form_class: Any,
    obj: Any,
    *,
    save: Callable[[Any], Any],
    template: str,
    context: Mapping[str, Any] | None = None,
    success: str | None = None,
    done: Callable[[Any], HttpResponse] | None = None,
    version_field: str | None = None,
    **form_kwargs: Any,
) -> HttpResponse:
    """The edit page of ``obj``: the form filled from ``form_class.initial_for(obj)`` (bound to
    what was posted), ``save(form)`` calling the update service, through ``form_page``."""
    form = bound_form(request, form_class, initial=form_class.initial_for(obj), **form_kwargs)
    return form_page(
        request,
        form,
        save=lambda: save(form),
        success=success or _("Your changes were saved."),
        template=template,
        context=context,
        done=done,
        version_field=version_field,
    )


def confirm_page(
    request: HttpRequest,
    *,
    act: Callable[[], Any],
    success: str,
    done: Callable[[], HttpResponse],
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """A page that asks before it acts (a deletion): the question on GET; on POST ``act()``,
    ``success`` flashed and ``done()`` answers."""
    if request.method == "POST":
        act()
        messages.success(request, success)
        return done()
    return render(request, template, context)


def button_action(
    request: HttpRequest,
    *,
    act: Callable[[], Any],
    success: str | Callable[[Any], str],
    done: Callable[[Any], HttpResponse],
    refused: Callable[[], HttpResponse],
) -> HttpResponse:
    """A button that calls a service (no form to show errors on): ``act()`` calls it; its
    ValidationError is flashed and ``refused()`` answers; otherwise ``success`` (or
    ``success(result)``) is flashed and ``done(result)`` answers."""
    try:
        result = act()
    except ValidationError as error:
        show_service_errors(request, error)
        return refused()
    messages.success(request, success(result) if callable(success) else success)
    return done(result)


def form_action(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    act: Callable[[], Any],
    success: str | Callable[[Any], str],
    done: Callable[[Any], HttpResponse],
    refused: Callable[[], HttpResponse],
) -> HttpResponse:
    """A small form posted from a button on another page (which has no place to show it again):
    when valid, a ``button_action``; otherwise its errors are flashed (``show_form_errors``)
    and ``refused()`` answers."""
    if not form.is_valid():
        show_form_errors(request, form)
        return refused()
    return button_action(request, act=act, success=success, done=done, refused=refused)


def bound_form(request: HttpRequest, form_class: type[forms.BaseForm], **kwargs: Any) -> Any:
    """The form bound to what was posted, or unbound (initial values) on any other request."""
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def toggle_published(
    request: HttpRequest,
    obj: Any,
    *,
    save: Callable[[bool], Any],
    published_message: str,
    unpublished_message: str,
) -> HttpResponse:
    """A publish/unpublish button (POST ``published=1`` or not): ``save(published)`` calls the
    service, the matching message is flashed and the answer goes back to ``obj``."""
    published = request.POST.get("published") == "1"
    save(published)
    messages.success(request, published_message if published else unpublished_message)
    return redirect(obj)


def show_service_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal after a button (no form to show it on) becomes flash messages."""
    for message in error_messages(error):
        messages.error(request, message)


def show_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """A form posted from another page: its errors become flash messages, each after the label
    of its field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@dataclass(frozen=True)
class RoleCheck:
    """Who may do something (a role predicate) and what someone refused reads.

    Call it with a user to check (services and the API do), or decorate a view with
    ``.required`` (signed-in first, then the role).
    """

    allows: Callable[[Any], bool]
    refusal: str | Promise  # usually gettext_lazy: checks are declared at import time

    def __call__(self, user: Any) -> None:
        if not self.allows(user):
            raise PermissionDenied(self.refusal)

    def required(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            self(request.user)
            return view(request, *args, **kwargs)

        return login_required(checked)


@dataclass(frozen=True)
class RecordPages:
    """The create, edit, publish and delete pages of one kind of record, declared once (as
    netbox's object views are): its form and template, the services that write it and what they
    say. The services take the record by ``name`` (``activity_update(actor=, activity=, data=)``)
    and its template gets it under ``name`` (None on the create page).

    ``parent`` (a record created inside another, e.g. a presence's story): passed to the create
    service and into the template under its keyword. Messages are declared at import time, so
    they are lazy translations.
    """

    name: str
    form: type[forms.BaseForm]
    template: str
    create: Callable[..., Any]
    update: Callable[..., Any]
    created: str | Promise
    saved: str | Promise | None = None
    set_published: Callable[..., Any] | None = None
    published: str | Promise = ""
    unpublished: str | Promise = ""
    delete: Callable[..., Any] | None = None
    deleted: str | Promise = ""
    delete_template: str = ""

    def create_page(
        self,
        request: HttpRequest,
        *,
        parent: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        done: Callable[[Any], HttpResponse] | None = None,
        **form_kwargs: Any,
    ) -> HttpResponse:
        parent = parent or {}
        form = bound_form(request, self.form, **form_kwargs)
        return form_page(
            request,
            form,
            save=lambda: self.create(actor=request.user, **parent, data=form.cleaned_data),
            success=str(self.created),
            template=self.template,
            context={**parent, **(context or {}), self.name: None},
            done=done,
        )

    def edit_page(
        self,
        request: HttpRequest,
        obj: Any,
        *,
        context: Mapping[str, Any] | None = None,
        done: Callable[[Any], HttpResponse] | None = None,
        **form_kwargs: Any,
    ) -> HttpResponse:
        return edit_page(
            request,
            self.form,
            obj,
            save=lambda form: self.update(
                actor=request.user, **{self.name: obj}, data=form.cleaned_data
            ),
            success=None if self.saved is None else str(self.saved),
            template=self.template,
            context={**(context or {}), self.name: obj},
            done=done,
            **form_kwargs,
        )

    def publish_action(self, request: HttpRequest, obj: Any) -> HttpResponse:
        set_published = self.set_published
        assert set_published is not None, f"{self.name} has no publish service"
        return toggle_published(
            request,
            obj,
            save=lambda published: set_published(
                actor=request.user, **{self.name: obj}, published=published
            ),
            published_message=str(self.published),
            unpublished_message=str(self.unpublished),
        )

    def delete_page(
        self,
        request: HttpRequest,
        obj: Any,
        *,
        done: Callable[[], HttpResponse],
        context: Mapping[str, Any] | None = None,
    ) -> HttpResponse:
        delete = self.delete
        assert delete is not None, f"{self.name} has no delete service"
        return confirm_page(
            request,
            act=lambda: delete(actor=request.user, **{self.name: obj}),
            success=str(self.deleted),
            done=done,
            template=self.delete_template,
            context={**(context or {}), self.name: obj},
        )


@dataclass(frozen=True)
class ListPage:
    """A filtered, sorted, paginated list page and its HTMX results fragment.

    Context for both templates: ``form`` (when there is one), ``filters``, ``page``, ``sort``,
    ``sorts`` and ``is_filtered`` (any filter the reader chose, not the sort and not the
    ``scope`` the page itself adds).
    """

    template: str
    partial_template: str
    default_sort: str = ""
    sorts: Sequence[SortOption] = ()
    per_page: int = DEFAULT_PAGE_SIZE

    def render(
        self,
        request: HttpRequest,
        *,
        rows: Callable[[dict[str, Any]], Iterable[Any]],
        form: Any = None,
        filters: Mapping[str, Any] | None = None,
        scope: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        page_context: Callable[[], Mapping[str, Any]] | None = None,
    ) -> HttpResponse:
        """``rows(filters)`` gives what to list; ``form.filters()`` (or ``filters``) what the
        reader chose; ``page_context()`` what only the whole page needs (skipped for HTMX)."""
        chosen = dict(form.filters() if filters is None else filters)
        scope = scope or {}
        applied = {**chosen, **scope}
        full_context: dict[str, Any] = {
            "form": form,
            "filters": applied,
            "page": paginate(rows(applied), page=request.GET.get("page"), per_page=self.per_page),
            "sort": applied.get("sort", self.default_sort),
            "sorts": self.sorts,
            "is_filtered": any(key != "sort" for key in chosen),
            **(context or {}),
        }
        if page_context is not None and not wants_partial(request):
            full_context.update(page_context())
        return render_page_or_partial(
            request,
            template=self.template,
            partial_template=self.partial_template,
            context=full_context,
        )
