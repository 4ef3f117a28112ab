"""Generated documents over the API: the same service, selectors and scope as the report page."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query

from rightstrack.core.api.endpoints import Router
from rightstrack.core.api_auth import read_auth

from .services import KINDS, report_build
from .views import download_response

router = Router(tags=["reports"])


@router.get("/{kind}", auth=read_auth, response={200: None})
def generate_report(
    request,
    kind: str,
    fmt: str = Query("pdf", alias="format", description="docx or pdf"),
    plan: str | None = None,
    state: str | None = None,
    cycle: str | None = None,
    document: str | None = None,
    mechanism: str | None = None,
    group: str | None = None,
    presence: str | None = None,
    year: str | None = None,
):
    """Generate a document (Word or PDF)

    `kind`: `plan-status` (selector `plan`: slug or id), `upr-midterm` (`state` and `cycle`, or
    `document` (symbol), or `mechanism` and `state`; `group`: `theme` or `cluster`) or
    `presence-summary` (`presence`: slug, `year`). Without a selector the first published plan,
    State or presence is used. Returns the file; 422 with the errors per field when a selector is
    unknown or not visible to the caller. Anonymous callers get published data only.
    """
    if kind not in KINDS:
        raise Http404(_("No such report."))
    given = {
        "plan": plan,
        "state": state,
        "cycle": cycle,
        "document": document,
        "mechanism": mechanism,
        "group": group,
        "presence": presence,
        "year": year,
    }
    params = {name: value for name, value in given.items() if value not in (None, "")}
    built = report_build(
        kind=kind,
        user=request.user,
        params=params,
        fmt=fmt,
        base_url=request.build_absolute_uri("/"),
    )
    return download_response(built)
