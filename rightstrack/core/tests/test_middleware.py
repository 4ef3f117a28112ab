"""NUL characters are refused before any view (PostgreSQL cannot store them in text)."""

import json

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from rightstrack.core.middleware import (
    RefuseOversizedUploadsMiddleware,
    RejectNulCharactersMiddleware,
)

middleware = RejectNulCharactersMiddleware(lambda request: HttpResponse("reached the view"))
factory = RequestFactory()


@pytest.mark.parametrize(
    "request_",
    [
        factory.get("/recommendations/", {"q": "torture\x00"}),
        factory.get("/recommendations/", {"\x00": "x"}),
        factory.post("/accounts/login/", {"username": "a\x00b"}),
        factory.get("/presences/a\x00b/"),
    ],
)
def test_it_refuses_nul_characters_on_pages_with_400(request_):
    response = middleware(request_)

    assert response.status_code == 400


@pytest.mark.parametrize("escape", ["\\u0000", "\\U0000"])
def test_it_refuses_nul_characters_in_api_json_with_422(escape):
    body = '{"name": "a' + escape + 'b"}'
    request = factory.post("/api/v1/plans/", body, content_type="application/json")

    response = middleware(request)

    assert response.status_code == 422
    assert json.loads(response.content)["detail"].startswith("Text may not contain NUL")


def test_it_lets_every_other_request_through():
    requests = [
        factory.get("/recommendations/", {"q": "torture in custody"}),
        factory.post("/api/v1/plans/", {"name": "plan"}, content_type="application/json"),
        factory.post("/accounts/login/", {"username": "member"}),
    ]

    assert [middleware(request).content for request in requests] == [b"reached the view"] * 3


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize(
    ("path", "api"),
    [("/recommendations/import/", False), ("/api/v1/recommendations/import/", True)],
)
def test_it_refuses_an_oversized_upload_before_reading_its_body(settings, path, api):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    refuse = RefuseOversizedUploadsMiddleware(lambda request: HttpResponse("reached the view"))
    request = factory.post(path, b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(2 * 1024 * 1024)
    request.META["wsgi.input"] = UnreadableBody()
    request._stream = UnreadableBody()

    response = refuse(request)

    assert response.status_code == 413
    text = json.loads(response.content)["detail"] if api else response.content.decode()
    assert "largest upload allowed, 1 MB (IMPORT_MAX_UPLOAD_BYTES)" in text


def test_it_lets_an_upload_within_the_limit_through(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    refuse = RefuseOversizedUploadsMiddleware(lambda request: HttpResponse("reached the view"))

    response = refuse(factory.post("/recommendations/import/", {"file": "x" * 1000}))

    assert response.status_code == 200
