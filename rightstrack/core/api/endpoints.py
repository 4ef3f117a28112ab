"""Endpoints documented by their docstrings, and list endpoints declared by what they list.

An endpoint's docstring documents it in the OpenAPI document: the first line is the summary, the
other paragraphs the description (the lines of a paragraph joined by spaces), so the decorator
says only the path, the response and who may call.

Every list of the API answers a page of what a selector returns for the caller and the filters
given. ``list_endpoint`` decorates a function saying what that is, for a user and a dict of
filters; its name and module make the operation id and URL name, as for any view. Its ``rows``
completes the page (only the page) before it is answered: records of other tables looked up for
these rows alone, say.

(A detail endpoint is already one line: ``return thing_get(user=request.user, pk=pk)``, the
``*_get`` selector raising Http404 when the object does not exist or the caller may not see it.)
"""

import functools
import inspect
from collections.abc import Callable
from typing import Any

import ninja
from ninja import Query, Schema

from ..api_auth import read_auth
from .pagination import paginated

Lister = Callable[[Any, dict[str, Any]], Any]
# rows(page, user=...): what the response schema reads for the page's rows
Completer = Callable[..., list[Any]]


def summary_and_description(doc: str | None) -> tuple[str | None, str | None]:
    """A docstring's first line, and its other paragraphs with their lines joined by spaces."""
    paragraphs = [
        " ".join(line.strip() for line in paragraph.splitlines())
        for paragraph in inspect.cleandoc(doc or "").split("\n\n")
        if paragraph.strip()
    ]
    if not paragraphs:
        return None, None
    return paragraphs[0], "\n\n".join(paragraphs[1:]) or None


class Router(ninja.Router):
    """ninja's Router, taking each endpoint's summary and description from its docstring."""

    def add_api_operation(self, path: str, methods: list[str], view_func: Callable, **kwargs: Any):
        summary, description = summary_and_description(view_func.__doc__)
        kwargs["summary"] = kwargs.get("summary") or summary
        kwargs["description"] = kwargs.get("description") or description
        super().add_api_operation(path, methods, view_func, **kwargs)
        # ninja falls back to the whole docstring when there is no description; a docstring of
        # one line is the summary only.
        operation = self.path_operations[path].operations[-1]
        operation.description = kwargs["description"]


def list_endpoint(
    router: ninja.Router,
    response: type[Schema],
    filters: type[Schema],
    *,
    path: str = "/",
    auth: Any = read_auth,
    rows: Completer | None = None,
) -> Callable[[Lister], Lister]:
    """Declare GET ``path`` answering one page of ``lister(user, filters)``, the filters being
    those of the ``filters`` schema that the caller gave; ``rows(page, user=user)``, when given, is
    what the page's rows become (the same rows completed, in their order)."""

    def declare(lister: Lister) -> Lister:
        def view(request, filters):
            return lister(request.user, filters.model_dump(exclude_none=True))

        view.__name__ = view.__qualname__ = lister.__name__
        view.__module__ = lister.__module__
        view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
                inspect.Parameter(
                    "filters", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Query[schema]
                ),
            ]
        )
        summary, description = summary_and_description(lister.__doc__)
        endpoint = paginated(view)
        if rows is not None:
            endpoint = _completed(endpoint, rows)
        router.get(
            path, response=list[response], auth=auth, summary=summary, description=description
        )(endpoint)
        return lister

    schema = filters
    return declare


def _completed(endpoint: Callable[..., Any], rows: Completer) -> Callable[..., Any]:
    """The paginated ``endpoint`` with its page of items given to ``rows``."""

    @functools.wraps(endpoint)  # its signature and what pagination adds to the operation
    def answer(request, **kwargs):
        page = endpoint(request, **kwargs)
        page["items"] = rows(page["items"], user=request.user)
        return page

    return answer
