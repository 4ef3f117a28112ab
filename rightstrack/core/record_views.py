"""The create, edit, publish and delete views of a kind of record, declared once.

``RecordPages`` (core.web) says how each of those pages works. ``RecordViews`` is a
``RecordPages`` that also says what every app otherwise wrote out as a small view function per
page: how the record is found from its address (its ``*_get`` selector, by the URL parameter
``key``), who may write it (a guard such as ``RoleCheck.required``) and what the form needs from
the request. The app's views module names the views and its ``urls.py`` routes them as any other:

    ACTIVITY_PAGES = RecordViews(name="activity", ..., lookup=activity_get, guard=manager_required)
    activity_create_view, activity_edit_view = ACTIVITY_PAGES.views("create", "edit")
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .web import RecordPages, button_action

View = Callable[..., HttpResponse]


def button_on(
    request: HttpRequest,
    record: Any,
    *,
    act: Callable[[], Any],
    success: str | Callable[[Any], str],
) -> HttpResponse:
    """A button on ``record``'s page that calls a service (``act``): its refusal, or
    ``success``, is flashed and the answer is that page again (``core.web.button_action``)."""

    def back(*_result: Any) -> HttpResponse:
        return redirect(record)

    return button_action(request, act=act, success=success, done=back, refused=back)


def _nothing(request: HttpRequest) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True, kw_only=True)
class RecordViews(RecordPages):
    """``RecordPages`` whose records are found by ``lookup(user=, <key>=value)``, ``key`` being
    the URL parameter that names one (``pk``, ``slug``), and written by those ``guard`` lets in.

    ``form_kwargs(request)``: what the form takes besides the data (choices it offers), on the
    create and the edit page. ``initial(request)``: the create page's initial values.
    ``after_delete(record)``: where a deletion leads (read before the record is deleted).
    """

    lookup: Callable[..., Any]
    guard: Callable[[View], View]
    key: str = "pk"
    form_kwargs: Callable[[HttpRequest], Mapping[str, Any]] = _nothing
    initial: Callable[[HttpRequest], Mapping[str, Any]] | None = None
    after_delete: Callable[[Any], Any] | None = None

    def _record(self, request: HttpRequest, key: Any) -> Any:
        return self.lookup(user=request.user, **{self.key: key})

    def create_view(self, request: HttpRequest) -> HttpResponse:
        form_kwargs = dict(self.form_kwargs(request))
        if self.initial is not None:
            form_kwargs["initial"] = self.initial(request)
        return self.create_page(request, **form_kwargs)

    def edit_view(self, request: HttpRequest, **key: Any) -> HttpResponse:
        record = self._record(request, key[self.key])
        return self.edit_page(request, record, **self.form_kwargs(request))

    def publish_view(self, request: HttpRequest, **key: Any) -> HttpResponse:
        return self.publish_action(request, self._record(request, key[self.key]))

    def delete_view(self, request: HttpRequest, **key: Any) -> HttpResponse:
        record = self._record(request, key[self.key])
        after_delete = self.after_delete
        assert after_delete is not None, f"{self.name} has no page to go to once deleted"
        target = after_delete(record)
        return self.delete_page(request, record, done=lambda: redirect(target))

    def views(self, *pages: str) -> tuple[View, ...]:
        """The views of ``pages`` (create, edit, publish, delete), behind the guard (publishing
        answers POST only), for the app's views module to name and its ``urls.py`` to route."""
        handlers: dict[str, View] = {
            "create": self.create_view,
            "edit": self.edit_view,
            "publish": require_POST(self.publish_view),
            "delete": self.delete_view,
        }
        return tuple(self.guard(handlers[page]) for page in pages)
