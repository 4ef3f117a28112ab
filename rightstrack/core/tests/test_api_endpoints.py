"""Endpoints documented by their docstrings, and declared lists."""

from ninja import NinjaAPI, Schema

from rightstrack.core.api.endpoints import Router, list_endpoint, summary_and_description


def test_it_splits_a_docstring_into_summary_and_unwrapped_description():
    doc = """List things

    Anonymous callers see
    published things only.

    Second paragraph.
    """
    assert summary_and_description(doc) == (
        "List things",
        "Anonymous callers see published things only.\n\nSecond paragraph.",
    )
    assert summary_and_description("One thing") == ("One thing", None)
    assert summary_and_description(None) == (None, None)


class ThingOut(Schema):
    name: str


class ThingFiltersIn(Schema):
    q: str | None = None


def _document():
    router = Router()

    @router.get("/{pk}", response=ThingOut)
    def get_thing(request, pk: int):
        """One thing"""

    @list_endpoint(router, ThingOut, ThingFiltersIn)
    def list_things(user, filters):
        """List things

        Filtered by `q`.
        """

    api = NinjaAPI(urls_namespace="endpoints-test")
    api.add_router("/things", router)
    return api.get_openapi_schema(path_prefix="")


def test_it_documents_each_endpoint_by_its_docstring():
    paths = _document()["paths"]
    detail = paths["/things/{pk}"]["get"]
    listing = paths["/things/"]["get"]

    assert (detail["summary"], "description" in detail) == ("One thing", False)
    assert (listing["summary"], listing["description"]) == ("List things", "Filtered by `q`.")
    assert listing["operationId"].endswith("_list_things")
    assert {parameter["name"] for parameter in listing["parameters"]} == {"q", "page", "page_size"}
