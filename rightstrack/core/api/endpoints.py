"""List endpoints declared in one call each.

Every list of the API answers a page of what a selector returns for the caller and the filters
given. (A detail endpoint is already one line: ``return thing_get(user=request.user, pk=pk)``,
the ``*_get`` selector raising Http404 when the object does not exist or the caller may not see
it.) A declared list keeps the operation id and URL name a hand-written view of that name would
have.
"""

import inspect
import sys
from collections.abc import Callable
from typing import Any

from ninja import Query, Router, Schema

from .pagination import paginated

Selector = Callable[..., Any]


def list_endpoint(
    router: Router,
    path: str = "/",
    *,
    name: str,
    response: type[Schema],
    filters: type[Schema],
    select: Selector,
    auth: Any,
    summary: str,
    description: str | None = None,
) -> Callable[..., Any]:
    """GET ``path``: one page of ``select(user=caller, filters={the filters given})``.

    ``name`` is the view's name, as a hand-written ``def name(request, filters): ...`` in the
    calling module would have it: the operation id is "<module>_<name>", the URL name ``name``.
    """

    schema = filters

    def view(request, filters):
        return select(user=request.user, filters=filters.model_dump(exclude_none=True))

    view.__name__ = view.__qualname__ = name
    # As collections.namedtuple does: the view belongs to the module that declares it.
    view.__module__ = sys._getframe(1).f_globals["__name__"]
    view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(
                "filters", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Query[schema]
            ),
        ]
    )
    paged = paginated(view)
    router.get(path, response=list[response], auth=auth, summary=summary, description=description)(
        paged
    )
    return paged
